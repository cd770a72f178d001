import { afterEach, describe, expect, it } from 'vitest';
import { isBuError } from '../base';
import { randomBytes } from '../crypto';
import { MAX_PAYLOAD, MAX_UNFRAGMENTED_PAYLOAD } from './constants';
import { mac1Key, stampInit } from './cookie';
import { makeIdentity, Proxy, sleep, startNode, waitFor, type TestNode } from './test-helpers';

const nodes: TestNode[] = [];
async function node(opts: Parameters<typeof startNode>[0] = {}): Promise<TestNode> {
  const n = await startNode(opts);
  nodes.push(n);
  return n;
}
afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.close()));
});

describe('SessionManager: handshake', () => {
  it('establishes a session both ways with both identities proven and authorized', async () => {
    const a = await node();
    const b = await node();
    const established: { who: string; initiator: boolean; peer: string }[] = [];
    a.mgr.on('established', (e) => established.push({ who: 'a', initiator: e.initiator, peer: e.peer.address }));
    b.mgr.on('established', (e) => established.push({ who: 'b', initiator: e.initiator, peer: e.peer.address }));
    const info = await a.mgr.connect({ address: b.id.address, publicKey: b.id.publicKey }, [b.endpoint]);
    expect(info.address).toBe(b.id.address);
    expect(info.publicKey).toEqual(b.id.publicKey);
    expect(info.endpoint).toEqual(b.endpoint);
    await waitFor(() => b.mgr.isConnected(a.id.address));
    expect(a.authorized.map((p) => p.address)).toEqual([b.id.address]);
    expect(b.authorized.map((p) => p.address)).toEqual([a.id.address]);
    expect(b.authorized[0]!.publicKey).toEqual(a.id.publicKey);
    expect(established).toEqual(
      expect.arrayContaining([
        { who: 'a', initiator: true, peer: b.id.address },
        { who: 'b', initiator: false, peer: a.id.address },
      ]),
    );
    const ai = a.mgr.info(b.id.address)!;
    expect(ai.rttMs).toBeGreaterThanOrEqual(0);
    expect(ai.establishedAt).toBeGreaterThan(0);
    // the reverse direction reuses the live session instead of a new handshake
    const before = b.mgr.stats().handshakesCompleted;
    const back = await b.mgr.connect({ address: a.id.address }, [a.endpoint]);
    expect(back.address).toBe(a.id.address);
    expect(b.mgr.stats().handshakesCompleted).toBe(before);
    expect(a.mgr.sessionSummary(b.id.address)!.remoteSid).toBe(b.mgr.sessionSummary(a.id.address)!.localSid);
  });

  it('works when the responder connects to the initiator too (handshake in the other direction)', async () => {
    const a = await node();
    const b = await node();
    await b.mgr.connect({ address: a.id.address }, [a.endpoint]);
    expect(a.mgr.isConnected(b.id.address)).toBe(true);
    expect(b.mgr.sessionSummary(a.id.address)!.initiator).toBe(true);
  });

  it('fails when the endpoint belongs to someone else, and the node there stays silent (mac1 keyed by its address)', async () => {
    const a = await node();
    const b = await node();
    const stranger = makeIdentity();
    const err = await a.mgr.connect({ address: stranger.address }, [b.endpoint], 800).catch((e: unknown) => e);
    expect(isBuError(err, 'NETWORK')).toBe(true);
    expect(a.mgr.isConnected(stranger.address)).toBe(false);
    expect(a.mgr.isConnected(b.id.address)).toBe(false);
    expect(b.mgr.stats()).toMatchObject({ initiationsReceived: 0, signatures: 0 });
    expect(b.mgr.stats().dropped).toBeGreaterThan(0);
    expect(a.authorized).toHaveLength(0);
  });

  it('fails fast when an active attacker relays our INIT to a different identity', async () => {
    const b = await node();
    const proxy = await Proxy.start(b.endpoint);
    const a = await node();
    const victim = makeIdentity(); // whom A wants to reach
    // the attacker knows B's address and re-stamps mac1 so that B answers (mac1 is not authentication)
    proxy.filter = (d, dir) => (dir === 'toServer' && d[0] === 1 ? Buffer.from(stampInit(d, mac1Key(b.id.address), null)) : d);
    try {
      const t = Date.now();
      const err = await a.mgr.connect({ address: victim.address }, [proxy.endpoint], 5000).catch((e: unknown) => e);
      expect(isBuError(err, 'NETWORK')).toBe(true);
      expect((err as Error).message).toContain(victim.address);
      expect(Date.now() - t).toBeLessThan(2000); // B proved it is not the victim: no need to wait
      expect(a.authorized).toHaveLength(0);
      expect(b.mgr.stats().signatures).toBe(1);
      expect(b.authorized).toHaveLength(0); // A never sent FINISH
    } finally {
      await proxy.close();
    }
  });

  it('rejects a public key that does not match the address, and bad input', async () => {
    const a = await node();
    const b = await node();
    const other = makeIdentity();
    await expect(a.mgr.connect({ address: b.id.address, publicKey: other.publicKey }, [b.endpoint])).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(a.mgr.connect({ address: 'nope' }, [b.endpoint])).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(a.mgr.connect({ address: a.id.address }, [b.endpoint])).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(a.mgr.connect({ address: b.id.address }, [])).rejects.toMatchObject({ code: 'NETWORK' });
  });

  it('times out with NETWORK when nobody answers, retransmitting INIT with backoff meanwhile', async () => {
    const a = await node();
    const silent = await Proxy.start({ host: '127.0.0.1', port: 9 }); // a socket that never answers
    silent.filter = () => null;
    try {
      const t = Date.now();
      const err = await a.mgr.connect({ address: makeIdentity().address }, [silent.endpoint], 1300).catch((e: unknown) => e);
      expect(isBuError(err, 'NETWORK')).toBe(true);
      expect(Date.now() - t).toBeGreaterThanOrEqual(1250);
      const inits = silent.seen.filter((p) => p.data[0] === 1);
      expect(inits.length).toBeGreaterThanOrEqual(3); // 0, ~250, ~750 ms (250 → 500 → 1000 backoff)
      expect(inits.length).toBeLessThanOrEqual(5);
      expect(new Set(inits.map((p) => p.data.toString('hex'))).size).toBe(1); // same INIT each time
    } finally {
      await silent.close();
    }
  });

  it('recovers from a lost CONFIRM: early traffic is delivered and makes the initiator resend FINISH', async () => {
    const b = await node();
    const proxy = await Proxy.start(b.endpoint);
    const a = await node();
    let dropped = 0;
    proxy.filter = (d, dir) => (dir === 'toClient' && d[0] === 5 && dropped++ === 0 ? null : d); // the first transport packet to A is CONFIRM
    b.mgr.on('established', (e) => b.mgr.send(e.peer.address, () => Uint8Array.of(42)));
    try {
      const t = Date.now();
      await a.mgr.connect({ address: b.id.address }, [proxy.endpoint]);
      expect(Date.now() - t).toBeLessThan(200); // did not wait for the 250 ms FINISH retransmission timer
      expect(dropped).toBeGreaterThanOrEqual(1);
      await waitFor(() => a.received.length === 1);
      expect(a.received[0]!.data[0]).toBe(42);
      expect(b.mgr.stats()).toMatchObject({ verifications: 1, signatures: 1, handshakesCompleted: 1 }); // repeated FINISH cost no crypto
      expect(proxy.seen.filter((p) => p.direction === 'toServer' && p.data[0] === 3).length).toBe(2);
    } finally {
      await proxy.close();
    }
  });

  it('tries every endpoint and uses the one that answers', async () => {
    const a = await node();
    const b = await node();
    const dead = await Proxy.start({ host: '127.0.0.1', port: 9 });
    dead.filter = () => null;
    try {
      const info = await a.mgr.connect({ address: b.id.address }, [dead.endpoint, b.endpoint]);
      expect(info.endpoint).toEqual(b.endpoint);
    } finally {
      await dead.close();
    }
  });
});

