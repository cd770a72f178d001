/**
 * @module renderer/features/wallet/AddTokenDialog
 * Follow an ERC-20 by its contract address. Step one reads the token from the chain
 * (wallet.tokenInfo: symbol, name, decimals; nothing is followed yet); step two shows what was
 * read, and "Add" follows it (wallet.addToken). Cancel or Esc leaves the list as it was.
 */
import { useState } from 'react';
import type { WalletNetworkT, WalletTokenT } from '../../../src-preload/contract';
import { call } from '../../bridge';
import { TextField } from '../../ui/TextField';
import { toast } from '../../ui/toast-store';
import { addressProblem } from './wallet-format';
import { FormDialog } from './FormDialog';
import { refreshBalances } from './wallet-store';

export function AddTokenDialog({ network, onClose }: { network: WalletNetworkT; onClose(): void }) {
  const [address, setAddress] = useState('');
  const [touched, setTouched] = useState(false);
  const [token, setToken] = useState<WalletTokenT | null>(null);
  const problem = addressProblem(address);
  return (
    <FormDialog
      title="Add a token"
      description={`An ERC-20 token on ${network.name}, by its contract address.`}
      submitLabel={token ? `Add ${token.symbol}` : 'Look up token'}
      testId="add-token"
      onClose={onClose}
      onSubmit={async () => {
        if (token) {
          await call('wallet.addToken', { address: token.address, networkId: network.id });
          await refreshBalances();
          toast.success(`${token.symbol} added.`);
          return;
        }
        setTouched(true);
        if (problem) return false;
        setToken(await call('wallet.tokenInfo', { address: address.trim(), networkId: network.id }));
        return false;
      }}
    >
      <TextField
        label="Contract address"
        value={address}
        error={touched ? (problem ?? undefined) : undefined}
        className="mono"
        spellCheck={false}
        autoComplete="off"
        disabled={!!token}
        onChange={(e) => setAddress(e.target.value)}
        data-autofocus
        data-testid="add-token-address"
      />
      {token && (
        <dl className="wallet-token-preview" data-testid="add-token-preview">
          <div>
            <dt>Symbol</dt>
            <dd data-testid="add-token-symbol">{token.symbol}</dd>
          </div>
          <div>
            <dt>Name</dt>
            <dd data-testid="add-token-name">{token.name}</dd>
          </div>
          <div>
            <dt>Decimals</dt>
            <dd data-testid="add-token-decimals">{token.decimals}</dd>
          </div>
        </dl>
      )}
    </FormDialog>
  );
}
