import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startClient, waitFor, type ClientNode } from '../../core/ar/test-helpers';
import { main } from '../cli';
import type { CliDeps } from '../context';
import { KEY_FILE } from './ar';

let dir: string;
const clients: ClientNode[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bu-ar-cli-'));
});
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  rmSync(dir, { recursive: true, force: true });
});

function deps(signal?: AbortSignal) {
  const out: string[] = [];
  const err: string[] = [];
  const d: CliDeps = {
    io: { out: (t) => void out.push(t), err: (t) => void err.push(t), env: {}, stdin: Readable.from([]), platform: 'linux', home: dir, cwd: dir },
    shutdownSignal: signal,
    loadCore: () => Promise.reject(new Error('ar must not open a chat profile')),
  };
  return { d, out, err };
}

/** Starts `bitunicom ar` in-process; resolves with its Router line's address and port. */
async function startAr(extra: string[] = []) {
  const ac = new AbortController();
  const h = deps(ac.signal);
  const done = main(['ar', '--listen', '127.0.0.1:0', '--data', dir, '--log-level', 'warn', ...extra], h.d);
  await waitFor(() => h.out.some((l) => l.startsWith('Router: ')) || h.err.length > 0, 10_000, 'Router line');
  const m = /^Router: (0x[0-9a-fA-F]{40}) udp 127\.0\.0\.1:(\d+)$/.exec(h.out.find((l) => l.startsWith('Router: ')) ?? '');
  expect(m, h.err.join('\n')).not.toBeNull();
  return { address: m![1]!, port: Number(m![2]), out: h.out, stop: async () => (ac.abort(), done) };
}

describe('bitunicom ar', () => {
  it('runs a router a client can register with, keeping its identity across restarts', async () => {
    const r = await startAr();
    const c = await startClient({ routers: () => [{ host: '127.0.0.1', port: r.port }] });
    clients.push(c);
    await c.ar.start();
    expect(c.ar.connectedRouters().map((x) => x.address)).toEqual([r.address]);
    expect(await c.ar.mailboxPut(c.id.address, Uint8Array.from([1, 2, 3]), [])).toBe(true);
    expect(await r.stop()).toBe(0);

    const keyFile = join(dir, KEY_FILE);
    expect(readFileSync(keyFile, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'ar-mailbox.db')).mode & 0o777).toBe(0o600);

    const again = await startAr(['--public-address', '127.0.0.1:40999']);
    expect(again.address).toBe(r.address);
    expect(again.port).toBe(40999); // the printed address is the public one
    expect(await again.stop()).toBe(0);
  });

  it('seeds the .bud bundles of --dapps DIR to its clients by content hash', async () => {
    const { BundleSwarm, attachSessions, sessionSender } = await import('../../core/dapps');
    const { makeBud, tempDir } = await import('../../core/dapps/distribution/test-support');
    const { writeFileSync } = await import('node:fs');
    const dapps = tempDir();
    const { bud, contentHash } = await makeBud(600 * 1024, 51);
    writeFileSync(join(dapps, 'app.bud'), bud);
    const r = await startAr(['--dapps', dapps]);
    expect(r.out).toContain(`Dapps: seeding 1 bundle from ${dapps}`);
    const c = await startClient({ routers: () => [{ host: '127.0.0.1', port: r.port }] });
    clients.push(c);
    await c.ar.start();
    const swarm = new BundleSwarm({ send: sessionSender(c.sessions), peers: () => [r.address], partialDir: tempDir(), seed: false });
    const off = attachSessions(swarm, c.sessions);
    try {
      const got = await swarm.fetch(contentHash);
      expect(Buffer.from(got.bytes).equals(Buffer.from(bud))).toBe(true);
      expect(got.servedBy).toEqual([r.address]);
    } finally {
      off();
      await swarm.close();
    }
    expect(await r.stop()).toBe(0);
  });

  it('needs --listen, and refuses a damaged key file', async () => {
    const h = deps();
    expect(await main(['ar', '--data', dir], h.d)).toBe(2);
    expect(h.err.join('\n')).toMatch(/--listen/);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, KEY_FILE), 'not a key\n', { mode: 0o600 });
    const h2 = deps(AbortSignal.abort());
    expect(await main(['ar', '--listen', '127.0.0.1:0', '--data', dir], h2.d)).toBe(1);
    expect(h2.err.join('\n')).toMatch(/keystore|key/i);
  });
});
