/**
 * @module renderer/features/wallet/wallet-store
 * What the Wallet screen shows: accounts, networks (and each one's reachability), the chosen
 * account, its balances and activity on the selected network. Loads go through the bridge;
 * `wallet.changed` events reload just the kind that changed. A load for an account/network
 * that is no longer the chosen one is dropped, so a quick switch never shows stale numbers.
 */
import { create } from 'zustand';
import type { ActivityItemT, NetworkStateT, WalletAccountT, WalletBalancesT, WalletChangeT, WalletNetworkT } from '../../../src-preload/contract';
import { call, subscribe } from '../../bridge';
import { errorText } from '../../lib/errors';
import { pickAccount } from './wallet-format';

type WalletStore = {
  accounts: WalletAccountT[];
  networks: WalletNetworkT[];
  states: Record<string, NetworkStateT>;
  chosen: string | null;
  balances: WalletBalancesT | null;
  activity: ActivityItemT[];
  loadError: string | null;
  loaded: boolean;
  choose(address: string): void;
};

export const useWalletStore = create<WalletStore>()((set) => ({
  accounts: [],
  networks: [],
  states: {},
  chosen: null,
  balances: null,
  activity: [],
  loadError: null,
  loaded: false,
  choose: (address) => {
    set({ chosen: address, balances: null, activity: [] });
    void refreshBalances();
    void refreshActivity();
  },
}));

const get = () => useWalletStore.getState();

export function currentAccount(): WalletAccountT | null {
  const s = get();
  return pickAccount(s.accounts, s.chosen);
}

export function selectedNetwork(networks: WalletNetworkT[] = get().networks): WalletNetworkT | null {
  return networks.find((n) => n.selected) ?? networks[0] ?? null;
}

export async function refreshAccounts(): Promise<void> {
  const accounts = await call('wallet.accounts', { includeHidden: true });
  const chosen = pickAccount(accounts, get().chosen)?.address ?? null;
  useWalletStore.setState({ accounts, chosen });
}

export async function refreshNetworks(): Promise<void> {
  useWalletStore.setState({ networks: await call('wallet.networks', {}) });
}

export async function refreshBalances(): Promise<void> {
  const account = currentAccount();
  const network = selectedNetwork();
  if (!account || !network) return;
  try {
    const b = await call('wallet.balances', { account: account.address, networkId: network.id });
    if (currentAccount()?.address === account.address && selectedNetwork()?.id === network.id) useWalletStore.setState({ balances: b });
  } catch (e) {
    if (currentAccount()?.address !== account.address) return;
    useWalletStore.setState({
      balances: { account: account.address, networkId: network.id, chainId: network.chainId, blockNumber: null, native: null, tokens: [], state: 'unreachable', message: errorText(e) },
    });
  }
}

export async function refreshActivity(): Promise<void> {
  const account = currentAccount();
  const network = selectedNetwork();
  if (!account || !network) return;
  try {
    const list = await call('wallet.activity', { account: account.address, networkId: network.id, limit: 100 });
    if (currentAccount()?.address === account.address && selectedNetwork()?.id === network.id) useWalletStore.setState({ activity: list });
  } catch {
    // The list keeps what it had; the balance card tells when the network cannot be reached.
  }
}

/** Reach one network now and remember its state (the picker's dots). */
export async function checkNetwork(id: string): Promise<NetworkStateT> {
  let state: NetworkStateT;
  try {
    state = await call('wallet.networkState', { id });
  } catch (e) {
    state = { id, state: 'unreachable', latencyMs: null, blockNumber: null, message: errorText(e) };
  }
  useWalletStore.setState((s) => ({ states: { ...s.states, [id]: state } }));
  return state;
}

export function checkAllNetworks(): void {
  for (const n of get().networks) void checkNetwork(n.id);
}

export async function loadWallet(): Promise<void> {
  try {
    await Promise.all([refreshAccounts(), refreshNetworks()]);
    useWalletStore.setState({ loaded: true, loadError: null });
  } catch (e) {
    useWalletStore.setState({ loaded: true, loadError: errorText(e) });
    return;
  }
  await Promise.all([refreshBalances(), refreshActivity()]);
}

async function onChange(change: WalletChangeT): Promise<void> {
  const network = selectedNetwork();
  const here = change.networkId === null || change.networkId === network?.id;
  switch (change.kind) {
    case 'accounts':
      await refreshAccounts();
      return;
    case 'networks':
      await refreshNetworks();
      await Promise.all([refreshBalances(), refreshActivity()]);
      return;
    case 'tokens':
    case 'balances':
      if (here) await refreshBalances();
      return;
    case 'activity':
      if (here) await Promise.all([refreshActivity(), refreshBalances()]);
  }
}

/** Follows `wallet.changed` while the screen is shown; returns the unsubscribe. */
export function followWallet(): () => void {
  return subscribe('wallet.changed', (change) => {
    void onChange(change).catch(() => undefined);
  });
}

/** Selects a network and reloads what depends on it. */
export async function switchNetwork(id: string): Promise<void> {
  await call('wallet.selectNetwork', { id });
  useWalletStore.setState({ balances: null, activity: [] });
  await refreshNetworks();
  await Promise.all([refreshBalances(), refreshActivity()]);
}
