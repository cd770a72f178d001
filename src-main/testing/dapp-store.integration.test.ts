/**
 * The dapp store end to end between two whole nodes on loopback (real UDP, a friend session,
 * encrypted stores, each its own embedded devnet whose genesis lists the sample dapps): Alice's
 * node ships the signed Hello bundle (resources/dapps/bundles) and seeds it; Bob's node has no
 * bundle. Bob installs Hello by its app id — listing from his registry, bundle fetched through
 * the swarm over the friend session, verified against the listing, extracted — then
 * `dapps.launch` gives the URL the headless dapp server serves the entry from, in its own
 * origin with the strict CSP and the provider shim. Uninstalling removes it again.
 */
import { mkdirSync, symlinkSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DappProgressT, EventPayload } from '../../src-preload/contract';
import { RESOURCES_DIR } from '../core/chain/testing';
import { befriend, startTestNode, stopAll, tempDir, waitFor, type TestNode } from '../core/testnet';
import { dappOrigin, startDappServer, type DappServer } from '../daemon/dapp-server';

const HELLO = '0x0faed322521b51d70016067b15e618d3fb61f219';
const UI = 'http://127.0.0.1:4100';

let alice: TestNode;
let bob: TestNode;
let server: DappServer;
const dirs: string[] = [];
const progress: DappProgressT[] = [];
const changed: EventPayload<'dapps.changed'>[] = [];

/** Bob's resources: the chain template and contracts, but no sample bundles of his own. */
function resourcesWithoutBundles(): string {
  const dir = tempDir('bu-res-');
  dirs.push(dir);
  for (const sub of ['chain', 'contracts', 'dapp-runtime']) symlinkSync(join(RESOURCES_DIR, sub), join(dir, sub));
  mkdirSync(join(dir, 'dapps'));
  return dir;
}

type Reply = { status: number; headers: IncomingHttpHeaders; body: string };
function get(url: string, headers: Record<string, string>): Promise<Reply> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port: u.port, path: u.pathname + u.search, headers: { host: u.host, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    })
      .on('error', reject)
      .end();
  });
}

beforeAll(async () => {
  const chain = { rpcPort: 0, intervalMs: 500 };
  const a = tempDir();
  const b = tempDir();
  dirs.push(a, b);
  alice = await startTestNode('Alice', a, { resourcesDir: RESOURCES_DIR, chain });
  bob = await startTestNode('Bob', b, { resourcesDir: resourcesWithoutBundles(), chain });
  bob.events.on('dapps.progress', (p) => progress.push(p));
  bob.events.on('dapps.changed', (c) => changed.push(c));
  await befriend(alice, bob);
  server = await startDappServer({ resolve: (id, p) => bob.dapps.resolve(id, p), frameAncestors: () => [UI], shimFile: join(RESOURCES_DIR, 'dapp-runtime', 'provider.js') });
  bob.setDappServer({ urlOf: server.urlOf, originOf: (id) => dappOrigin(id, server.port) });
}, 90_000);

afterAll(async () => {
  await server?.close();
  await stopAll([alice, bob], dirs);
});

