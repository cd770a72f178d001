/**
 * @module renderer/features/dapps/provider-shim.test
 * resources/dapp-runtime/provider.js (the in-dapp EIP-1193 provider) run against the real
 * provider host: it says hello to its parent, queues requests until the port arrives, emits
 * EIP-1193 `connect` with the chain id, resolves and rejects with ProviderRpcError codes,
 * delivers events to on() listeners until removeListener, announces itself per EIP-6963
 * (frozen detail, v4 uuid, rdns, data: icon) and again on request, forwards the channel
 * helpers, and fails with 4900 when no BitUnicom window is its parent.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProviderAnswerT, ProviderEventT } from '../../../src-preload/contract';
import { BridgeError } from '../../../src-preload/contract';
import { ProviderHost } from './provider-host';
import { FakeFrame, FakeUiWindow, until } from './test-frames';

const SOURCE = readFileSync(fileURLToPath(new URL('../../../resources/dapp-runtime/provider.js', import.meta.url)), 'utf8');
const APP = '0x0faed322521b51d70016067b15e618d3fb61f219';
const ORIGIN = `http://${APP}.localhost:7000`;

type Provider = {
  isBitUnicom: boolean;
  request(a: unknown): Promise<unknown>;
  on(e: string, f: (d: unknown) => void): Provider;
  removeListener(e: string, f: (d: unknown) => void): Provider;
  isConnected(): boolean;
};
type DappWindow = FakeFrame & { ethereum?: Provider; bitunicom?: { channel: Record<string, (...a: unknown[]) => unknown> }; crypto: Crypto; setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout };
type Announce = { info: { uuid: string; name: string; icon: string; rdns: string }; provider: Provider };

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A dapp window whose parent is a UI window served by a real ProviderHost. */
function dapp(answer: (method: string, params: unknown) => Promise<ProviderAnswerT>, opts: { attach?: boolean; orphan?: boolean } = {}) {
  const ui = new FakeUiWindow();
  const frame = new FakeFrame(ui, ORIGIN) as DappWindow;
  frame.crypto = globalThis.crypto;
  frame.setTimeout = ((f: () => void, ms: number) => setTimeout(f, ms)) as typeof setTimeout;
  frame.clearTimeout = ((t: ReturnType<typeof setTimeout>) => clearTimeout(t)) as typeof clearTimeout;
  if (opts.orphan) Object.defineProperty(frame, 'parent', { value: frame });
  const calls: Array<{ method: string; params?: unknown }> = [];
  let emit: ((e: ProviderEventT) => void) | null = null;
  const ports: MessagePort[] = [];
  const host = new ProviderHost({
    target: ui,
    request: (input) => {
      calls.push({ method: input.method, ...(input.params === undefined ? {} : { params: input.params }) });
      return answer(input.method, input.params);
    },
    confirm: async () => null,
    onProviderEvent: (l) => ((emit = l), () => (emit = null)),
    newChannel: () => {
      const c = new MessageChannel();
      ports.push(c.port1, c.port2);
      return c;
    },
  });
  const attach = () => cleanups.push(host.attach({ appId: APP, origin: ORIGIN, window: () => frame }));
  if (opts.attach !== false) attach();
  cleanups.push(() => ports.forEach((p) => p.close()));
  const announced: Announce[] = [];
  frame.addEventListener('eip6963:announceProvider', (e) => announced.push((e as CustomEvent<Announce>).detail));
  const run = () => new Function('window', 'CustomEvent', SOURCE)(frame, CustomEvent);
  return { frame, calls, announced, run, attach, emit: (e: ProviderEventT) => emit?.(e) };
}

const echo = async (method: string): Promise<ProviderAnswerT> => ({ kind: 'result', result: method === 'eth_chainId' ? '0x7' : null });

