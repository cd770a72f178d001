/**
 * The provider through the node's bridge handlers and events (no chain: nothing here needs
 * an RPC): a request from a dapp that is not installed, connect and personal_sign answered
 * through dapps.providerDecide with their dapps.pending / dapps.providerEvent /
 * dapps.changed events, the channel methods registered, the grant kept across lock and
 * unlock, an uninstall dropping it, and lock sending disconnect and refusing further requests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyMessage } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName, EventPayload } from '../../../src-preload/contract';
import { TypedEmitter } from '../base';
import { failure } from '../base/test-support';
import type { DappInfo } from '../dapps';
import { createNode, type BuNode } from '.';

const MNEMONIC = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const APP = `0x${'c3'.repeat(20)}`;
const dir = mkdtempSync(join(tmpdir(), 'bu-dapp-provider-host-'));
let node: BuNode;
const seen: { name: string; payload: unknown }[] = [];

/** Stands for the dapp store host: one installed dapp, and its 'uninstalled' event. */
class FakeStore extends TypedEmitter<{ uninstalled: { appId: string } }> {
  readonly installed = new Map<string, DappInfo>([[APP, { name: 'Notes', version: '2.0.0', permissions: ['accounts', 'sign', 'storage'], origin: `http://${APP}.localhost:9000` }]]);
  installedInfo = (appId: string) => this.installed.get(appId) ?? null;
  async open() {}
  async close() {}
}
const store = new FakeStore();

function record<E extends EventName>(name: E) {
  node.events.on(name, (payload: EventPayload<E>) => seen.push({ name, payload }));
}

beforeAll(async () => {
  node = await createNode({ dataDir: dir, scryptN: 2 ** 10, chain: { enabled: false }, listen: { host: '127.0.0.1', port: 0 } });
  (node.core as unknown as { dapps: FakeStore }).dapps = store;
  await node.handlers['account.create']({ mnemonic: MNEMONIC, password: 'correct horse', name: 'Dee' });
  for (const e of ['dapps.pending', 'dapps.providerEvent', 'dapps.changed'] as const) record(e);
}, 60_000);

afterAll(async () => {
  await node?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('dapps.provider* on the node', () => {
  it('connects, signs, keeps the grant across a lock, and drops it on uninstall', async () => {
    const h = node.handlers;
    expect((await failure(Promise.resolve().then(() => h['dapps.providerRequest']({ appId: `0x${'d4'.repeat(20)}`, method: 'eth_chainId' })))).code).toBe('NOT_INSTALLED');
    const [me] = await h['wallet.accounts']({});
    const c = await h['dapps.providerRequest']({ appId: APP, method: 'eth_requestAccounts' });
    if (c.kind !== 'pending') throw new Error('expected a pending connect');
    expect(seen.at(-1)).toEqual({ name: 'dapps.pending', payload: c.request });
    expect(await h['dapps.pending']({})).toEqual([c.request]);
    expect(await h['dapps.providerDecide']({ id: c.request.id, approve: true, accounts: [me!.address] })).toEqual({ kind: 'result', result: [me!.address] });
    expect(seen.slice(-2)).toEqual([
      { name: 'dapps.providerEvent', payload: { appId: APP, event: 'accountsChanged', data: [me!.address] } },
      { name: 'dapps.changed', payload: { kind: 'connections', appId: APP } },
    ]);

    const s = await h['dapps.providerRequest']({ appId: APP, method: 'personal_sign', params: ['0x6869', me!.address] });
    if (s.kind !== 'pending') throw new Error('expected a pending signature');
    const sig = (await h['dapps.providerDecide']({ id: s.request.id, approve: true })).result as string;
    expect(verifyMessage('hi', sig)).toBe(me!.address);
    const r = await h['dapps.providerRequest']({ appId: APP, method: 'personal_sign', params: ['0x6869', me!.address] });
    if (r.kind !== 'pending') throw new Error('expected a pending signature');
    expect((await failure(Promise.resolve(h['dapps.providerDecide']({ id: r.request.id, approve: false })))).code).toBe('USER_REJECTED');

    // the runtime's dapp channels are the provider's bitunicom_* extension (this dapp did not declare p2p-channel)
    expect((await failure(Promise.resolve().then(() => h['dapps.providerRequest']({ appId: APP, method: 'bitunicom_requestChannel' })))).code).toBe('PERMISSION_DENIED');
    const conn = await h['dapps.connections']({});
    expect(conn).toEqual([{ appId: APP, name: 'Notes', accounts: [me!.address], permissions: [{ parentCapability: 'eth_accounts', grantedAt: expect.any(Number) }], channelFriends: [] }]);

    const waiting = await h['dapps.providerRequest']({ appId: APP, method: 'personal_sign', params: ['0x6869', me!.address] });
    await h['account.lock']({});
    expect(seen.some((e) => e.name === 'dapps.providerEvent' && (e.payload as { event: string }).event === 'disconnect')).toBe(true);
    expect((await failure(Promise.resolve().then(() => h['dapps.providerRequest']({ appId: APP, method: 'eth_accounts' })))).code).toBe('LOCKED');

    await h['account.unlock']({ password: 'correct horse' });
    expect(await h['dapps.pending']({})).toEqual([]); // waiting requests went with the lock
    if (waiting.kind === 'pending') expect((await failure(Promise.resolve(h['dapps.providerDecide']({ id: waiting.request.id, approve: true })))).code).toBe('NOT_FOUND');
    expect(await h['dapps.providerRequest']({ appId: APP, method: 'eth_accounts' })).toEqual({ kind: 'result', result: [me!.address] });

    // its storage, kept by the node (encrypted store), survives the lock too
    expect(await h['dapps.providerRequest']({ appId: APP, method: 'bitunicom_storageSet', params: ['notes', 'buy milk'] })).toEqual({ kind: 'result', result: true });
    expect(await h['dapps.providerRequest']({ appId: APP, method: 'bitunicom_storageGet', params: ['notes'] })).toEqual({ kind: 'result', result: 'buy milk' });

    store.installed.delete(APP);
    store.emit('uninstalled', { appId: APP });
    expect(await h['dapps.connections']({})).toEqual([]);
    store.installed.set(APP, { name: 'Notes', version: '2.0.0', permissions: ['accounts', 'storage'], origin: 'http://x.localhost' });
    expect(await h['dapps.providerRequest']({ appId: APP, method: 'eth_accounts' })).toEqual({ kind: 'result', result: [] });
    expect(await h['dapps.providerRequest']({ appId: APP, method: 'bitunicom_storageKeys' })).toEqual({ kind: 'result', result: [] }); // uninstall removed its data
  }, 60_000);
});
