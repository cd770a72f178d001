import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createDispatcher } from './dispatcher';
import { createEventHub } from './event-hub';
import { createFakeNode, fakeContact } from './fake-node';
import { createWsBridge, parseRequestFrame, WS_MAX_PAYLOAD, type WsBridge } from './ws-transport';

const ADDR = '0x2222222222222222222222222222222222222222';

type Harness = { server: Server; bridge: WsBridge; url: string; node: ReturnType<typeof createFakeNode> };
const open: Harness[] = [];

async function start(): Promise<Harness> {
  const node = createFakeNode({ phase: 'unlocked' });
  node.contacts.push(fakeContact(ADDR, 'Bob'));
  const bridge = createWsBridge({ dispatcher: createDispatcher(node.handlers), events: createEventHub(node.events) });
  const server = createServer((_, res) => res.writeHead(404).end());
  server.on('upgrade', (req, socket, head) => bridge.handleUpgrade(req, socket, head));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const h = { server, bridge, node, url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/bridge` };
  open.push(h);
  return h;
}

afterEach(async () => {
  for (const h of open.splice(0)) {
    await h.bridge.close();
    await new Promise((r) => h.server.close(r));
  }
});

/** A client that collects every frame it receives. */
async function connect(url: string) {
  const ws = new WebSocket(url);
  const frames: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (d) => {
    frames.push(JSON.parse(String(d)));
    for (const w of waiters.splice(0)) w();
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const next = async (pred: (f: Record<string, unknown>) => boolean) => {
    for (;;) {
      const f = frames.find(pred);
      if (f) return f;
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  return { ws, frames, next };
}

describe('parseRequestFrame', () => {
  it('accepts a well-formed request and explains malformed ones', () => {
    expect(parseRequestFrame(Buffer.from('{"id":3,"method":"a","input":{"x":1}}'), false)).toEqual({
      ok: true,
      id: 3,
      method: 'a',
      input: { x: 1 },
    });
    expect(parseRequestFrame(Buffer.from('{"id":3}'), false)).toEqual({ ok: false, id: 3, message: 'frame.method must be a string' });
    expect(parseRequestFrame(Buffer.from('{"id":1.5,"method":"a"}'), false)).toMatchObject({ ok: false, id: 0 });
    expect(parseRequestFrame(Buffer.from('[1]'), false)).toMatchObject({ ok: false, id: 0 });
    expect(parseRequestFrame(Buffer.from('{'), false)).toMatchObject({ ok: false, message: 'frame is not valid JSON' });
    expect(parseRequestFrame(Buffer.from('{}'), true)).toMatchObject({ ok: false, message: 'frames must be UTF-8 JSON text' });
  });
});

describe('ws transport', () => {
  it('round-trips calls, including errors, by id', async () => {
    const h = await start();
    const c = await connect(h.url);
    c.ws.send(JSON.stringify({ id: 1, method: 'contacts.list', input: {} }));
    c.ws.send(JSON.stringify({ id: 2, method: 'messages.send', input: { address: ADDR, text: '' } }));
    c.ws.send(JSON.stringify({ id: 3, method: 'no.such', input: {} }));
    c.ws.send(JSON.stringify({ id: 4, method: 'account.unlock', input: { password: 'bad' } }));
    const r1 = await c.next((f) => f.id === 1);
    expect(r1).toEqual({ id: 1, ok: true, result: [fakeContact(ADDR, 'Bob')] });
    expect(await c.next((f) => f.id === 2)).toEqual({
      id: 2,
      ok: false,
      error: { code: 'BAD_INPUT', message: 'text: message is empty' },
    });
    expect(await c.next((f) => f.id === 3)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(await c.next((f) => f.id === 4)).toMatchObject({ ok: false, error: { code: 'WRONG_PASSWORD' } });
    c.ws.close();
  });

  it('answers malformed frames with BAD_INPUT and keeps the connection usable', async () => {
    const h = await start();
    const c = await connect(h.url);
    c.ws.send('not json');
    c.ws.send('[1,2]');
    c.ws.send(JSON.stringify({ id: 'x', method: 'app.getState' }));
    c.ws.send(JSON.stringify({ id: 7, method: 5 }));
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    c.ws.send(JSON.stringify({ id: 8, method: 'app.getState' }));
    await c.next((f) => f.id === 8);
    const errors = c.frames.filter((f) => f.ok === false);
    expect(errors).toHaveLength(5);
    for (const e of errors) expect(e).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(errors.map((e) => e.id)).toEqual([0, 0, 0, 7, 0]);
    expect(await c.next((f) => f.id === 8)).toMatchObject({ ok: true, result: { phase: 'unlocked' } });
    c.ws.close();
  });

  it('closes a connection that sends an oversized frame (1009) without affecting others', async () => {
    const h = await start();
    const big = await connect(h.url);
    const other = await connect(h.url);
    const closed = new Promise<number>((r) => big.ws.on('close', (code) => r(code)));
    big.ws.on('error', () => {});
    big.ws.send('x'.repeat(WS_MAX_PAYLOAD + 1));
    expect(await closed).toBe(1009);
    other.ws.send(JSON.stringify({ id: 1, method: 'app.getState' }));
    expect(await other.next((f) => f.id === 1)).toMatchObject({ ok: true });
    other.ws.close();
  });

  it('broadcasts node events to every client', async () => {
    const h = await start();
    const a = await connect(h.url);
    const b = await connect(h.url);
    expect(h.bridge.clientCount()).toBe(2);
    a.ws.send(JSON.stringify({ id: 1, method: 'messages.send', input: { address: ADDR, text: 'hi' } }));
    const isAdded = (f: Record<string, unknown>) => f.event === 'message.added';
    const ea = await a.next(isAdded);
    const eb = await b.next(isAdded);
    expect(ea).toEqual(eb);
    expect(ea.payload).toMatchObject({ text: 'hi', peer: ADDR, direction: 'out' });
    a.ws.close();
    b.ws.close();
  });

  it('close() disconnects clients with 1001', async () => {
    const h = await start();
    const c = await connect(h.url);
    const closed = new Promise<number>((r) => c.ws.on('close', (code) => r(code)));
    await h.bridge.close();
    expect(await closed).toBe(1001);
  });
});
