/**
 * @module renderer/features/wallet/WalletScreen
 * The rail's "Wallet" screen (issue 10): account and network pickers in the header, the
 * balance card (native + tokens), the activity list, and the screen's dialogs. Loads on
 * mount and follows `wallet.changed`; balances also refresh every few seconds as a fallback,
 * so a network that comes back shows up without a click.
 */
import { useEffect } from 'react';
import '../../styles/wallet.css';
import { Spinner } from '../../ui/Spinner';
import { ActivityList } from './ActivityList';
import { AccountPicker } from './AccountPicker';
import { BalanceCard } from './BalanceCard';
import { NetworkPicker } from './NetworkPicker';
import { WalletDialogHost } from './WalletDialogHost';
import { pickAccount } from './wallet-format';
import { checkNetwork, followWallet, loadWallet, refreshBalances, selectedNetwork, useWalletStore } from './wallet-store';

const POLL_MS = 10_000;

export function WalletScreen() {
  const loaded = useWalletStore((s) => s.loaded);
  const loadError = useWalletStore((s) => s.loadError);
  const account = useWalletStore((s) => pickAccount(s.accounts, s.chosen));
  const networkId = useWalletStore((s) => selectedNetwork(s.networks)?.id ?? null);

  useEffect(() => {
    const off = followWallet();
    void loadWallet();
    const t = window.setInterval(() => void refreshBalances(), POLL_MS);
    return () => {
      off();
      window.clearInterval(t);
    };
  }, []);

  useEffect(() => {
    if (networkId) void checkNetwork(networkId);
  }, [networkId]);

  return (
    <div className="node-screen wallet-screen" data-testid="wallet-screen">
      <header className="screen-header wallet-header">
        <div>
          <h1 className="screen-title">Wallet</h1>
          <p className="screen-sub">Your accounts and tokens on the BitUnicom devnet and any EVM network you add.</p>
        </div>
        <div className="wallet-header-pickers">
          <NetworkPicker />
          <AccountPicker />
        </div>
      </header>
      <div className="screen-scroll">
        <div className="screen-inner">
          {!loaded ? (
            <p className="node-loading muted">
              <Spinner size={16} /> Opening the wallet…
            </p>
          ) : loadError ? (
            <p className="form-error" role="alert" data-testid="wallet-error">
              {loadError}
            </p>
          ) : (
            <>
              <BalanceCard watchOnly={account?.kind === 'watch'} />
              <ActivityList />
            </>
          )}
        </div>
      </div>
      <WalletDialogHost />
    </div>
  );
}