describe('dapp store between two nodes', () => {
  it("lists the genesis samples from Bob's registry", async () => {
    let cat = await bob.handlers['dapps.catalog']({});
    await waitFor(async () => (cat = await bob.handlers['dapps.catalog']({})).state === 'ok', 30_000, 100);
    expect(cat.apps.map((x) => x.name).sort()).toEqual(['Hello', 'Shared To-Do', 'Tic-Tac-Toe', 'Token Poll']);
    expect(cat.apps.find((x) => x.appId === HELLO)).toMatchObject({ latestVersion: '0.1.0', installedVersion: null, sample: true });
    await expect(bob.handlers['dapps.launch']({ appId: HELLO })).rejects.toMatchObject({ code: 'NOT_INSTALLED' });
  });

  it('installs Hello by app id through the swarm from Alice, verified against the listing', async () => {
    const inst = await bob.handlers['dapps.install']({ appId: HELLO });
    expect(inst).toMatchObject({ appId: HELLO, name: 'Hello', version: '0.1.0', permissions: ['accounts', 'sign', 'transact'], updateAvailable: null });
    expect(inst.icon).toMatch(/^data:image\/svg\+xml;base64,/);
    const phases = progress.filter((p) => p.appId === HELLO).map((p) => p.phase);
    expect(phases[0]).toBe('finding-peers');
    expect(phases.slice(-3)).toEqual(['verifying', 'installing', 'done']);
    expect(progress.some((p) => p.phase === 'downloading' && p.peers >= 1)).toBe(true);
    expect(changed).toContainEqual({ kind: 'installed', appId: HELLO });
    expect((await bob.handlers['dapps.installed']({})).map((x) => x.appId)).toEqual([HELLO]);
    const detail = await bob.handlers['dapps.detail']({ appId: HELLO });
    expect(detail.bundle).toMatchObject({ version: '0.1.0', signatureValid: true, permissions: ['accounts', 'sign', 'transact'] });
    expect(detail.installedVersion).toBe('0.1.0');
    // Bob seeds what he installed
    expect(bob.core.runtime!.swarm.source.list().length).toBe(1);
  }, 60_000);

  it('launches it from the dapp server in its own origin with the CSP and the provider shim', async () => {
    const launch = await bob.handlers['dapps.launch']({ appId: HELLO });
    expect(launch.origin).toBe(`http://${HELLO.slice(2)}.localhost:${server.port}`);
    expect(launch.url.startsWith(`${launch.origin}/index.html?__bu_launch=`)).toBe(true);
    const page = await get(launch.url, { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'iframe' });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; media-src 'self' blob:; " +
        `connect-src 'none'; frame-src 'none'; worker-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors ${UI}`,
    );
    expect(page.body).toMatch(/<head[^>]*><script src="\/__bitunicom\/provider\.js"><\/script>/i);
    expect(page.body).toContain('app.js');
    const script = await get(`${launch.origin}/app.js`, { 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'script' });
    expect([script.status, script.headers['content-type']]).toEqual([200, 'text/javascript; charset=utf-8']);
    const shim = await get(`${launch.origin}/__bitunicom/provider.js`, { 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'script' });
    expect(shim.status).toBe(200);
    expect(bob.dapps.installedInfo(HELLO)).toEqual({ name: 'Hello', version: '0.1.0', permissions: ['accounts', 'sign', 'transact'], origin: launch.origin });
  });

  it('rates and reports on chain from the wallet; the catalog follows the events', async () => {
    changed.length = 0;
    const rated = await bob.handlers['dapps.rate']({ appId: HELLO, stars: 4, confirm: true });
    expect(rated.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    const reported = await bob.handlers['dapps.report']({ appId: HELLO, reason: 'broken', confirm: true });
    expect(reported.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    let d = await bob.handlers['dapps.detail']({ appId: HELLO });
    await waitFor(async () => {
      d = await bob.handlers['dapps.detail']({ appId: HELLO });
      return d.rating.count === 1 && d.reportCount === 1;
    }, 30_000, 200);
    expect(d).toMatchObject({ rating: { average: 4, count: 1 }, myRating: 4, reportsByReason: [{ reason: 'broken', count: 1 }] });
    // the background refresh on new blocks told the UI the catalog moved
    await waitFor(() => changed.some((c) => c.kind === 'catalog'), 10_000);
    await expect(bob.handlers['dapps.rate']({ appId: `0x${'9'.repeat(40)}`, stars: 5, confirm: true })).rejects.toMatchObject({ code: 'DAPP_NOT_FOUND' });
  }, 60_000);

  it('uninstall removes it: no files served, NOT_INSTALLED, an installed change event', async () => {
    changed.length = 0;
    await expect(bob.handlers['dapps.uninstall']({ appId: HELLO, confirm: true })).resolves.toEqual({ ok: true });
    expect(changed).toContainEqual({ kind: 'installed', appId: HELLO });
    await expect(bob.handlers['dapps.launch']({ appId: HELLO })).rejects.toMatchObject({ code: 'NOT_INSTALLED' });
    const gone = await get(`http://${HELLO.slice(2)}.localhost:${server.port}/app.js`, { 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'script' });
    expect(gone.status).toBe(404);
    await waitFor(() => bob.core.runtime!.swarm.source.list().length === 0, 5000);
  });
});
