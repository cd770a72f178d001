/**
 * @module renderer/features/wallet/AddTokenDialog
 * Follow an ERC-20 by its contract address. Step one reads the token from the chain (the
 * node's wallet.addToken reads symbol, name and decimals and follows it); step two shows what
 * was read: "Add" keeps it, "Cancel" stops following it again (the contract has no read-only
 * look-up, so the undo is a wallet.removeToken).
 */
import { useRef, useState } from 'react';
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
  const kept = useRef(false);
  const problem = addressProblem(address);
  // Closing without "Add" (Cancel, Esc) stops following the token that was looked up.
  const cancel = () => {
    if (token && !kept.current) void call('wallet.removeToken', { address: token.address, networkId: network.id }).then(refreshBalances, () => undefined);
    onClose();
  };
  return (
    <FormDialog
      title="Add a token"
      description={`An ERC-20 token on ${network.name}, by its contract address.`}
      submitLabel={token ? `Add ${token.symbol}` : 'Look up token'}
      testId="add-token"
      onClose={cancel}
      onSubmit={async () => {
        if (token) {
          kept.current = true;
          await refreshBalances();
          toast.success(`${token.symbol} added.`);
          return;
        }
        setTouched(true);
        if (problem) return false;
        setToken(await call('wallet.addToken', { address: address.trim(), networkId: network.id }));
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
