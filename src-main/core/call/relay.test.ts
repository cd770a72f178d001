/**
 * A call through an application router's relay circuit (core/ar, real UDP on loopback): the
 * session runs over the router's virtual endpoint, the call signals and media ride it, and the
 * router — which sees every relayed byte — never sees a frame's content, nor even the call's
 * signalling (both are inside the session's AEAD, and media again inside the call's own).
 * Then the link switch: a call that started relayed moves to a direct path (a fresh session
 * wins by epoch, as after a hole punch) and survives the router's death without ending.
 */
import { describe, expect, it } from 'vitest';
import { silentLogger, waitFor } from '../base';
import { decodeMediaFrame, encodeMediaFrame, type MediaFrame } from '../../../src-preload/contract';
import { closeAfterEach, startClient, startRouter } from '../ar/test-helpers';
import { isCallPayload } from '../base';
import { CallService } from './call-service';

const track = closeAfterEach();
const MARKER = new TextEncoder().encode('call-frame-plaintext-marker');

function contains(hay: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

type Client = Awaited<ReturnType<typeof startClient>>;

function callService(me: Client, friend: Client, name: string): CallService {
  const svc = new CallService({
    self: me.id.address,
    send: (address, payload) => me.sessions.send(address, () => payload),
    isConnected: (address) => me.sessions.isConnected(address),
    friend: (address) => (address.toLowerCase() === friend.id.address.toLowerCase() ? { name } : null),
    link: () => 'relayed',
    connect: () => {},
    record: () => {},
    logger: silentLogger,
  });
  me.sessions.on('message', ({ peer, data }) => {
    if (isCallPayload(data)) svc.onPayload(peer.address, data);
  });
  svc.start();
  return svc;
}

describe('a call over a router relay', () => {
  it('connects, carries frames intact, and the router sees only ciphertext', async () => {
    const r = await track(startRouter({}));
    const a = await track(startClient({ routers: () => [r.hint] }));
    const b = await track(startClient({ routers: () => [r.hint] }));
    await Promise.all([a.ar.start(), b.ar.start()]);
    const relayed: Uint8Array[] = [];
    r.udp.onPacket((d) => void relayed.push(new Uint8Array(d)));
    const virtual = await a.ar.openRelay(b.id.address);
    expect(virtual).not.toBeNull();
    await a.sessions.connect({ address: b.id.address }, [virtual!]);
    await waitFor(() => b.sessions.isConnected(a.id.address));
    expect(b.socket.isRelayEndpoint(b.sessions.info(a.id.address)!.endpoint)).toBe(true);

    const alice = callService(a, b, 'Bob');
    const bob = callService(b, a, 'Alice');
    const atBob: MediaFrame[] = [];
    bob.on('media', (f) => void atBob.push(decodeMediaFrame(f)));
    try {
      const call = alice.startCall(b.id.address, false);
      await waitFor(() => bob.current()?.state === 'incoming', 5000);
      bob.answer(call.id, false);
      await waitFor(() => alice.current()?.state === 'connecting' || alice.current()?.state === 'active', 5000);
      const before = relayed.length;
      for (let i = 0; i < 40; i++) {
        const data = new Uint8Array(MARKER.length + 40);
        data.set(MARKER);
        data[MARKER.length] = i;
        alice.fromUi(encodeMediaFrame({ kind: 'audio', callId: call.id, seq: 0, keyframe: false, recovered: false, timestampUs: i * 20_000, captureMs: Date.now(), durationUs: 20_000, width: 0, height: 0, data }));
        await new Promise((res) => setTimeout(res, 10));
      }
      await waitFor(() => atBob.length >= 40, 5000, 'all 40 frames at Bob');
      expect(atBob.map((f) => f.data[MARKER.length])).toEqual(Array.from({ length: 40 }, (_, i) => i));
      expect(atBob.every((f) => contains(f.data, MARKER))).toBe(true);
      await waitFor(() => alice.current()?.state === 'active' && alice.stats().rttMs !== null, 5000);
      expect(relayed.length - before).toBeGreaterThanOrEqual(40); // the media went through the router
      expect(relayed.some((p) => contains(p, MARKER))).toBe(false);
      const ids = new TextEncoder().encode(call.id);
      expect(relayed.some((p) => contains(p, ids))).toBe(false); // not even the call id of the signalling
      alice.hangup(call.id);
      await waitFor(() => bob.current() === null, 5000);
    } finally {
      alice.stop();
      bob.stop();
    }
  });

  it('keeps the call when the link moves from the relay to a direct path and the router dies', async () => {
    const r = await track(startRouter({})); // closing twice is harmless
    const a = await track(startClient({ routers: () => [r.hint] }));
    const b = await track(startClient({ routers: () => [r.hint] }));
    await Promise.all([a.ar.start(), b.ar.start()]);
    const virtual = await a.ar.openRelay(b.id.address);
    await a.sessions.connect({ address: b.id.address }, [virtual!]);
    await waitFor(() => b.sessions.isConnected(a.id.address));
    const alice = callService(a, b, 'Bob');
    const bob = callService(b, a, 'Alice');
    const atBob: MediaFrame[] = [];
    bob.on('media', (f) => void atBob.push(decodeMediaFrame(f)));
    const changes: string[] = [];
    alice.on('changed', (c) => void changes.push(c.state));
    let i = 0;
    const speak = async (n: number) => {
      for (let k = 0; k < n; k++, i++) {
        alice.fromUi(encodeMediaFrame({ kind: 'audio', callId: call.id, seq: 0, keyframe: false, recovered: false, timestampUs: i * 20_000, captureMs: Date.now(), durationUs: 20_000, width: 0, height: 0, data: Uint8Array.of(i & 0xff, 1, 2, 3) }));
        await new Promise((res) => setTimeout(res, 20));
      }
    };
    const call = alice.startCall(b.id.address, false);
    try {
      await waitFor(() => bob.current()?.state === 'incoming', 5000);
      bob.answer(call.id, false);
      await speak(20);
      await waitFor(() => alice.current()?.state === 'active', 5000);
      expect(a.socket.isRelayEndpoint(a.sessions.info(b.id.address)!.endpoint)).toBe(true);
      // a direct path appears (as after a successful punch): a fresh session over it wins by epoch
      await a.sessions.connect({ address: b.id.address }, [b.udp.address()], 5000, { fresh: true });
      await speak(10);
      await waitFor(() => !a.socket.isRelayEndpoint(a.sessions.info(b.id.address)!.endpoint), 5000, 'the direct path');
      await r.close(); // the router is gone
      const before = atBob.length;
      await speak(40);
      await waitFor(() => atBob.length >= before + 38, 5000, 'frames after the router died');
      expect(alice.current()).toMatchObject({ id: call.id, state: 'active' });
      expect(bob.current()).toMatchObject({ id: call.id, state: 'active' });
      expect(changes).not.toContain('ended');
      const seen = atBob.map((f) => f.data[0]);
      expect(seen.slice(-30)).toEqual(Array.from({ length: 30 }, (_, k) => (i - 30 + k) & 0xff));
    } finally {
      alice.stop();
      bob.stop();
    }
  });
});