describe('SessionManager: data', () => {
  it('round-trips small, empty, max-unfragmented and 60 KiB fragmented payloads with matching envelope keys', async () => {
    const a = await node();
    const b = await node();
    await a.mgr.connect({ address: b.id.address }, [b.endpoint]);
    await waitFor(() => b.mgr.isConnected(a.id.address));
    const payloads = [Uint8Array.of(1, 2, 3), new Uint8Array(0), randomBytes(MAX_UNFRAGMENTED_PAYLOAD), randomBytes(MAX_UNFRAGMENTED_PAYLOAD + 1), randomBytes(60 * 1024), randomBytes(MAX_PAYLOAD)];
    const sentKeys: Uint8Array[] = [];
    for (const p of payloads) expect(a.mgr.send(b.id.address, (k) => (sentKeys.push(k), p))).toBe(true);
    await waitFor(() => b.received.length === payloads.length, 5000, 'all payloads');
    const got = [...b.received].sort((x, y) => x.data.length - y.data.length);
    const want = [...payloads].sort((x, y) => x.length - y.length);
    for (let i = 0; i < want.length; i++) expect(Buffer.from(got[i]!.data).equals(Buffer.from(want[i]!))).toBe(true);
    for (const m of b.received) {
      expect(m.peer.address).toBe(a.id.address);
      expect(m.envelopeKey).toEqual(sentKeys[0]); // A's send-direction key is B's receive-direction key
    }
    // and the other direction uses a different envelope key
    b.mgr.send(a.id.address, () => Uint8Array.of(9));
    await waitFor(() => a.received.length === 1);
    expect(a.received[0]!.envelopeKey).not.toEqual(sentKeys[0]);
    // fragments travel as ≤ 1200-byte encrypted datagrams
    expect(() => a.mgr.send(b.id.address, () => new Uint8Array(MAX_PAYLOAD + 1))).toThrow(expect.objectContaining({ code: 'TOO_LONG' }));
  });

  it('keeps every datagram within 1200 bytes and never shows the payload in clear', async () => {
    const b = await node();
    const proxy = await Proxy.start(b.endpoint);
    const a = await node();
    try {
      await a.mgr.connect({ address: b.id.address }, [proxy.endpoint]);
      const marker = Buffer.from('PLAINTEXT-MARKER-'.repeat(3500));
      a.mgr.send(b.id.address, () => marker);
      await waitFor(() => b.received.length === 1);
      expect(Buffer.from(b.received[0]!.data).equals(marker)).toBe(true);
      expect(Math.max(...proxy.seen.map((p) => p.data.length))).toBeLessThanOrEqual(1200);
      for (const p of proxy.seen) expect(p.data.includes('PLAINTEXT-MARKER')).toBe(false);
    } finally {
      await proxy.close();
    }
  });

  it('send() returns false without a session', async () => {
    const a = await node();
    let built = false;
    expect(a.mgr.send(makeIdentity().address, () => ((built = true), new Uint8Array(1)))).toBe(false);
    expect(built).toBe(false);
  });
});

