import { afterEach, describe, expect, it } from 'vitest';
import type dgram from 'node:dgram';
import { isBuError } from '../base';
import { randomBytes } from '../crypto';
import { COOKIE_REPLY_SIZE, INIT_SIZE, PacketType } from './constants';
import { mac1Key, stampInit } from './cookie';
import { Initiator } from './handshake';
import { makeIdentity, Proxy, rawSocket, sleep, startNode, waitFor, type TestNode } from './test-helpers';

const nodes: TestNode[] = [];
const closers: (() => unknown)[] = [];
async function node(opts: Parameters<typeof startNode>[0] = {}): Promise<TestNode> {
  const n = await startNode(opts);
  nodes.push(n);
  return n;
}
afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.close()));
  for (const c of closers.splice(0)) await c();
});
async function proxyTo(n: TestNode): Promise<Proxy> {
  const p = await Proxy.start(n.endpoint);
  closers.push(() => p.close());
  return p;
}
async function raw(): Promise<dgram.Socket> {
  const s = await rawSocket();
  closers.push(() => new Promise<void>((r) => s.close(() => r())));
  return s;
}
const sendRaw = (s: dgram.Socket, data: Uint8Array, to: { host: string; port: number }) => new Promise<void>((r) => s.send(data, to.port, to.host, () => r()));
const isTransport = (d: Buffer) => d[0] === PacketType.TRANSPORT;

describe('SessionManager: integrity', () => {
  it('drops transport packets with a flipped byte and still delivers the intact ones', async () => {
    const b = await node();
    const proxy = await proxyTo(b);
    const a = await node();
    await a.mgr.connect({ address: b.id.address }, [proxy.endpoint]);
    let n = 0;
    proxy.filter = (d, dir) => {
      if (dir !== 'toServer' || !isTransport(d)) return d;
      n++;
      if (n % 2 === 0) d[16 + ((n * 7) % (d.length - 16))]! ^= 0x01; // ciphertext or tag
      if (n % 6 === 3) d[2]! ^= 0x80; // a reserved header byte (authenticated as AAD)
      return d;
    };
    for (let i = 0; i < 30; i++) a.mgr.send(b.id.address, () => Uint8Array.of(i));
    await sleep(200);
    const got = b.received.map((m) => m.data[0]);
    const intact = Array.from({ length: 30 }, (_, i) => i).filter((i) => (i + 1) % 2 !== 0 && (i + 1) % 6 !== 3);
    expect(got).toEqual(intact);
    expect(b.mgr.stats().forged).toBe(30 - intact.length);
    expect(b.mgr.isConnected(a.id.address)).toBe(true); // forgeries do not hurt the session
  });

  it('completes the handshake even if the first RESPONSE is corrupted (retransmission, cached RESPONSE)', async () => {
    const b = await node();
    const proxy = await proxyTo(b);
    const a = await node();
    let spoiled = false;
    proxy.filter = (d, dir) => {
      if (dir === 'toClient' && d[0] === PacketType.RESPONSE && !spoiled) {
        spoiled = true;
        d[100]! ^= 0x01;
      }
      return d;
    };
    await a.mgr.connect({ address: b.id.address }, [proxy.endpoint]);
    expect(spoiled).toBe(true);
    expect(a.mgr.stats().forged).toBe(1);
    expect(b.mgr.stats().signatures).toBe(1); // the retransmitted INIT got the cached RESPONSE
  });

  it('drops replayed datagrams, from the original source or elsewhere, without moving the endpoint', async () => {
    const b = await node();
    const proxy = await proxyTo(b);
    const a = await node();
    await a.mgr.connect({ address: b.id.address }, [proxy.endpoint]);
    proxy.seen.length = 0;
    for (let i = 0; i < 5; i++) a.mgr.send(b.id.address, () => Uint8Array.of(i));
    a.mgr.send(b.id.address, () => randomBytes(5000)); // fragmented
    await waitFor(() => b.received.length === 6);
    const captured = proxy.seen.filter((p) => p.direction === 'toServer' && isTransport(p.data)).map((p) => p.data);
    expect(captured.length).toBe(5 + 5);
    const other = await raw();
    for (const d of captured) {
      await proxy.inject(d); // same source as the genuine packets
      await sendRaw(other, d, b.endpoint); // a different source
    }
    // replayed handshake messages are harmless too
    for (const p of proxy.seen.filter((x) => x.direction === 'toServer' && !isTransport(x.data))) await sendRaw(other, p.data, b.endpoint);
    await sleep(150);
    expect(b.received).toHaveLength(6);
    expect(b.mgr.stats().replays).toBe(2 * captured.length);
    expect(b.mgr.info(a.id.address)!.endpoint).toEqual(proxy.endpoint);
    expect(b.mgr.stats().handshakesCompleted).toBe(1);
  });

  it('drops garbage of every kind silently and cheaply', async () => {
    const b = await node();
    const s = await raw();
    for (let i = 0; i < 300; i++) {
      const len = [1, 2, 15, 16, 32, 33, 52, 126, 158, 191, 192, 193, 1200][i % 13]!;
      const d = randomBytes(len);
      d[0] = 1 + (i % 6); // session types 1..5 and an unknown 6
      await sendRaw(s, d, b.endpoint);
    }
    await sendRaw(s, Uint8Array.of(0x42, 1, 2, 3), b.endpoint); // another protocol's first byte: not ours
    const replies: Buffer[] = [];
    s.on('message', (m) => replies.push(m));
    await sleep(150);
    const st = b.mgr.stats();
    expect(st.dropped).toBe(300);
    expect(st.signatures + st.verifications + st.initiationsReceived).toBe(0);
    expect(replies).toHaveLength(0);
  });
});

