/**
 * @module renderer/features/wallet/BalanceCard
 * The chosen account's money on the selected network: the native balance (the node's
 * formatted text), Send / Receive, the followed tokens with their balances (remove per
 * token) and "Add token". When the network cannot be reached it says so in words instead.
 */
import { call } from '../../bridge';
import { shortAddress } from '../../lib/format';
import { Button } from '../../ui/Button';
import { IconArrowDown, IconSend } from '../../ui/Icons';
import { Spinner } from '../../ui/Spinner';
import { toast } from '../../ui/toast-store';
import { networkStateLabel, unitsToDecimal } from './wallet-format';
import { openWalletDialog } from './wallet-dialogs';
import { refreshBalances, selectedNetwork, useWalletStore } from './wallet-store';

async function removeToken(address: string, networkId: string) {
  try {
    await call('wallet.removeToken', { address, networkId });
    await refreshBalances();
  } catch (e) {
    toast.error(e);
  }
}

export function BalanceCard({ watchOnly }: { watchOnly: boolean }) {
  const balances = useWalletStore((s) => s.balances);
  const networks = useWalletStore((s) => s.networks);
  const network = selectedNetwork(networks);
  const down = balances && balances.state !== 'ok';
  return (
    <section className="node-card wallet-balance" aria-label="Balance" data-testid="wallet-balance" data-state={balances?.state ?? 'loading'}>
      <div className="wallet-balance-top">
        <div>
          <div className="stat-label">{network ? `Balance on ${network.name}` : 'Balance'}</div>
          {!balances ? (
            <div className="wallet-balance-native muted" data-testid="wallet-balance-loading">
              <Spinner size={16} /> Loading…
            </div>
          ) : (
            <div className="wallet-balance-native" data-testid="wallet-balance-native" title={balances.native ? `${unitsToDecimal(balances.native.amount, balances.native.decimals)} ${balances.native.symbol}` : undefined}>
              {balances.native?.formatted ?? '—'}
            </div>
          )}
        </div>
        <div className="wallet-balance-actions">
          <Button variant="primary" icon={<IconSend size={16} />} onClick={() => openWalletDialog({ kind: 'send' })} disabled={watchOnly} title={watchOnly ? 'A watch-only account cannot send' : undefined} data-testid="wallet-send">
            Send
          </Button>
          <Button icon={<IconArrowDown size={16} />} onClick={() => openWalletDialog({ kind: 'receive' })} data-testid="wallet-receive">
            Receive
          </Button>
        </div>
      </div>
      {down && (
        <p className="wallet-network-problem" role="alert" data-testid="wallet-network-problem" data-state={balances.state}>
          <strong>{networkStateLabel(balances.state)}.</strong> {balances.message ?? 'The network does not answer.'}
        </p>
      )}
      <div className="wallet-tokens">
        <div className="wallet-tokens-head">
          <h2>Tokens</h2>
          <Button size="sm" variant="ghost" onClick={() => openWalletDialog({ kind: 'add-token' })} data-testid="add-token-open">
            Add token
          </Button>
        </div>
        {balances && balances.tokens.length === 0 && <p className="muted">No tokens followed on this network.</p>}
        <ul className="wallet-token-list">
          {balances?.tokens.map((t) => (
            <li key={t.address} className="wallet-token" data-testid="token-row" data-address={t.address} data-symbol={t.symbol}>
              <span className="wallet-token-symbol">{t.symbol}</span>
              <span className="wallet-token-name">
                {t.name} <span className="mono muted" title={t.address}>{shortAddress(t.address)}</span>
              </span>
              <span className="wallet-token-balance" data-testid="token-balance">
                {t.balance?.formatted ?? t.error ?? '—'}
              </span>
              <button type="button" className="link-btn" data-testid="token-remove" aria-label={`Stop following ${t.symbol}`} onClick={() => network && void removeToken(t.address, network.id)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
