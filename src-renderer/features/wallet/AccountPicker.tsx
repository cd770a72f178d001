/**
 * @module renderer/features/wallet/AccountPicker
 * The header's account picker: the accounts (hidden ones under "Show hidden"), each with
 * rename / hide / export (and remove, for imported and watch-only ones), and the ways to add one: the next HD account, import a
 * private key or a keystore file, watch an address.
 */
import { useState } from 'react';
import type { WalletAccountT } from '../../../src-preload/contract';
import { call } from '../../bridge';
import { shortAddress } from '../../lib/format';
import { toast } from '../../ui/toast-store';
import { accountKindLabel, pickAccount } from './wallet-format';
import { openWalletDialog } from './wallet-dialogs';
import { refreshAccounts, useWalletStore } from './wallet-store';
import { Popover } from './Popover';

async function setHidden(a: WalletAccountT, hidden: boolean) {
  try {
    await call('wallet.setHidden', { address: a.address, hidden });
    await refreshAccounts();
  } catch (e) {
    toast.error(e);
  }
}

function AccountRow({ a, current, onPick }: { a: WalletAccountT; current: boolean; onPick(): void }) {
  return (
    <li className={`wallet-option${current ? ' is-current' : ''}`} data-testid="account-option" data-address={a.address}>
      <button type="button" className="wallet-option-main" onClick={onPick} aria-current={current || undefined}>
        <span className="wallet-option-name">{a.name}</span>
        <span className="wallet-option-sub mono" title={a.address}>
          {shortAddress(a.address)} · {accountKindLabel(a)}
          {a.hidden ? ' · hidden' : ''}
        </span>
      </button>
      <span className="wallet-option-actions">
        <button type="button" className="link-btn" onClick={() => openWalletDialog({ kind: 'rename-account', account: a })} data-testid="account-rename">
          Rename
        </button>
        <button type="button" className="link-btn" onClick={() => void setHidden(a, !a.hidden)} data-testid="account-hide">
          {a.hidden ? 'Show' : 'Hide'}
        </button>
        {a.kind !== 'watch' && (
          <button type="button" className="link-btn" onClick={() => openWalletDialog({ kind: 'export-keystore', account: a })} data-testid="account-export">
            Export
          </button>
        )}
        {a.removable && (
          <button type="button" className="link-btn danger" onClick={() => openWalletDialog({ kind: 'remove-account', account: a })} data-testid="account-remove">
            Remove
          </button>
        )}
      </span>
    </li>
  );
}

export function AccountPicker() {
  const accounts = useWalletStore((s) => s.accounts);
  const chosen = useWalletStore((s) => s.chosen);
  const choose = useWalletStore((s) => s.choose);
  const [showHidden, setShowHidden] = useState(false);
  const current = pickAccount(accounts, chosen);
  const hiddenCount = accounts.filter((a) => a.hidden).length;
  const list = accounts.filter((a) => showHidden || !a.hidden || a.address === current?.address);
  return (
    <Popover
      label="Choose an account"
      testId="account-picker"
      trigger={
        <>
          <span className="wallet-picker-name" data-testid="account-current-name">
            {current?.name ?? 'No account'}
          </span>
          <span className="wallet-picker-sub mono" data-testid="account-current" data-address={current?.address ?? ''} title={current?.address}>
            {current ? shortAddress(current.address) : ''}
          </span>
        </>
      }
    >
      {(close) => (
        <>
          <ul className="wallet-options" aria-label="Accounts">
            {list.map((a) => (
              <AccountRow
                key={a.address}
                a={a}
                current={a.address === current?.address}
                onPick={() => {
                  choose(a.address);
                  close();
                }}
              />
            ))}
          </ul>
          {hiddenCount > 0 && (
            <label className="wallet-check">
              <input type="checkbox" checked={showHidden} onChange={(e) => setShowHidden(e.target.checked)} data-testid="account-show-hidden" /> Show hidden ({hiddenCount})
            </label>
          )}
          <div className="wallet-popover-actions">
            {(
              [
                ['add-account', 'Add account', 'account-add'],
                ['import-key', 'Import private key', 'account-import-key'],
                ['import-keystore', 'Import keystore file', 'account-import-keystore'],
                ['add-watch', 'Watch an address', 'account-add-watch'],
              ] as const
            ).map(([kind, label, testId]) => (
              <button
                key={kind}
                type="button"
                className="wallet-popover-action"
                data-testid={testId}
                onClick={() => {
                  close();
                  openWalletDialog({ kind });
                }}
              >
                {label}
              </button>
            ))}
          </div>
        </>
      )}
    </Popover>
  );
}
