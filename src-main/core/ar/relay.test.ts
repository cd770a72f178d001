import dgram from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { sameEndpoint, type Endpoint } from '../net';
import { MAX_UNFRAGMENTED_PAYLOAD } from '../session';
import { sleep, startClient, startRouter, waitFor, closeAfterEach } from './test-helpers';

const track = closeAfterEach();

const MARKER = new TextEncoder().encode('relay-plaintext-marker:');

function contains(hay: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

async function relayedPair(limits: Parameters<typeof startRouter>[0] = {}, client = {}) {
  const r = await track(startRouter(limits));
  const a = await track(startClient({ routers: () => [r.hint], client }));
  const b = await track(startClient({ routers: () => [r.hint], client }));
  await Promise.all([a.ar.start(), b.ar.start()]);
  return { r, a, b };
}

describe('AR relay circuits', () => {
  it('carries an A↔B session the router cannot read: only 0x40 frames of session packets, 500 round trips', async () => {
    const { r, a, b } = await relayedPair();
    const atRouter: Uint8Array[] = [];
    r.udp.onPacket((d) => {
      if (d[0] === 0x40) atRouter.push(new Uint8Array(d));
    });
    const direct: Endpoint[] = [];
    a.udp.onPacket((_d, from) => sameEndpoint(from, b.udp.address()) && direct.push(from));
    b.udp.onPacket((_d, from) => sameEndpoint(from, a.udp.address()) && direct.push(from));
    const offers: Array<{ peer: string; endpoint: Endpoint }> = [];
    b.ar.on('relayOffer', (o) => offers.push(o));

    const virtual = await a.ar.openRelay(b.id.address);
    expect(virtual).not.toBeNull();
    expect(a.socket.isRelayEndpoint(virtual!)).toBe(true);
    expect(virtual!.port).toBe(r.endpoint.port);
    expect(offers).toEqual([{ peer: a.id.address, endpoint: expect.objectContaining({ port: r.endpoint.port }), router: r.id.address }]);
    await a.sessions.connect({ address: b.id.address }, [virtual!]);
    await waitFor(() => b.sessions.isConnected(a.id.address));
    expect(b.socket.isRelayEndpoint(b.sessions.info(a.id.address)!.endpoint)).toBe(true);

    b.sessions.on('message', ({ peer, data }) => {
      if (data[0] !== 0xa7) b.sessions.send(peer.address, () => data);
    });
    const N = 500;
    for (let i = 0; i < N; i += 50) {
      for (let k = i; k < i + 50; k++) {
        const p = new Uint8Array(MARKER.length + 200);
        p.set(MARKER);
        new DataView(p.buffer).setUint32(MARKER.length, k);
        a.sessions.send(b.id.address, () => p);
      }
      await waitFor(() => a.received.length >= i + 50, 5000, `echoes up to ${i + 50}`);
    }
    const seqs = a.received.map((m) => new DataView(m.data.buffer, m.data.byteOffset).getUint32(MARKER.length));
    expect(new Set(seqs).size).toBe(N);

    expect(direct).toEqual([]); // nothing went A↔B directly
    expect(atRouter.length).toBeGreaterThanOrEqual(2 * N);
    for (const f of atRouter) {
      expect(f[9]).toBeGreaterThanOrEqual(0x01); // inner datagram = a session packet (INIT…TRANSPORT)
      expect(f[9]).toBeLessThanOrEqual(0x05);
      expect(contains(f, MARKER)).toBe(false); // end-to-end ciphertext only
    }
    const st = r.server.stats();
    expect(st.relayedFrames).toBe(atRouter.length);
    expect(st.droppedSpoofed + st.droppedRate + st.droppedUnknownCircuit).toBe(0);
  });

  it('drops frames from anyone but the circuit owner’s session endpoint, unknown circuits and oversized frames', async () => {
    const { r, a, b } = await relayedPair();
    const virtual = await a.ar.openRelay(b.id.address);
    await a.sessions.connect({ address: b.id.address }, [virtual!]);
    const cid = a.socket.circuitFor(virtual!)!.cidBytes;
    const spoofer = dgram.createSocket('udp4');
    await new Promise<void>((res) => spoofer.bind(0, '127.0.0.1', res));
    const before = b.socket.stats().framesIn;
    const frame = Buffer.concat([Buffer.from([0x40]), Buffer.from(cid), Buffer.from([0x05, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 9, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1])]);
    for (let i = 0; i < 5; i++) spoofer.send(frame, r.endpoint.port, '127.0.0.1');
    spoofer.send(Buffer.concat([Buffer.from([0x40]), Buffer.alloc(8, 0x77), Buffer.from([5, 5])]), r.endpoint.port, '127.0.0.1');
    await waitFor(() => r.server.stats().droppedSpoofed === 5 && r.server.stats().droppedUnknownCircuit === 1);
    // from A's own socket, but larger than any session datagram
    a.udp.send(new Uint8Array(9 + 1201).fill(0x40).map((x, i) => (i >= 1 && i <= 8 ? cid[i - 1]! : x)), r.endpoint);
    await waitFor(() => r.server.stats().droppedOversize === 1);
    await sleep(50);
    expect(b.socket.stats().framesIn).toBe(before);
    spoofer.close();
  });

  it('enforces the per-circuit byte rate', async () => {
    const { r, a, b } = await relayedPair({ limits: { circuitBytesPerSec: 10_000, circuitBurstBytes: 20_000 } });
    const virtual = await a.ar.openRelay(b.id.address);
    await a.sessions.connect({ address: b.id.address }, [virtual!]);
    const payload = new Uint8Array(MAX_UNFRAGMENTED_PAYLOAD).fill(3);
    for (let i = 0; i < 100; i++) a.sessions.send(b.id.address, () => payload);
    await sleep(300);
    // 20 KB burst + 10 KB/s ≈ 20 datagrams of 1,200 bytes, not 100
    expect(b.received.length).toBeGreaterThan(5);
    expect(b.received.length).toBeLessThan(30);
    expect(r.server.stats().droppedRate).toBeGreaterThan(60);
  });

  it('limits circuits per client and needs the target’s consent', async () => {
    const { r, a, b } = await relayedPair({ limits: { maxCircuitsPerClient: 2, consentTimeoutMs: 300 } });
    expect(await a.ar.openRelay(b.id.address)).not.toBeNull();
    expect(await a.ar.openRelay(b.id.address)).not.toBeNull();
    expect(await a.ar.openRelay(b.id.address)).toBeNull();
    expect(r.server.stats().circuits).toBe(2);
    const c = await track(startClient({ routers: () => [r.hint], client: { acceptPeer: (_p, kind) => kind !== 'relay' } }));
    await c.ar.start();
    expect(await b.ar.openRelay(c.id.address)).toBeNull(); // b has 2 circuits already
    const d = await track(startClient({ routers: () => [r.hint] }));
    await d.ar.start();
    expect(await d.ar.openRelay(c.id.address)).toBeNull(); // c declines relays
    expect(r.server.stats().circuits).toBe(2);
  });

  it('closes idle circuits (both sides forget them) and keeps busy ones alive by renewing', async () => {
    const { r, a, b } = await relayedPair({ limits: { circuitIdleMs: 300, circuitMaxMs: 600 } }, { keepaliveMs: 100 });
    const idle = await a.ar.openRelay(b.id.address);
    expect(idle).not.toBeNull();
    await waitFor(() => a.socket.circuits().length === 0 && b.socket.circuits().length === 0, 3000, 'idle circuit closed');
    expect(r.server.stats().circuits).toBe(0);

    const busy = await a.ar.openRelay(b.id.address);
    await a.sessions.connect({ address: b.id.address }, [busy!]);
    const until = Date.now() + 1500; // 2.5 × the maximum duration
    while (Date.now() < until) {
      a.sessions.send(b.id.address, () => Uint8Array.from([1]));
      await sleep(50);
    }
    expect(r.server.stats().circuits).toBe(1);
    expect(a.socket.circuitFor(busy!)).not.toBeNull();
    const n = b.received.length;
    a.sessions.send(b.id.address, () => Uint8Array.from([2]));
    await waitFor(() => b.received.length === n + 1);
  });
});
