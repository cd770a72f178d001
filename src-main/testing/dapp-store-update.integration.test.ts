/**
 * Update detection against the real DappRegistry of a node's embedded devnet: the user
 * publishes version 1.0.0 of an app (approve the fee, `publish`, both through `wallet.sendCall`),
 * installs it, publishes 1.1.0 asking for one more permission; the node notices on the next
 * blocks (`dapps.changed` catalog), lists the update, `dapps.checkUpdate` names the added
 * permission, `dapps.update` is refused until it is accepted, then installs 1.1.0 and serves
 * its files. The bundles are the node's own (seeded in its swarm), so no peer is needed.
 */
import { Interface } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../src-preload/contract';
import { RESOURCES_DIR } from '../core/chain/testing';
import { devnetSection } from '../core/chain';
import { packVersion, registryInterface } from '../core/dapps';
import { testBud, type TestBud } from '../core/dapps/library/test-support';
import { startTestNode, stopAll, tempDir, waitFor, type TestNode } from '../core/testnet';

const erc20 = new Interface(['function approve(address spender, uint256 amount) returns (bool)']);
const FEE = 10n * 10n ** 18n;

let node: TestNode;
let registry: string;
let token: string;
const dirs: string[] = [];
const changed: EventPayload<'dapps.changed'>[] = [];

async function mined(hash: string): Promise<void> {
  await waitFor(async () => (await node.handlers['wallet.activity']({ networkId: 'devnet' })).some((a) => a.hash === hash && a.status === 'confirmed'), 30_000, 100);
}

async function send(to: string, data: string): Promise<void> {
  const item = await node.handlers['wallet.sendCall']({ networkId: 'devnet', to, data, confirm: true });
  await mined(item.hash);
}

async function publish(b: TestBud): Promise<void> {
  const m = b.manifest;
  await send(registry, registryInterface.encodeFunctionData('publish', [m.appId, m.name, m.categories[0], packVersion(m.version), b.contentHash, m.author, '']));
}

beforeAll(async () => {
  const dir = tempDir();
  dirs.push(dir);
  node = await startTestNode('Author', dir, { resourcesDir: RESOURCES_DIR, chain: { rpcPort: 0, intervalMs: 500 }, wallet: { pollMs: 250 } });
  node.events.on('dapps.changed', (c) => changed.push(c));
  const contracts = devnetSection(node.core.chain.running!.ledger.genesis)!.contracts;
  registry = contracts.find((c) => c.artifact === 'DappRegistry')!.address!;
  token = contracts.find((c) => c.artifact === 'BitUnicomTestToken')!.address!;
  await waitFor(async () => (await node.handlers['dapps.catalog']({})).state === 'ok', 30_000, 100);
}, 90_000);

afterAll(() => stopAll([node], dirs));

describe('dapp updates from the registry', () => {
  it('publishes, installs, detects the new version and updates with its new permission accepted', async () => {
    const v1 = await testBud({ name: 'Updater', version: '1.0.0', permissions: ['accounts'] });
    const v2 = await testBud({ name: 'Updater', version: '1.1.0', permissions: ['accounts', 'notifications'] });
    const appId = v1.manifest.appId;
    for (const b of [v1, v2]) await node.core.runtime!.swarm.seed(b.bud);
    await send(token, erc20.encodeFunctionData('approve', [registry, 2n * FEE]));
    await publish(v1);
    await waitFor(async () => (await node.handlers['dapps.catalog']({ query: 'updater' })).apps.length === 1, 10_000, 100);
    expect(await node.handlers['dapps.install']({ appId })).toMatchObject({ version: '1.0.0', updateAvailable: null });

    changed.length = 0;
    await publish(v2);
    // the store notices on its own (a refresh after new blocks, announced as dapps.changed 'catalog');
    // an earlier refresh may announce first, so wait for the state rather than the first event
    await waitFor(async () => (await node.handlers['dapps.installed']({}))[0]?.updateAvailable === '1.1.0', 15_000, 50);
    expect(changed.some((c) => c.kind === 'catalog')).toBe(true);
    expect((await node.handlers['dapps.installed']({}))[0]).toMatchObject({ appId, version: '1.0.0', updateAvailable: '1.1.0' });
    const app = (await node.handlers['dapps.catalog']({ query: 'updater' })).apps[0]!;
    expect(app).toMatchObject({ latestVersion: '1.1.0', installedVersion: '1.0.0', updateAvailable: true, sample: false });
    const detail = await node.handlers['dapps.detail']({ appId });
    expect(detail.versions.map((v) => v.version)).toEqual(['1.1.0', '1.0.0']);
    expect(detail.versions[0]!.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(detail.versions[0]!.publishedAt).toBeGreaterThan(0);

    expect(await node.handlers['dapps.checkUpdate']({ appId })).toMatchObject({ from: '1.0.0', to: '1.1.0', added: ['notifications'], removed: [] });
    await expect(node.handlers['dapps.update']({ appId, acceptPermissions: [], confirm: true })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    expect(await node.handlers['dapps.update']({ appId, acceptPermissions: ['notifications'], confirm: true })).toMatchObject({ version: '1.1.0', permissions: ['accounts', 'notifications'], updateAvailable: null });
    const js = await node.dapps.resolve(appId, 'js/app.js');
    expect(Buffer.from(js!.bytes).toString()).toBe('console.log("1.1.0");');
  }, 120_000);
});
