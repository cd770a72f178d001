import { describe, expect, it } from 'vitest';
import { sameEndpoint } from '../net';
import { PUNCH_OPENER } from './punch';
import { sleep, startClient, startRouter, waitFor, closeAfterEach } from './test-helpers';

const track = closeAfterEach();

describe('AR registration and rendezvous', () => {
  it('registers through a probe + authenticated session; the router records the observed endpoint', async () => {
    const r = await track(startRouter());
    const a = await track(startClient({ routers: () => [r.hint], friends: () => false }));
    let routersEvents = 0;
    a.ar.on('routers', () => routersEvents++);
    await a.ar.start();
    expect(a.ar.connectedRouters()).toEqual([{ address: r.id.address, endpoint: r.endpoint, rttMs: expect.any(Number) }]);
    expect(a.ar.isRouter(r.id.address)).toBe(true);
    expect(a.ar.observations()).toEqual([{ router: r.id.address, observed: a.udp.address() }]);
    expect(r.server.isRegistered(a.id.address)).toBe(true);
    expect(r.server.stats().probes).toBe(1);
    expect(routersEvents).toBe(1);
  });

  it('introduces A to B: B opens its mapping, consents, A connects, one session A↔B', async () => {
    const r = await track(startRouter());
    const a = await track(startClient({ routers: () => [r.hint] }));
    const b = await track(startClient({ routers: () => [r.hint] }));
    await Promise.all([a.ar.start(), b.ar.start()]);
    const intros: Array<{ peer: string; endpoints: unknown[] }> = [];
    b.ar.on('intro', (i) => intros.push(i));
    const openers: number[] = [];
    a.udp.onPacket((d) => d[0] === PUNCH_OPENER && openers.push(d.length));

    const res = await a.ar.introduce(b.id.address);
    expect(res).not.toBeNull();
    expect(res!.endpoints.some((e) => sameEndpoint(e, b.udp.address()))).toBe(true);
    // B's openers (TTL-limited; on loopback they still arrive) left before A had B's endpoints
    expect(openers.length).toBeGreaterThanOrEqual(1);
    await a.sessions.connect({ address: b.id.address }, res!.endpoints);
    await waitFor(() => b.sessions.isConnected(a.id.address), 5000, 'B connected');
    expect(intros).toHaveLength(1);
    expect(intros[0]!.peer).toBe(a.id.address);
    expect(intros[0]!.endpoints).toContainEqual(a.udp.address());
    await waitFor(() => a.sessions.sessionSummary(b.id.address)?.remoteSid === b.sessions.sessionSummary(a.id.address)?.localSid, 5000, 'one session');
    expect(r.server.stats().intros).toBe(1);

    a.sessions.send(b.id.address, () => Uint8Array.from([0x08, 1, 2, 3]));
    await waitFor(() => b.received.length === 1);
    expect([...b.received[0]!.data]).toEqual([0x08, 1, 2, 3]);
  });

  it('an unregistered or unwilling target is indistinguishable: introduce() → null, no endpoints leak', async () => {
    const r = await track(startRouter({ limits: { consentTimeoutMs: 300 } }));
    const a = await track(startClient({ routers: () => [r.hint] }));
    const shy = await track(startClient({ routers: () => [r.hint], client: { acceptPeer: () => false } }));
    await Promise.all([a.ar.start(), shy.ar.start()]);
    const stranger = await track(startClient());
    let t0 = Date.now();
    expect(await a.ar.introduce(stranger.id.address)).toBeNull(); // not registered anywhere
    const offlineMs = Date.now() - t0;
    let intro = false;
    shy.ar.on('intro', () => (intro = true));
    expect(await shy.ar.introduce(a.id.address)).not.toBeNull(); // a accepts everyone
    t0 = Date.now();
    expect(await a.ar.introduce(shy.id.address)).toBeNull(); // online, but silent
    const silentMs = Date.now() - t0;
    // the same answer after the same consent timeout: presence does not leak through timing
    expect(offlineMs).toBeGreaterThanOrEqual(250);
    expect(silentMs).toBeGreaterThanOrEqual(250);
    expect(intro).toBe(false);
    expect(await a.ar.introduce(a.id.address)).toBeNull(); // self
  });

  it('asks the routers listed for the peer (temporary session) when our own do not know it', async () => {
    const r1 = await track(startRouter());
    const r2 = await track(startRouter());
    const a = await track(startClient({ routers: () => [r1.hint] }));
    const b = await track(startClient({ routers: () => [r2.hint] }));
    await Promise.all([a.ar.start(), b.ar.start()]);
    const res = await a.ar.introduce(b.id.address, [r2.endpoint]);
    expect(res?.endpoints).toContainEqual(b.udp.address());
    expect(a.ar.connectedRouters().map((x) => x.address)).toEqual([r1.id.address]); // r2 is not a home router
    expect(a.ar.isRouter(r2.id.address)).toBe(true);
    expect(r2.server.isRegistered(a.id.address)).toBe(false);
  });

  it('re-registers when the local endpoints change, so introductions carry the new ones', async () => {
    const r = await track(startRouter());
    let lan = [{ host: '192.168.7.10', port: 4000 }];
    const a = await track(startClient({ routers: () => [r.hint] }));
    const b = await track(startClient({ routers: () => [r.hint], client: { keepaliveMs: 100, localEndpoints: () => lan } }));
    await Promise.all([a.ar.start(), b.ar.start()]);
    expect((await a.ar.introduce(b.id.address))?.endpoints).toContainEqual({ host: '192.168.7.10', port: 4000 });
    lan = [{ host: '10.1.2.3', port: 4001 }];
    let eps: Array<{ host: string }> = [];
    for (let i = 0; i < 20 && !eps.some((e) => e.host === '10.1.2.3'); i++) {
      await sleep(100);
      eps = (await a.ar.introduce(b.id.address))?.endpoints ?? [];
    }
    expect(eps).toContainEqual({ host: '10.1.2.3', port: 4001 });
    expect(eps.some((e) => e.host === '192.168.7.10')).toBe(false);
  });
});
