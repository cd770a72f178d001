/**
 * @module renderer/features/wallet/ReceiveDialog
 * Receive: the account's address with a copy button, and the EIP-681 payment link from
 * wallet.receive as a QR code and text. An optional amount (native or a followed token)
 * asks the node for a new link; a bad amount says why and keeps the plain link.
 */
import { useEffect, useState } from 'react';
import type { WalletAccountT, WalletNetworkT } from '../../../src-preload/contract';
import { call } from '../../bridge';
import { errorText } from '../../lib/errors';
import { CopyButton } from '../../ui/CopyButton';
import { Dialog } from '../../ui/Dialog';
import { QrCode } from '../../ui/QrCode';
import { TextField } from '../../ui/TextField';
import { amountProblem } from './wallet-format';
import { useWalletStore } from './wallet-store';

export function ReceiveDialog({ account, network, onClose }: { account: WalletAccountT; network: WalletNetworkT; onClose(): void }) {
  const tokens = useWalletStore((s) => s.balances?.tokens ?? []);
  const [amount, setAmount] = useState('');
  const [token, setToken] = useState('');
  const [link, setLink] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const chosen = tokens.find((t) => t.address === token) ?? null;
  const problem = amount.trim() ? amountProblem(amount, chosen?.decimals ?? network.decimals, chosen?.symbol ?? network.symbol) : null;

  useEffect(() => {
    let live = true;
    const t = window.setTimeout(() => {
      call('wallet.receive', { account: account.address, networkId: network.id, amount: amount.trim() && !problem ? amount.trim() : undefined, token: token || undefined })
        .then((r) => live && (setLink(r.link), setError(null)))
        .catch((e: unknown) => live && setError(errorText(e)));
    }, 250);
    return () => {
      live = false;
      window.clearTimeout(t);
    };
  }, [account.address, network.id, amount, token, problem]);

  return (
    <Dialog title={`Receive on ${network.name}`} onClose={onClose} size="sm" testId="receive-dialog">
      <div className="wallet-receive">
        {link && <QrCode value={link} label="Payment request QR code" size={208} testId="receive-qr" />}
        <div className="wallet-receive-address">
          <span className="mono" data-testid="receive-address">
            {account.address}
          </span>
          <CopyButton value={account.address} label="Copy address" testId="receive-copy" />
        </div>
        <div className="wallet-receive-row">
          <TextField label="Amount to ask for" hint="Optional." value={amount} error={problem ?? undefined} inputMode="decimal" autoComplete="off" onChange={(e) => setAmount(e.target.value)} data-testid="receive-amount" />
          {tokens.length > 0 && (
            <div className="field">
              <label className="field-label" htmlFor="wallet-receive-token">
                Token
              </label>
              <select id="wallet-receive-token" className="input" value={token} onChange={(e) => setToken(e.target.value)} data-testid="receive-token">
                <option value="">{network.symbol}</option>
                {tokens.map((t) => (
                  <option key={t.address} value={t.address}>
                    {t.symbol}
                  </option>
                ))}
              </select>
            </div>
          )}
        </div>
        {link && (
          <div className="wallet-receive-link">
            <span className="mono" data-testid="receive-link">
              {link}
            </span>
            <CopyButton value={link} label="Copy payment link" testId="receive-link-copy" />
          </div>
        )}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
      </div>
    </Dialog>
  );
}
