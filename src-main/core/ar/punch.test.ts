import { describe, expect, it } from 'vitest';
import { sameEndpoint, type Endpoint } from '../net';
import { mappingDelayMs, openerPacket, PUNCH_OPENER } from './punch';
import { closeAfterEach, startClient, startRouter, waitFor, type ClientNode } from './test-helpers';

const track = closeAfterEach();

type Sent = { at: number; to: Endpoint; first: number; ttl: number | null };

/** Records every datagram a client's real socket sends, with the TTL of limited sends. */
function spy(n: ClientNode): Sent[] {
  const log: Sent[] = [];
  const udp = n.udp as unknown as { send: (d: unknown, to: Endpoint) => void; sendWithTtl: (d: Uint8Array, to: Endpoint, ttl: number) => boolean };
  const send = udp.send.bind(udp);
  const limited = udp.sendWithTtl.bind(udp);
  udp.send = (d, to) => {
    const first = d instanceof Uint8Array ? d[0]! : (d as Uint8Array[])[0]![0]!;
    log.push({ at: performance.now(), to: { ...to }, first, ttl: null });
    send(d, to);
  };
  udp.sendWithTtl = (d, to, ttl) => {
    log.push({ at: performance.now(), to: { ...to }, first: d[0]!, ttl });
    return limited(d, to, ttl);
  };
  return log;
}

describe('hole punch choreography (introduced side)', () => {
  it('opener packets are content-free, start with 0x42 and differ', () => {
    const a = openerPacket();
    const b = openerPacket();
    expect(a[0]).toBe(PUNCH_OPENER);
    expect(a.length).toBe(12);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  it('waits about two router round trips (bounded) before aiming at the mapping', () => {
    expect(mappingDelayMs(null)).toBe(120);
    expect(mappingDelayMs(0.2)).toBe(40);
    expect(mappingDelayMs(100)).toBe(220);
    expect(mappingDelayMs(5000)).toBe(1000);
  });

  it('B sends TTL-2 openers to A’s mapping before consenting, and no full packet to it before the delay', async () => {
    const r = await track(startRouter());
    const a = await track(startClient({ routers: () => [r.hint] }));
    const b = await track(startClient({ routers: () => [r.hint] }));
    await Promise.all([a.ar.start(), b.ar.start()]);
    const log = spy(b);
    const t0 = performance.now();
    const res = await a.ar.introduce(b.id.address);
    const answeredAt = performance.now();
    expect(res).not.toBeNull();
    const mapped = a.udp.address(); // on loopback the router sees A's own endpoint
    const toA = log.filter((s) => sameEndpoint(s.to, mapped));
    const openers = toA.filter((s) => s.first === PUNCH_OPENER);
    expect(openers.length).toBe(2);
    expect(openers.every((o) => o.ttl === 2)).toBe(true);
    // consent (INTRO_ACCEPT → INTRO_OK) only after the openers left
    expect(openers[0]!.at).toBeGreaterThanOrEqual(t0);
    expect(openers[1]!.at).toBeLessThanOrEqual(answeredAt);
    // A never connects: B's own INITs reach A's mapping after the delay, with full TTL
    await waitFor(() => a.sessions.isConnected(b.id.address), 5000, 'B punched back to A');
    const inits = log.filter((s) => sameEndpoint(s.to, mapped) && s.first === 0x01);
    expect(inits.length).toBeGreaterThanOrEqual(1);
    expect(inits[0]!.ttl).toBeNull();
    expect(inits[0]!.at - openers[1]!.at).toBeGreaterThanOrEqual(35);
  });

  it('B does not punch at all when A already has a direct session with it', async () => {
    const r = await track(startRouter());
    const a = await track(startClient({ routers: () => [r.hint] }));
    const b = await track(startClient({ routers: () => [r.hint] }));
    await Promise.all([a.ar.start(), b.ar.start()]);
    await a.sessions.connect({ address: b.id.address }, [b.udp.address()]);
    await waitFor(() => b.sessions.isConnected(a.id.address), 5000, 'session');
    const log = spy(b);
    expect(await a.ar.introduce(b.id.address)).not.toBeNull();
    await new Promise((ok) => setTimeout(ok, 300));
    expect(log.filter((s) => sameEndpoint(s.to, a.udp.address()) && s.first === 0x01)).toEqual([]);
  });
});
