/**
 * @module renderer/features/wallet/AccountDialogs
 * The account forms of the picker: add the next HD account or rename one (a name), import a
 * private key, import a keystore V3 file (file + its password), watch an address, and export
 * a keystore (the profile password; the file is downloaded, it never shows on screen).
 */
import { useState } from 'react';
import type { WalletAccountT } from '../../../src-preload/contract';
import { call } from '../../bridge';
import { downloadText } from '../../lib/browser';
import { PasswordField, TextField } from '../../ui/TextField';
import { toast } from '../../ui/toast-store';
import { addressProblem } from './wallet-format';
import { FormDialog } from './FormDialog';
import { refreshAccounts, useWalletStore } from './wallet-store';

const optionalName = (name: string) => (name.trim() ? name.trim() : undefined);

async function adopt(a: WalletAccountT, verb: string) {
  await refreshAccounts();
  useWalletStore.getState().choose(a.address);
  toast.success(`${a.name} ${verb}.`);
}

export function NameAccountDialog({ account, onClose }: { account?: WalletAccountT; onClose(): void }) {
  const [name, setName] = useState(account?.name ?? '');
  return (
    <FormDialog
      title={account ? 'Rename account' : 'Add account'}
      description={account ? undefined : 'The next account from your recovery phrase: the same backup restores it.'}
      submitLabel={account ? 'Rename' : 'Add account'}
      testId={account ? 'rename-account' : 'add-account'}
      disabled={!!account && !name.trim()}
      onClose={onClose}
      onSubmit={async () => {
        if (account) {
          await call('wallet.renameAccount', { address: account.address, name: name.trim() });
          await refreshAccounts();
        } else await adopt(await call('wallet.addAccount', { name: optionalName(name) }), 'added');
      }}
    >
      <TextField label="Name" value={name} maxLength={64} placeholder={account ? undefined : 'Optional'} onChange={(e) => setName(e.target.value)} data-autofocus data-testid="account-name-input" />
    </FormDialog>
  );
}

export function ImportKeyDialog({ onClose }: { onClose(): void }) {
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  return (
    <FormDialog
      title="Import a private key"
      description="The key is encrypted with your profile and never leaves this computer. It is not part of your recovery phrase: keep its own backup."
      submitLabel="Import"
      testId="import-key"
      disabled={!key.trim()}
      onClose={onClose}
      onSubmit={async () => adopt(await call('wallet.importPrivateKey', { privateKey: key.trim(), name: optionalName(name) }), 'imported')}
    >
      <PasswordField label="Private key" value={key} onChange={(e) => setKey(e.target.value)} data-autofocus data-testid="import-key-input" />
      <TextField label="Name" value={name} maxLength={64} placeholder="Optional" onChange={(e) => setName(e.target.value)} />
    </FormDialog>
  );
}

export function ImportKeystoreDialog({ onClose }: { onClose(): void }) {
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  return (
    <FormDialog
      title="Import a keystore file"
      description="A keystore V3 JSON file (from MetaMask, geth, cast wallet…) and the password it was saved with."
      submitLabel="Import"
      testId="import-keystore"
      disabled={!file}
      onClose={onClose}
      onSubmit={async () => adopt(await call('wallet.importKeystore', { keystore: file!.text, keystorePassword: password, name: optionalName(name) }), 'imported')}
    >
      <div className="field">
        <label className="field-label" htmlFor="wallet-keystore-file">
          Keystore file
        </label>
        <input
          id="wallet-keystore-file"
          type="file"
          accept=".json,application/json,text/plain"
          data-testid="import-keystore-file"
          onChange={async (e) => {
            const f = e.target.files?.[0];
            setFile(f ? { name: f.name, text: await f.text() } : null);
          }}
        />
      </div>
      <PasswordField label="Keystore password" value={password} onChange={(e) => setPassword(e.target.value)} data-testid="import-keystore-password" />
      <TextField label="Name" value={name} maxLength={64} placeholder="Optional" onChange={(e) => setName(e.target.value)} />
    </FormDialog>
  );
}

export function AddWatchDialog({ onClose }: { onClose(): void }) {
  const [address, setAddress] = useState('');
  const [name, setName] = useState('');
  const [touched, setTouched] = useState(false);
  const problem = addressProblem(address);
  return (
    <FormDialog
      title="Watch an address"
      description="See the balance and activity of any address. A watch-only account cannot send."
      submitLabel="Watch"
      testId="add-watch"
      onClose={onClose}
      onSubmit={async () => {
        setTouched(true);
        if (problem) return false;
        await adopt(await call('wallet.addWatch', { address: address.trim(), name: optionalName(name) }), 'added');
      }}
    >
      <TextField label="Address" value={address} error={touched ? problem : undefined} spellCheck={false} autoComplete="off" className="mono" onChange={(e) => setAddress(e.target.value)} data-autofocus data-testid="add-watch-address" />
      <TextField label="Name" value={name} maxLength={64} placeholder="Optional" onChange={(e) => setName(e.target.value)} />
    </FormDialog>
  );
}

export function ExportKeystoreDialog({ account, onClose }: { account: WalletAccountT; onClose(): void }) {
  const [password, setPassword] = useState('');
  return (
    <FormDialog
      title={`Export ${account.name}`}
      description="Saves a keystore V3 file encrypted under your profile password. Anyone with the file and the password can spend from this account."
      submitLabel="Export keystore"
      testId="export-keystore"
      disabled={!password}
      onClose={onClose}
      onSubmit={async () => {
        const out = await call('wallet.exportKeystore', { address: account.address, password });
        downloadText(out.filename, out.keystore);
        toast.success(`Saved ${out.filename}.`);
      }}
    >
      <PasswordField label="Profile password" value={password} onChange={(e) => setPassword(e.target.value)} data-autofocus data-testid="export-keystore-password" />
    </FormDialog>
  );
}
