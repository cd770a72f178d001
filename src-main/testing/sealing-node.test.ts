/**
 * The sealing worker inside a node, through the bridge contract (the dispatcher validates every
 * input with zod as both shells and the CLI do): mode, CPU cap and the idle override change
 * `node.status().sealing`; a bad cap is BAD_INPUT; settings survive a restart of the node;
 * with keys and registration the worker seals, and locking the account ends it ("Locked").
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../bridge/dispatcher';
import { generateMnemonic } from '../core/account';
import { createNode, type BuNode } from '../core/node';
import { tempDir, TEST_PASSWORD } from '../core/testnet';
import { readFileSync, rmSync } from 'node:fs';

const BURN = { kind: 'module' as const, url: new URL('../core/seal/sealing/burn-runner.ts', import.meta.url).href, init: {} };

let nodes: BuNode[] = [];
let dirs: string[] = [];
afterEach(async () => {
  for (const n of nodes) await n.close();
  nodes = [];
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

async function open(dir?: string) {
  const d = dir ?? tempDir('bu-sealing-node-');
  if (!dir) dirs.push(d);
  const n = await createNode({ dataDir: d, scryptN: 2 ** 10, chain: { enabled: false }, listen: { host: '127.0.0.1', port: 0 } });
  nodes.push(n);
  return { n, d, call: createDispatcher(n.handlers).call };
}

describe('sealing in the node', () => {
  it('sets mode, cap and idle through the bridge, validates input, and keeps the settings', async () => {
    const { n, d, call } = await open();
    const st = await n.handlers['node.status']({});
    expect(st.sealing).toMatchObject({ mode: 'idle', state: 'paused', reason: 'Locked', cpuCapPercent: 50, sealsMade: 0, rewardsWei: '0' });

    expect(await call('sealing.setMode', { mode: 'always' })).toMatchObject({ ok: true, result: { mode: 'always' } });
    expect(await call('sealing.setCpuCap', { percent: 25 })).toMatchObject({ ok: true, result: { cpuCapPercent: 25 } });
    expect(await call('sealing.setCpuCap', { percent: 5 })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(await call('sealing.setCpuCap', { percent: 33.5 })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(await call('sealing.setMode', { mode: 'sometimes' })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(await call('sealing.setIdle', { state: 'idle' })).toMatchObject({ ok: true });
    expect(await call('sealing.setIdle', { state: 'asleep' })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(await call('sealing.activity', {})).toEqual({ ok: true, result: { ok: true } });
    expect(await call('sealing.activity', { x: 1 })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(n.core.sealing.idle.snapshot()).toMatchObject({ userIdle: false, override: 'auto' });

    await n.close();
    nodes = nodes.filter((x) => x !== n);
    const again = await open(d);
    expect((await again.n.handlers['node.status']({})).sealing).toMatchObject({ mode: 'always', cpuCapPercent: 25 });
  });

  it.skipIf(process.platform !== 'linux')('seals once keyed and registered, counts it in the status, and stops on lock', async () => {
    const { n, call } = await open();
    await n.handlers['account.create']({ mnemonic: generateMnemonic(), password: TEST_PASSWORD, name: 'Sealy' });
    const host = n.core.sealing;
    // The POE engine's part, done by hand: a job runner (CPU burning instead of the Sealer) and registration.
    await host.setRunner(BURN);
    host.setParticipation({ registered: true, syncing: false });
    await call('sealing.setMode', { mode: 'always' });
    await call('sealing.setIdle', { state: 'idle' });
    expect((await n.handlers['node.status']({})).sealing).toMatchObject({ state: 'sealing', reason: null });

    const sealed = new Promise<Uint8Array>((r) => host.controller.events.on('seal', r));
    expect(host.submit({ height: 1n, round: 0, busyMs: 20 } as never)).toBe(true);
    expect((await sealed).length).toBe(32);
    expect((await n.handlers['node.status']({})).sealing).toMatchObject({ sealsMade: 1 });
    const pushed = await new Promise<number>((r) => {
      const off = n.events.on('node.status', (s) => s.sealing && (off(), r(s.sealing.sealsMade)));
    });
    expect(pushed).toBe(1);

    await call('sealing.activity', {});
    expect((await n.handlers['node.status']({})).sealing).toMatchObject({ state: 'sealing' }); // throttled to 5 %, not paused
    await call('sealing.setMode', { mode: 'idle' });
    expect((await n.handlers['node.status']({})).sealing).toMatchObject({ state: 'paused', reason: 'You are using the computer' });

    await n.handlers['account.lock']({});
    expect((await n.handlers['node.status']({})).sealing).toMatchObject({ state: 'paused', reason: 'Locked', sealsMade: 1 });
    expect(host.controller.workerInfo).toBeNull();
    // The tally is in the chain folder; locking flushed nothing away.
    await n.close();
    nodes = nodes.filter((x) => x !== n);
    expect(JSON.parse(readFileSync(join(n.dataDir, 'chain', 'sealing.json'), 'utf8'))).toMatchObject({ sealsMade: 1 });
  });
});
