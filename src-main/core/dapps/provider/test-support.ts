/**
 * @module dapps/provider/test-support
 * Tests only: an in-memory ProviderWallet (two networks, four accounts — one hidden, one
 * watch-only — a token, scripted RPC answers, and a record of every quote, send and
 * signature), a directory of installed dapps, and a settings table in a Map.
 */
import { getAddress } from 'ethers';
import type { DappPermissionT } from '../../../../src-preload/contract';
import { BuError } from '../../base';
import { DappProvider } from './provider';
import type { CallQuote, CallRequest, DappInfo, ProviderAccount, ProviderNetwork, ProviderWallet, SettingsStore, TypedDataInput } from './types';

export const A1 = getAddress('0x1111111111111111111111111111111111111111');
export const A2 = getAddress('0x2222222222222222222222222222222222222222');
export const HIDDEN = getAddress('0x3333333333333333333333333333333333333333');
export const WATCH = getAddress('0x4444444444444444444444444444444444444444');
export const TOKEN = getAddress('0x5555555555555555555555555555555555555555');
export const OTHER = getAddress('0x6666666666666666666666666666666666666666');
export const APP = `0x${'a1'.repeat(20)}`;
export const APP2 = `0x${'b2'.repeat(20)}`;
export const DEVNET: ProviderNetwork = { id: 'devnet', chainId: 1698100, name: 'BitUnicom devnet', symbol: 'BU', decimals: 18 };
export const SECOND: ProviderNetwork = { id: 'net-abc', chainId: 31337, name: 'Anvil', symbol: 'ETH', decimals: 18 };

export type FakeWallet = ProviderWallet & {
  state: { selected: string; accounts: ProviderAccount[] };
  calls: { rpc: { method: string; params: unknown[] }[]; quotes: CallRequest[]; sends: CallRequest[]; personal: { from: string; message: Uint8Array }[]; typed: { from: string; typed: TypedDataInput }[] };
  answers: Record<string, (params: unknown[]) => unknown>;
  quote: CallQuote;
  fire(kind: 'accounts' | 'networks'): void;
};

export function fakeWallet(): FakeWallet {
  const listeners = new Set<(k: 'accounts' | 'networks') => void>();
  const networks = [DEVNET, SECOND];
  const w: FakeWallet = {
    state: {
      selected: DEVNET.id,
      accounts: [
        { address: A1, name: 'Account 1', watchOnly: false, hidden: false },
        { address: A2, name: 'Account 2', watchOnly: false, hidden: false },
        { address: HIDDEN, name: 'Hidden', watchOnly: false, hidden: true },
        { address: WATCH, name: 'Watched', watchOnly: true, hidden: false },
      ],
    },
    calls: { rpc: [], quotes: [], sends: [], personal: [], typed: [] },
    answers: { eth_blockNumber: () => '0x3e8' },
    quote: { gasLimit: 60_000n, maxFeePerGas: 2_000_000_000n, maxPriorityFeePerGas: 1n, maxFee: 120_000_000_000_000n, sufficient: true, warnings: [] },
    accounts: () => w.state.accounts.map((a) => ({ ...a })),
    network: () => ({ ...networks.find((n) => n.id === w.state.selected)! }),
    networks: () => networks.map((n) => ({ ...n })),
    selectNetwork: (id) => {
      if (!networks.some((n) => n.id === id)) throw new BuError('NOT_FOUND', `no network ${id}`);
      w.state.selected = id;
      w.fire('networks');
      return w.network();
    },
    rpc: async (method, params) => {
      w.calls.rpc.push({ method, params });
      const a = w.answers[method];
      if (!a) throw new Error(`the fake RPC has no answer for ${method}`);
      return a(params);
    },
    tokenInfo: async (address) => (address.toLowerCase() === TOKEN.toLowerCase() ? { symbol: 'tBUT', name: 'Test token', decimals: 18 } : null),
    nameOf: (address) => w.state.accounts.find((a) => a.address.toLowerCase() === address.toLowerCase())?.name ?? (address.toLowerCase() === TOKEN.toLowerCase() ? 'tBUT token' : null),
    quoteCall: async (c) => {
      w.calls.quotes.push(c);
      return { ...w.quote };
    },
    sendCall: async (c) => {
      w.calls.sends.push(c);
      return `0x${'ab'.repeat(32)}`;
    },
    signPersonal: (from, message) => {
      w.calls.personal.push({ from, message });
      return `0x${'11'.repeat(65)}`;
    },
    signTypedData: (from, typed) => {
      w.calls.typed.push({ from, typed });
      return `0x${'22'.repeat(65)}`;
    },
    onChange: (l) => {
      listeners.add(l);
      return () => void listeners.delete(l);
    },
    fire: (kind) => listeners.forEach((l) => l(kind)),
  };
  return w;
}

export function memorySettings(): SettingsStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, get: (k) => map.get(k) ?? null, set: (k, v) => void map.set(k, v) };
}

export const ALL: DappPermissionT[] = ['accounts', 'sign', 'transact'];

export function directory(apps: Record<string, Partial<DappInfo>> = { [APP]: {} }) {
  const infos = new Map<string, DappInfo>(
    Object.entries(apps).map(([id, i]) => [id, { name: 'Swap', version: '1.0.0', permissions: ALL, origin: `http://${id}.localhost:7777`, ...i }]),
  );
  return { infos, installedInfo: (appId: string) => infos.get(appId) ?? null };
}

/** A provider over fakes, with its events recorded. */
export function setup(apps?: Record<string, Partial<DappInfo>>) {
  const wallet = fakeWallet();
  const settings = memorySettings();
  const dir = directory(apps);
  let now = 1_700_000_000_000;
  const clock = { now: () => now, advance: (ms: number) => void (now += ms) };
  const provider = new DappProvider({ wallet, directory: dir, settings, now: clock.now });
  const events: { appId: string; event: string; data: unknown }[] = [];
  const pending: string[] = [];
  provider.on('event', (e) => events.push(e));
  provider.on('pending', (r) => pending.push(r.id));
  return { wallet, settings, dir, clock, provider, events, pending };
}

/** Connects `accounts` to the dapp through the real connect flow. */
export async function connect(s: ReturnType<typeof setup>, accounts: string[] = [A1], appId = APP): Promise<void> {
  const a = await s.provider.request(appId, 'eth_requestAccounts');
  if (a.kind !== 'pending') throw new Error('expected a pending connect');
  await s.provider.decide(a.request.id, true, { accounts });
}

/** The BuError code a promise rejects with. */
export async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
  return 'resolved';
}

export async function errorOf(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return { code: (e as { code?: string }).code ?? 'none', message: (e as Error).message };
  }
  throw new Error('expected a rejection');
}

export function pendingOf(a: Awaited<ReturnType<DappProvider['request']>>) {
  if (a.kind !== 'pending') throw new Error(`expected a pending request, got ${JSON.stringify(a)}`);
  return a.request;
}
