/**
 * @module renderer/features/wallet/wallet-store.test
 * The Wallet store against a fake bridge: the first visible account is shown, a late answer
 * for an account no longer chosen is dropped, `wallet.changed` reloads only what changed on
 * the network shown, and failures become an "unreachable" state in words (never a spinner).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ActivityItemT, Bridge, WalletAccountT, WalletBalancesT, WalletChangeT, WalletNetworkT } from '../../../src-preload/contract';
import { BridgeError } from '../../../src-preload/contract';
import { installBridge } from '../../bridge';
import { checkNetwork, followWallet, loadWallet, useWalletStore } from './wallet-store';

const A = '0x1111111111111111111111111111111111111111';
const B = '0x2222222222222222222222222222222222222222';
const H = '0x3333333333333333333333333333333333333333';
const acct = (address: string, o: Partial<WalletAccountT> = {}): WalletAccountT => ({ address, name: address.slice(0, 6), kind: 'hd', index: 0, hidden: false, removable: false, ...o });
const net: WalletNetworkT = { id: 'devnet', chainId: 7, name: 'Devnet', symbol: 'BU', currencyName: 'BU', decimals: 18, rpcUrl: 'http://127.0.0.1:8545', explorerUrl: null, builtin: true, selected: true };
const bal = (account: string, formatted: string): WalletBalancesT => ({
  account,
  networkId: 'devnet',
  chainId: 7,
  blockNumber: '1',
  native: { amount: '1', formatted, symbol: 'BU', decimals: 18 },
  tokens: [],
  state: 'ok',
  message: null,
});

function fake() {
  const calls: string[] = [];
  const hold: Record<string, Promise<void>> = {};
  let listener: ((c: WalletChangeT) => void) | null = null;
  let balancesFail = false;
  let activity: ActivityItemT[] = [];
  const bridge: Bridge = {
    media: { send: () => {}, on: () => () => {} },
    invoke: (async (method: string, input: { account?: string; id?: string }) => {
      calls.push(input.account ? `${method}:${input.account.slice(0, 4)}` : method);
      if (method === 'wallet.accounts') return [acct(H, { hidden: true }), acct(A), acct(B, { index: 1 })];
      if (method === 'wallet.networks') return [net];
      if (method === 'wallet.balances') {
        await hold[input.account!];
        if (balancesFail) throw new BridgeError('NETWORK', 'nothing is listening at 127.0.0.1:8545');
        return bal(input.account!, input.account === A ? '5 BU' : '2 BU');
      }
      if (method === 'wallet.activity') return activity;
      if (method === 'wallet.networkState') throw new BridgeError('NETWORK', 'timed out');
      throw new BridgeError('UNKNOWN_METHOD', method);
    }) as Bridge['invoke'],
    on: ((_event: string, cb: (c: WalletChangeT) => void) => {
      listener = cb;
      return () => (listener = null);
    }) as Bridge['on'],
  };
  installBridge({ kind: 'test', bridge, onConnection: () => () => {} });
  return {
    calls,
    holdBalances(account: string) {
      let release = () => {};
      hold[account] = new Promise<void>((r) => (release = r));
      return release;
    },
    emit: (c: WalletChangeT) => listener?.(c),
    failBalances: () => (balancesFail = true),
    setActivity: (a: ActivityItemT[]) => (activity = a),
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

afterEach(() => {
  installBridge(null);
  useWalletStore.setState({ accounts: [], networks: [], states: {}, chosen: null, balances: null, activity: [], loaded: false, loadError: null });
});

describe('wallet store', () => {
  it('shows the first visible account and its balance', async () => {
    fake();
    await loadWallet();
    const s = useWalletStore.getState();
    expect(s.chosen).toBe(A);
    expect(s.balances?.native?.formatted).toBe('5 BU');
    expect(s.loaded).toBe(true);
  });

  it('drops a late balance for an account that is no longer chosen', async () => {
    const f = fake();
    await loadWallet();
    const release = f.holdBalances(A);
    f.emit({ kind: 'balances', networkId: 'devnet' });
    await settle();
    useWalletStore.getState().choose(B);
    await settle();
    release();
    await settle();
    expect(useWalletStore.getState().balances?.account).toBe(B);
    expect(useWalletStore.getState().balances?.native?.formatted).toBe('2 BU');
  });

  it('reloads activity on a change for the network shown, not for another one', async () => {
    const f = fake();
    await loadWallet();
    const off = followWallet();
    f.setActivity([{ hash: `0x${'a'.repeat(64)}` } as ActivityItemT]);
    f.emit({ kind: 'activity', networkId: 'other' });
    await settle();
    expect(useWalletStore.getState().activity).toHaveLength(0);
    f.emit({ kind: 'activity', networkId: 'devnet' });
    await settle();
    expect(useWalletStore.getState().activity).toHaveLength(1);
    off();
  });

  it('turns a failed balance or state check into "unreachable" with words', async () => {
    const f = fake();
    f.failBalances();
    await loadWallet();
    const b = useWalletStore.getState().balances!;
    expect(b.state).toBe('unreachable');
    expect(b.native).toBeNull();
    expect(b.message).toBe('The network is not available right now. Nothing is listening at 127.0.0.1:8545.');
    const state = await checkNetwork('devnet');
    expect(state.state).toBe('unreachable');
    expect(useWalletStore.getState().states.devnet?.message).toMatch(/\w+/);
  });
});