describe('dapp provider shim', () => {
  it('exposes an EIP-1193 provider and answers once the port arrives', async () => {
    const d = dapp(echo);
    d.run();
    const eth = d.frame.ethereum!;
    expect(eth.isBitUnicom).toBe(true);
    const connected: unknown[] = [];
    eth.on('connect', (info) => connected.push(info));
    await expect(eth.request({ method: 'eth_chainId' })).resolves.toBe('0x7');
    expect(eth.isConnected()).toBe(true);
    await until(() => connected.length === 1);
    expect(connected).toEqual([{ chainId: '0x7' }]);
    // the dapp's own request, then the shim's for the connect event
    expect(d.calls).toEqual([{ method: 'eth_chainId' }, { method: 'eth_chainId' }]);
  });

  it('queues requests made before the host answers the hello', async () => {
    const d = dapp(echo, { attach: false });
    d.run();
    const answer = d.frame.ethereum!.request({ method: 'eth_chainId', params: [] });
    await new Promise((r) => setTimeout(r, 30));
    expect(d.calls).toEqual([]);
    d.attach(); // the shim says hello again until someone answers
    await expect(answer).resolves.toBe('0x7');
    expect(d.calls[0]).toEqual({ method: 'eth_chainId', params: [] });
  });

  it('rejects with ProviderRpcError objects carrying numeric codes', async () => {
    const d = dapp(async () => Promise.reject(new BridgeError('USER_REJECTED', 'no')));
    d.run();
    const err = (await d.frame.ethereum!.request({ method: 'eth_requestAccounts' }).catch((e: unknown) => e)) as Error & { code: number };
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('ProviderRpcError');
    expect(err.code).toBe(4001);
    for (const bad of [undefined, 'eth_chainId', { method: '' }, { method: 'x', params: 5 }]) {
      const e = (await d.frame.ethereum!.request(bad).catch((x: unknown) => x)) as { code: number };
      expect(e.code).toBe(-32602);
    }
  });

  it('delivers provider events to listeners until they are removed', async () => {
    const d = dapp(echo);
    d.run();
    const eth = d.frame.ethereum!;
    await eth.request({ method: 'eth_chainId' });
    const seen: unknown[] = [];
    const fn = (x: unknown) => seen.push(x);
    expect(eth.on('accountsChanged', fn)).toBe(eth);
    d.emit({ appId: APP, event: 'accountsChanged', data: ['0xabc'] });
    await until(() => seen.length === 1);
    eth.removeListener('accountsChanged', fn);
    d.emit({ appId: APP, event: 'accountsChanged', data: [] });
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual([['0xabc']]);
  });

  it('announces itself per EIP-6963, again on request, with a frozen detail', () => {
    const d = dapp(echo);
    d.run();
    expect(d.announced).toHaveLength(1);
    const a = d.announced[0]!;
    expect(Object.isFrozen(a)).toBe(true);
    expect(Object.isFrozen(a.info)).toBe(true);
    expect(a.info.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.info).toMatchObject({ name: 'BitUnicom', rdns: 'org.bitunicom' });
    expect(a.info.icon.startsWith('data:image/svg+xml,')).toBe(true);
    expect(a.provider).toBe(d.frame.ethereum);
    d.frame.dispatchEvent(new Event('eip6963:requestProvider'));
    expect(d.announced).toHaveLength(2);
    expect(d.announced[1]).toBe(a);
  });

  it('forwards the channel helpers to the bitunicom_* methods', async () => {
    const d = dapp(async (m) => ({ kind: 'result', result: m }));
    d.run();
    const ch = d.frame.bitunicom!.channel;
    await expect(ch.request!()).resolves.toBe('bitunicom_requestChannel');
    await ch.request!({ friend: '0xF00' });
    await expect(ch.friends!()).resolves.toBe('bitunicom_channelFriends');
    await expect(ch.send!('0xF00', { hi: 1 })).resolves.toBe('bitunicom_send');
    const asked = d.calls.filter((c) => c.method !== 'eth_chainId');
    expect(asked[0]).toEqual({ method: 'bitunicom_requestChannel', params: [] });
    expect(asked[1]).toEqual({ method: 'bitunicom_requestChannel', params: [{ friend: '0xF00' }] });
    expect(asked[3]).toEqual({ method: 'bitunicom_send', params: [{ to: '0xF00', data: { hi: 1 } }] });
    const got: unknown[] = [];
    const stop = ch.onMessage!((m: unknown) => got.push(m)) as () => void;
    d.emit({ appId: APP, event: 'message', data: { type: 'other', data: 'not for channels' } });
    d.emit({ appId: APP, event: 'message', data: { type: 'bitunicom_channel', data: { from: '0xF00', data: 'yo' } } });
    await until(() => got.length === 1);
    stop();
    d.emit({ appId: APP, event: 'message', data: { type: 'bitunicom_channel', data: 'after stop' } });
    await new Promise((r) => setTimeout(r, 20));
    expect(got).toEqual([{ from: '0xF00', data: 'yo' }]);
  });

  it('fails at once with 4900 when opened outside BitUnicom', async () => {
    const d = dapp(echo, { orphan: true });
    d.run();
    const e = (await d.frame.ethereum!.request({ method: 'eth_chainId' }).catch((x: unknown) => x)) as { code: number };
    expect(e.code).toBe(4900);
  });
});
