/**
 * @module renderer/features/dapps/provider-host.test
 * The provider host over real MessageChannels with fake windows: a port only for a hello from
 * the attached frame's own window AND its launch origin, delivered to that origin only; the
 * app id comes from the frame, never the message; results, pending decisions and errors
 * (EIP-1193 4001 / 4100 / 4200, -32602, else -32603) go back by id; provider events reach
 * only their app's port; malformed messages are ignored; in-flight requests are capped; a
 * reload replaces the port and a detached frame's port is closed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PendingRequestT, ProviderAnswerT, ProviderEventT } from '../../../src-preload/contract';
import { BridgeError } from '../../../src-preload/contract';
import { UiError } from '../../lib/errors';
import { rpcCode } from './provider-errors';
import { ProviderHost, isHello, parseRequest } from './provider-host';
import { FakeFrame, FakeUiWindow, until } from './test-frames';

const APP = '0x0faed322521b51d70016067b15e618d3fb61f219';
const OTHER = '0x1111111111111111111111111111111111111111';
const ORIGIN = `http://${APP}.localhost:7000`;
const pending = { id: 'a'.repeat(32), appId: APP, kind: 'connect' } as PendingRequestT;

type Setup = { answer?: (method: string, params: unknown) => Promise<ProviderAnswerT>; confirm?: (r: PendingRequestT) => Promise<unknown>; max?: number };

const opened: MessagePort[] = [];
const hosts: Array<() => void> = [];

function setup(o: Setup = {}) {
  const ui = new FakeUiWindow();
  const requests: Array<{ appId: string; method: string; params?: unknown }> = [];
  let emit: ((e: ProviderEventT) => void) | null = null;
  const host = new ProviderHost({
    target: ui,
    request: async (input) => {
      requests.push(input);
      return o.answer ? o.answer(input.method, input.params) : { kind: 'result', result: `${input.method}-ok` };
    },
    confirm: o.confirm ?? (async () => 'approved'),
    onProviderEvent: (l) => {
      emit = l;
      return () => (emit = null);
    },
    newChannel: () => {
      const c = new MessageChannel();
      opened.push(c.port1, c.port2);
      return c;
    },
    maxInFlight: o.max,
  });
  const frame = new FakeFrame(ui, ORIGIN);
  let alive = true;
  const detach = host.attach({ appId: APP, origin: ORIGIN, window: () => (alive ? frame : null) });
  hosts.push(detach);
  /** Hello, then the dapp's end of the port with everything it received. */
  const connect = async (f: FakeFrame = frame) => {
    f.hello();
    const got = await until(() => f.received.find((m) => (m.data as { bitunicom?: string }).bitunicom === 'port'));
    const port = got.ports[0]!;
    const inbox: unknown[] = [];
    port.onmessage = (e: MessageEvent) => inbox.push(e.data);
    return { port, inbox, targetOrigin: got.targetOrigin };
  };
  return { ui, host, frame, requests, connect, detach, emit: (e: ProviderEventT) => emit?.(e), kill: () => (alive = false), hasEvents: () => emit !== null };
}

afterEach(() => {
  for (const d of hosts.splice(0)) d();
  for (const p of opened.splice(0)) p.close();
});

describe('provider host handshake', () => {
  it('recognises only an exact hello object', () => {
    expect(isHello({ bitunicom: 'hello' })).toBe(true);
    expect(isHello({ bitunicom: 'Hello' })).toBe(false);
    expect(isHello('hello')).toBe(false);
    expect(isHello(null)).toBe(false);
    expect(isHello([{ bitunicom: 'hello' }])).toBe(false);
  });

  it('answers the attached frame from its own origin with a port, addressed to that origin only', async () => {
    const s = setup();
    const { targetOrigin } = await s.connect();
    expect(targetOrigin).toBe(ORIGIN);
  });

  it('gives nothing to a hello from the right window but another origin, or the right origin but another window', () => {
    const s = setup();
    s.ui.deliver({ bitunicom: 'hello' }, s.frame, 'http://127.0.0.1:7000');
    s.ui.deliver({ bitunicom: 'hello' }, s.frame, 'null');
    const stranger = new FakeFrame(s.ui, ORIGIN);
    stranger.hello();
    s.ui.deliver({ bitunicom: 'hello' }, null, ORIGIN);
    s.ui.deliver({ hello: true }, s.frame, ORIGIN);
    expect(s.frame.received).toHaveLength(0);
    expect(stranger.received).toHaveLength(0);
  });

  it('stops listening when the last frame is detached, and drops frames whose iframe is gone', async () => {
    const s = setup();
    expect(s.ui.listeners.size).toBe(1);
    expect(s.hasEvents()).toBe(true);
    s.kill();
    s.frame.hello();
    expect(s.frame.received).toHaveLength(0);
    expect(s.host.size).toBe(0);
    expect(s.ui.listeners.size).toBe(0);
    expect(s.hasEvents()).toBe(false);
  });
});

