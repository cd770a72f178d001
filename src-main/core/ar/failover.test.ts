import { describe, expect, it } from 'vitest';
import type { RouterHint } from './ar-client';
import { closeAfterEach, startClient, startRouter, waitFor, type ClientNode } from './test-helpers';

const track = closeAfterEach();

const addresses = (c: ClientNode) => c.ar.connectedRouters().map((r) => r.address).sort();

describe('AR client router management', () => {
  it('replaces a crashed router (pings unanswered) with another one from routers()', async () => {
    const [r1, r2, r3] = [await track(startRouter()), await track(startRouter()), await track(startRouter())];
    let known: RouterHint[] = [r1.hint, r2.hint];
    const c = await track(startClient({ routers: () => known, client: { keepaliveMs: 100, deadAfterMs: 400, retryAfterMs: 60_000 } }));
    let changes = 0;
    c.ar.on('routers', () => changes++);
    await c.ar.start();
    expect(addresses(c)).toEqual([r1.id.address, r2.id.address].sort());
    await waitFor(() => c.ar.connectedRouters().every((r) => r.rttMs !== null));

    known = [r1.hint, r2.hint, r3.hint]; // e.g. the DHT found one more
    const t0 = Date.now();
    await r1.crash(); // no CLOSE: only the missing PONGs tell
    await waitFor(() => addresses(c).join() === [r2.id.address, r3.id.address].sort().join(), 5000, 'r3 replaces r1');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    expect(r3.server.isRegistered(c.id.address)).toBe(true);
    expect(c.ar.isRouter(r1.id.address)).toBe(false);
    expect(changes).toBeGreaterThanOrEqual(4); // +r1 +r2, −r1, +r3
  });

  it('replaces a router that closed the session at once, without waiting for keepalives', async () => {
    const r1 = await track(startRouter());
    const r2 = await track(startRouter());
    const c = await track(startClient({ routers: () => [r1.hint, r2.hint], client: { maxRouters: 1, keepaliveMs: 30_000 } }));
    await c.ar.start();
    expect(addresses(c)).toEqual([r1.id.address]);
    const t0 = Date.now();
    await r1.close();
    await waitFor(() => addresses(c).join() === r2.id.address, 3000, 'r2 replaces r1');
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('keeps retrying when no router answers, and registers once one appears', async () => {
    const r = await track(startRouter());
    const hint = { ...r.hint };
    await r.close();
    const c = await track(startClient({ routers: () => [hint], client: { keepaliveMs: 100, retryAfterMs: 200, connectTimeoutMs: 300 } }));
    await c.ar.start();
    expect(c.ar.connectedRouters()).toEqual([]);
    const again = await track(startRouter({ port: hint.port }));
    await waitFor(() => c.ar.connectedRouters().length === 1, 5000, 'registered after the router came up');
    expect(again.server.isRegistered(c.id.address)).toBe(true);
  });
});
