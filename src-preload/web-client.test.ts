import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createDispatcher } from '../src-main/bridge/dispatcher';
import { createEventHub } from '../src-main/bridge/event-hub';
import { createFakeNode, fakeContact } from '../src-main/bridge/fake-node';
import { createWsBridge, type WsBridge } from '../src-main/bridge/ws-transport';
import { BridgeError, type BridgeHandlers } from './contract';
import { createWebBridge, TOKEN_STORAGE_KEY, webBridgeFromLocation, type ConnectionState, type WebBridge } from './web-client';

const ADDR = '0x2222222222222222222222222222222222222222';
const Impl = WebSocket as unknown as typeof globalThis.WebSocket;

type Harness = { server: Server; bridge: WsBridge; url: string; upgrades: IncomingMessage[]; port: number };
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function start(handlers: BridgeHandlers, port = 0): Promise<Harness> {
  const node = createFakeNode();
  const bridge = createWsBridge({ dispatcher: createDispatcher(handlers), events: createEventHub(node.events) });
  const upgrades: IncomingMessage[] = [];
  const server = createServer((_, res) => res.writeHead(404).end());
  server.on('upgrade', (req, socket, head) => {
    upgrades.push(req);
    bridge.handleUpgrade(req, socket, head);
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  const actual = (server.address() as AddressInfo).port;
  const h = { server, bridge, upgrades, port: actual, url: `ws://127.0.0.1:${actual}/bridge` };
  cleanup.push(() => stop(h));
  return h;
}

async function stop(h: Harness): Promise<void> {
  await h.bridge.close();
  h.server.closeAllConnections();
  await new Promise((r) => h.server.close(r));
}

function track(b: WebBridge): ConnectionState[] {
  const states: ConnectionState[] = [];
  b.onConnection((s) => states.push(s));
  cleanup.push(() => b.close());
  return states;
}

async function until(pred: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('createWebBridge', () => {
  it('queues calls made while connecting, sends the token, and resolves results', async () => {
    const node = createFakeNode({ phase: 'unlocked' });
    node.contacts.push(fakeContact(ADDR, 'Bob'));
    const h = await start(node.handlers);
    const b = createWebBridge({ url: h.url, token: 'tok en/+', WebSocketImpl: Impl });
    track(b);
    expect(b.state()).toBe('connecting');
    const [state, contacts] = await Promise.all([b.invoke('app.getState', {}), b.invoke('contacts.list', {})]);
    expect(state.phase).toBe('unlocked');
    expect(contacts).toEqual([fakeContact(ADDR, 'Bob')]);
    expect(new URL(h.upgrades[0]!.url!, 'http://x').searchParams.get('token')).toBe('tok en/+');
  });

  it('rejects failed calls with BridgeError(code, message)', async () => {
    const h = await start(createFakeNode({ phase: 'locked' }).handlers);
    const b = createWebBridge({ url: h.url, token: 't', WebSocketImpl: Impl });
    track(b);
    const err = await b.invoke('account.unlock', { password: 'nope' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BridgeError);
    expect(err).toMatchObject({ code: 'WRONG_PASSWORD', message: 'wrong password' });
    await expect(b.invoke('contacts.add', { invite: '' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('delivers events to listeners until they unsubscribe', async () => {
    const node = createFakeNode();
    const bridge = createWsBridge({ dispatcher: createDispatcher(node.handlers), events: createEventHub(node.events) });
    const server = createServer();
    server.on('upgrade', (req, socket, head) => bridge.handleUpgrade(req, socket, head));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanup.push(() => stop({ server, bridge, upgrades: [], url: '', port: 0 }));
    const b = createWebBridge({ url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/bridge`, token: 't', WebSocketImpl: Impl });
    track(b);
    const phases: string[] = [];
    const off = b.on('app.state', (s) => phases.push(s.phase));
    await b.invoke('account.create', { mnemonic: 'x', password: '12345678', name: 'Ann' });
    await until(() => phases.length === 1);
    off();
    await b.invoke('account.lock', {});
    await b.invoke('app.getState', {});
    expect(phases).toEqual(['unlocked']);
  });

  it('rejects in-flight calls with NETWORK when the connection drops, then reconnects', async () => {
    const node = createFakeNode({ phase: 'unlocked' });
    const handlers = { ...node.handlers, 'node.status': () => new Promise<never>(() => {}) } as BridgeHandlers;
    const h = await start(handlers);
    const b = createWebBridge({ url: h.url, token: 't', WebSocketImpl: Impl, backoff: { initialMs: 20, maxMs: 50 } });
    const states = track(b);
    await b.invoke('app.getState', {});
    const hanging = b.invoke('node.status', {}).catch((e: unknown) => e);
    await until(() => h.bridge.clientCount() === 1);
    await new Promise((r) => setTimeout(r, 20));
    await stop(h);
    expect(await hanging).toMatchObject({ code: 'NETWORK' });
    // Calls made while the node is away wait in the queue and go out once it is back.
    const queued = b.invoke('app.getState', {});
    await start(handlers, h.port);
    expect((await queued).phase).toBe('unlocked');
    expect(states.slice(0, 3)).toEqual(['open', 'closed', 'connecting']);
    expect(b.state()).toBe('open');
  });

  it('close() rejects waiting calls and stops reconnecting', async () => {
    const b = createWebBridge({ url: 'ws://127.0.0.1:9/bridge', token: 't', WebSocketImpl: Impl, backoff: { initialMs: 10 } });
    const states = track(b);
    const waiting = b.invoke('app.getState', {}).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    b.close();
    expect(await waiting).toMatchObject({ code: 'NOT_RUNNING' });
    expect(b.state()).toBe('closed');
    const n = states.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(states.length).toBe(n);
    await expect(b.invoke('app.getState', {})).rejects.toBeInstanceOf(BridgeError);
  });

  it('times out a call that gets no answer', async () => {
    const node = createFakeNode();
    const h = await start({ ...node.handlers, 'node.status': () => new Promise<never>(() => {}) } as BridgeHandlers);
    const b = createWebBridge({ url: h.url, token: 't', WebSocketImpl: Impl, callTimeoutMs: 100 });
    track(b);
    await expect(b.invoke('node.status', {})).rejects.toMatchObject({ code: 'NETWORK' });
  });
});

describe('webBridgeFromLocation', () => {
  function fakes() {
    const store = new Map<string, string>();
    const urls: string[] = [];
    const replaced: string[] = [];
    class FakeWs {
      readyState = 0;
      onopen = null;
      onclose = null;
      onmessage = null;
      onerror = null;
      constructor(url: string) {
        urls.push(url);
      }
      send() {}
      close() {}
    }
    return {
      store,
      urls,
      replaced,
      deps: {
        storage: { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) },
        history: { state: null, replaceState: (_: unknown, __: string, url?: string | null) => void replaced.push(String(url)) },
        WebSocketImpl: FakeWs as unknown as typeof globalThis.WebSocket,
      },
    };
  }
  const loc = (search: string, hash = '') => ({ protocol: 'http:', host: '127.0.0.1:4567', pathname: '/', search, hash });

  it('takes the token from the URL, stores it, strips it from the address bar and connects to /bridge', () => {
    const f = fakes();
    const b = webBridgeFromLocation(loc('?token=abc&lang=en', '#/chat'), f.deps);
    b.close();
    expect(f.store.get(TOKEN_STORAGE_KEY)).toBe('abc');
    expect(f.replaced).toEqual(['/?lang=en#/chat']);
    expect(f.urls).toEqual(['ws://127.0.0.1:4567/bridge?token=abc']);
  });

  it('falls back to the stored token after a reload, and fails clearly without one', () => {
    const f = fakes();
    f.store.set(TOKEN_STORAGE_KEY, 'saved');
    webBridgeFromLocation(loc(''), f.deps).close();
    expect(f.urls).toEqual(['ws://127.0.0.1:4567/bridge?token=saved']);
    expect(f.replaced).toEqual([]);
    const empty = fakes();
    expect(() => webBridgeFromLocation(loc(''), empty.deps)).toThrow(BridgeError);
    expect(() => webBridgeFromLocation(loc(''), empty.deps)).toThrow(/bitunicom serve/);
  });
});