describe('provider host requests', () => {
  it('forwards with the frame’s app id (never the message’s) and answers by id', async () => {
    const s = setup();
    const { port, inbox } = await s.connect();
    port.postMessage({ id: 7, method: 'eth_chainId', appId: OTHER });
    port.postMessage({ id: 'x', method: 'eth_call', params: [{ to: OTHER }] });
    await until(() => inbox.length === 2);
    expect(s.requests).toEqual([
      { appId: APP, method: 'eth_chainId' },
      { appId: APP, method: 'eth_call', params: [{ to: OTHER }] },
    ]);
    expect(inbox).toContainEqual({ id: 7, result: 'eth_chainId-ok' });
    expect(inbox).toContainEqual({ id: 'x', result: 'eth_call-ok' });
  });

  it('waits for the user on a pending answer and sends the decision’s result', async () => {
    const seen: PendingRequestT[] = [];
    const s = setup({
      answer: async () => ({ kind: 'pending', request: pending }),
      confirm: async (r) => {
        seen.push(r);
        return ['0xabc'];
      },
    });
    const { port, inbox } = await s.connect();
    port.postMessage({ id: 1, method: 'eth_requestAccounts' });
    await until(() => inbox.length === 1);
    expect(seen).toEqual([pending]);
    expect(inbox[0]).toEqual({ id: 1, result: ['0xabc'] });
  });

  it('maps errors to EIP-1193 codes with the human sentence', async () => {
    const codes: Record<string, string> = { a: 'USER_REJECTED', b: 'PERMISSION_DENIED', c: 'UNSUPPORTED_METHOD', d: 'BAD_INPUT', e: 'LOCKED', f: 'INTERNAL' };
    const s = setup({ answer: async (method) => Promise.reject(new BridgeError(codes[method] as never, 'at Foo.bar (/src/x.ts:1)')) });
    const { port, inbox } = await s.connect();
    for (const m of Object.keys(codes)) port.postMessage({ id: m, method: m });
    await until(() => inbox.length === 6);
    const byId = Object.fromEntries(inbox.map((m) => [(m as { id: string }).id, (m as { error: { code: number; message: string } }).error]));
    expect(byId.a!.code).toBe(4001);
    expect(byId.b!.code).toBe(4100);
    expect(byId.c!.code).toBe(4200);
    expect(byId.d!.code).toBe(-32602);
    expect(byId.e!.code).toBe(-32603);
    expect(byId.f!.code).toBe(-32603);
    expect(byId.a!.message).toBe('You declined the request.');
    for (const e of Object.values(byId)) expect(e!.message).not.toMatch(/Foo\.bar|\{/);
  });

  it('maps a rejected decision to 4001', async () => {
    const s = setup({ answer: async () => ({ kind: 'pending', request: pending }), confirm: () => Promise.reject(new UiError('USER_REJECTED', null)) });
    const { port, inbox } = await s.connect();
    port.postMessage({ id: 2, method: 'personal_sign', params: ['0x68', '0xabc'] });
    await until(() => inbox.length === 1);
    expect(inbox[0]).toEqual({ id: 2, error: { code: 4001, message: 'You declined the request.' } });
  });

  it('ignores malformed messages and refuses a request without a method', async () => {
    const s = setup();
    const { port, inbox } = await s.connect();
    for (const junk of [null, 'eth_chainId', 42, [], { method: 'eth_chainId' }, { id: {}, method: 'x' }, { id: 1.5, method: 'x' }, { id: '', method: 'x' }]) port.postMessage(junk);
    port.postMessage({ id: 9, method: '' });
    port.postMessage({ id: 10, method: 'm'.repeat(65) });
    await until(() => inbox.length === 2);
    await new Promise((r) => setTimeout(r, 20));
    expect(s.requests).toHaveLength(0);
    expect(inbox.map((m) => (m as { error: { code: number } }).error.code)).toEqual([-32602, -32602]);
    expect(parseRequest({ id: 1, method: 'eth_chainId', params: [] })).toEqual({ id: 1, method: 'eth_chainId', params: [] });
  });

  it('caps the requests in flight per frame', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const s = setup({ max: 2, answer: async () => (await gate, { kind: 'result', result: 1 }) });
    const { port, inbox } = await s.connect();
    for (const id of [1, 2, 3]) port.postMessage({ id, method: 'eth_blockNumber' });
    await until(() => inbox.length === 1);
    expect(inbox[0]).toMatchObject({ id: 3, error: { code: -32005 } });
    release();
    await until(() => inbox.length === 3);
    port.postMessage({ id: 4, method: 'eth_blockNumber' });
    await until(() => inbox.length === 4);
    expect(inbox[3]).toEqual({ id: 4, result: 1 });
  });
});

describe('provider host events and lifetimes', () => {
  it('sends provider events only to the port of the app they are for', async () => {
    const s = setup();
    const { inbox } = await s.connect();
    s.emit({ appId: OTHER, event: 'accountsChanged', data: ['0x1'] });
    s.emit({ appId: APP, event: 'chainChanged', data: '0x7' });
    await until(() => inbox.length === 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(inbox).toEqual([{ event: 'chainChanged', data: '0x7' }]);
  });

  it('replaces the port on a new hello (reload) and drops answers for the old one', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const s = setup({ answer: async (m) => (m === 'slow' ? (await gate, { kind: 'result', result: 'late' }) : { kind: 'result', result: 'now' }) });
    const first = await s.connect();
    first.port.postMessage({ id: 1, method: 'slow' });
    await until(() => s.requests.length === 1);
    s.frame.received.length = 0;
    const second = await s.connect();
    release();
    second.port.postMessage({ id: 2, method: 'fast' });
    await until(() => second.inbox.length === 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(second.inbox).toEqual([{ id: 2, result: 'now' }]);
    expect(first.inbox).toEqual([]);
  });

  it('closes the port when the frame is detached', async () => {
    const s = setup();
    const { port, inbox } = await s.connect();
    s.detach();
    port.postMessage({ id: 1, method: 'eth_chainId' });
    await new Promise((r) => setTimeout(r, 20));
    expect(inbox).toEqual([]);
    expect(s.requests).toEqual([]);
  });

  it('names the numeric codes', () => {
    expect([rpcCode('USER_REJECTED'), rpcCode('PERMISSION_DENIED'), rpcCode('UNSUPPORTED_METHOD'), rpcCode('BAD_INPUT'), rpcCode('NETWORK')]).toEqual([4001, 4100, 4200, -32602, -32603]);
  });
});