describe('SessionManager: liveness', () => {
  it('keeps an idle session alive with keepalives and closes a dead one after idleTimeoutMs', async () => {
    const a = await node({ idleTimeoutMs: 600 });
    const b = await node({ idleTimeoutMs: 600 });
    const closed: string[] = [];
    a.mgr.on('closed', (e) => closed.push(e.address));
    await a.mgr.connect({ address: b.id.address }, [b.endpoint]);
    await sleep(1000); // > idle timeout with no application traffic: keepalives carry it
    expect(a.mgr.isConnected(b.id.address)).toBe(true);
    expect(closed).toEqual([]);
    // B disappears without a word (its socket closes; no CLOSE is sent)
    nodes.splice(nodes.indexOf(b), 1);
    await b.socket.close();
    await waitFor(() => closed.length === 1, 3000, 'closed event');
    expect(closed).toEqual([b.id.address]);
    expect(a.mgr.isConnected(b.id.address)).toBe(false);
    expect(a.mgr.info(b.id.address)).toBeNull();
    await b.mgr.close();
  });

  it('tells the peer when it closes, so the peer emits closed at once', async () => {
    const a = await node();
    const b = await node();
    const closed: string[] = [];
    a.mgr.on('closed', (e) => closed.push(e.address));
    await a.mgr.connect({ address: b.id.address }, [b.endpoint]);
    nodes.splice(nodes.indexOf(b), 1);
    await b.close();
    await waitFor(() => closed.length === 1, 2000);
    expect(a.mgr.isConnected(b.id.address)).toBe(false);
  });

  it('disconnect() drops the session on both sides and a later connect builds a new one', async () => {
    const a = await node();
    const b = await node();
    await a.mgr.connect({ address: b.id.address }, [b.endpoint]);
    a.mgr.disconnect(b.id.address);
    expect(a.mgr.isConnected(b.id.address)).toBe(false);
    await waitFor(() => !b.mgr.isConnected(a.id.address));
    await a.mgr.connect({ address: b.id.address }, [b.endpoint]);
    a.mgr.send(b.id.address, () => Uint8Array.of(1));
    await waitFor(() => b.received.length === 1);
  });

  it('rejects pending connects when closed', async () => {
    const a = await node();
    const silent = await Proxy.start({ host: '127.0.0.1', port: 9 });
    silent.filter = () => null;
    const p = a.mgr.connect({ address: makeIdentity().address }, [silent.endpoint], 5000).catch((e: unknown) => e);
    await a.mgr.close();
    expect(await p).toMatchObject({ code: 'NETWORK' });
    await silent.close();
  });
});