describe('SessionManager: authorization', () => {
  it('a stranger rejected by authorize gets no session and nothing delivered', async () => {
    const stranger = makeIdentity();
    const b = await node({ authorize: (p) => (p.address === stranger.address ? 'reject' : 'accept') });
    const c = await node({ identity: stranger });
    const established: string[] = [];
    b.mgr.on('established', (e) => established.push(e.peer.address));
    const err = await c.mgr.connect({ address: b.id.address }, [b.endpoint], 1200).catch((e: unknown) => e);
    expect(isBuError(err, 'NETWORK')).toBe(true);
    expect(c.mgr.send(b.id.address, () => Uint8Array.of(1))).toBe(false);
    expect(b.authorized.map((p) => p.address)).toEqual([stranger.address]); // asked once, FINISH retransmissions cost nothing
    expect(b.mgr.stats()).toMatchObject({ rejected: 1, verifications: 1 });
    expect(established).toEqual([]);
    expect(b.received).toEqual([]);
    expect(b.mgr.isConnected(stranger.address)).toBe(false);
    // a friend is still welcome
    const a = await node();
    await a.mgr.connect({ address: b.id.address }, [b.endpoint]);
    expect(established).toEqual([a.id.address]);
  });

  it('the initiator can refuse the responder too (authorize on RESPONSE)', async () => {
    const b = await node();
    const a = await node({ authorize: () => 'reject' });
    const t = Date.now();
    const err = await a.mgr.connect({ address: b.id.address }, [b.endpoint], 5000).catch((e: unknown) => e);
    expect(isBuError(err, 'NETWORK')).toBe(true);
    expect(Date.now() - t).toBeLessThan(1000);
    expect(a.authorized.map((p) => p.address)).toEqual([b.id.address]);
    expect(b.authorized).toHaveLength(0); // A never revealed itself
  });
});

describe('SessionManager: denial-of-service defences', () => {
  function validInits(target: string, n: number): Uint8Array[] {
    const key = mac1Key(target);
    return Array.from({ length: n }, (_, i) => stampInit(new Initiator(i + 1).init, key, null));
  }

  it('demands a cookie under load and completes the handshake with it', async () => {
    const b = await node({ underLoad: () => true });
    const a = await node();
    const proxy = await proxyTo(b);
    await a.mgr.connect({ address: b.id.address }, [proxy.endpoint]);
    const st = b.mgr.stats();
    expect(st.cookiesSent).toBe(1);
    expect(st.signatures).toBe(1);
    const cookie = proxy.seen.find((p) => p.data[0] === PacketType.COOKIE)!;
    expect(cookie.data.length).toBe(COOKIE_REPLY_SIZE);
    const inits = proxy.seen.filter((p) => p.data[0] === PacketType.INIT);
    expect(inits.length).toBe(2); // without, then at once with mac2
    expect(inits[0]!.data.subarray(INIT_SIZE - 16).every((x) => x === 0)).toBe(true);
    expect(inits[1]!.data.subarray(INIT_SIZE - 16).some((x) => x !== 0)).toBe(true);
    // a second handshake reuses the fresh cookie: no new cookie round trip
    a.mgr.disconnect(b.id.address);
    await waitFor(() => !b.mgr.isConnected(a.id.address));
    await a.mgr.connect({ address: b.id.address }, [proxy.endpoint]);
    expect(b.mgr.stats().cookiesSent).toBe(1);
  });

  it('under load, a spoofed flood only gets small cookie replies and costs no signatures', async () => {
    const b = await node({ underLoad: () => true });
    const s = await raw();
    const replies: Buffer[] = [];
    s.on('message', (m) => replies.push(m));
    for (const init of validInits(b.id.address, 100)) await sendRaw(s, init, b.endpoint);
    await waitFor(() => replies.length === 100);
    expect(b.mgr.stats()).toMatchObject({ cookiesSent: 100, signatures: 0, halfOpen: 0 });
    for (const r of replies) expect(r.length).toBeLessThan(INIT_SIZE); // never amplifies
  });

  it('rate-limits an INIT flood per source IP before any DH or signature work', async () => {
    const b = await node({ handshakeRate: { ratePerSec: 20, burst: 10 } });
    const s = await raw();
    const t = performance.now();
    for (const init of validInits(b.id.address, 500)) await sendRaw(s, init, b.endpoint);
    await waitFor(() => b.mgr.stats().initiationsReceived === 500);
    const elapsedSec = (performance.now() - t) / 1000;
    const st = b.mgr.stats();
    expect(st.signatures).toBeLessThanOrEqual(10 + Math.ceil(20 * elapsedSec) + 1);
    expect(st.signatures).toBeGreaterThanOrEqual(10);
    expect(st.rateLimited).toBe(500 - st.signatures);
    expect(st.verifications).toBe(0);
    expect(b.authorized).toHaveLength(0);
    // a retransmitted INIT is answered from the cache, not with a new signature
    const before = b.mgr.stats().signatures;
    await sleep(200); // refill a few tokens
    const [again] = validInits(b.id.address, 1);
    await sendRaw(s, again!, b.endpoint);
    await sendRaw(s, again!, b.endpoint);
    await sleep(50);
    expect(b.mgr.stats().signatures).toBe(before + 1);
  });

  it('a legitimate peer still gets through after a flood from its own IP (retransmission waits for tokens)', async () => {
    const b = await node({ handshakeRate: { ratePerSec: 20, burst: 5 } });
    const s = await raw();
    for (const init of validInits(b.id.address, 50)) await sendRaw(s, init, b.endpoint);
    const a = await node();
    await a.mgr.connect({ address: b.id.address }, [b.endpoint], 5000);
    expect(a.mgr.isConnected(b.id.address)).toBe(true);
  });
});
