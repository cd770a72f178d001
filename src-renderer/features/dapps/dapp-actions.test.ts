/**
 * @module renderer/features/dapps/dapp-actions.test
 * The DApps buttons against a fake bridge: Update asks first when the new version adds
 * permissions and otherwise updates accepting none; Uninstall learns the origin before the
 * files go, closes the running copy and queues the origin's clear page; a launch on the
 * UI's own origin is refused; install progress starts at "finding peers" and is cleared
 * (Cancel is told to the node); a sent rating is remembered until the chain has it;
 * revoking replaces a connection and drops one left with nothing; a lock drops it all.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DappConnectionT, DappDetailT, UpdateCheckT } from '../../../src-preload/contract';
import { BridgeError } from '../../../src-preload/contract';
import { installBridge } from '../../bridge';
import { useToastStore } from '../../ui/toast-store';
import { cancelInstall, fetchLaunch, installDapp, rateDapp, startUpdate, uninstallDapp } from './dapp-actions';
import { revoke, useConnectionsStore } from './connections-store';
import { resetDapps, useDappsStore } from './dapps-store';
import { resetDappsView, showRunning, useDappsView } from './dapps-view';
import { fakeBridge, settle } from './test-bridge';
import { dropDappsData } from './use-pending-badge';

const APP = '0x0faed322521b51d70016067b15e618d3fb61f219';
const UI = 'http://127.0.0.1:7000';
const ORIGIN = `http://${APP}.localhost:7000`;
const A = '0x1111111111111111111111111111111111111111';
const launch = { appId: APP, name: 'Hello', url: `${ORIGIN}/`, origin: ORIGIN };
const check = (added: UpdateCheckT['added']): UpdateCheckT => ({ appId: APP, from: '1.0.0', to: '1.1.0', added, removed: [], sizeBytes: 100 });
const lists = { 'dapps.installed': () => [], 'dapps.catalog': () => ({ state: 'ok', syncedBlock: null, message: null, apps: [], categories: [] }) };

beforeEach(() => {
  vi.stubGlobal('window', { location: { origin: UI }, setTimeout: () => 0 });
});

afterEach(() => {
  vi.unstubAllGlobals();
  installBridge(null);
  resetDapps();
  resetDappsView();
  useToastStore.setState({ toasts: [] });
  useConnectionsStore.setState({ list: [], status: 'idle' });
});

describe('dapp actions', () => {
  it('asks before an update that adds permissions', async () => {
    const f = fakeBridge({ ...lists, 'dapps.checkUpdate': () => check(['transact']) });
    await startUpdate(APP, 'Hello');
    expect(useDappsView.getState().dialog).toMatchObject({ kind: 'update-permissions', appId: APP, check: { added: ['transact'] } });
    expect(f.methods()).not.toContain('dapps.update');
  });

  it('updates at once, accepting nothing, when no permission is added', async () => {
    const f = fakeBridge({ ...lists, 'dapps.checkUpdate': () => check([]), 'dapps.update': () => ({ version: '1.1.0' }) });
    showRunning({ appId: APP, name: 'Hello', icon: null });
    await startUpdate(APP, 'Hello');
    expect(f.calls.find((c) => c.method === 'dapps.update')?.input).toEqual({ appId: APP, acceptPermissions: [], confirm: true });
    expect(useDappsView.getState().running).toBeNull();
    expect(useToastStore.getState().toasts[0]?.text).toBe('Hello is updated to version 1.1.0.');
  });

  it('uninstalls: origin first, then the files; the running copy closes and the origin is cleared', async () => {
    const f = fakeBridge({ ...lists, 'dapps.launch': () => launch, 'dapps.uninstall': () => ({ ok: true }) });
    showRunning({ appId: APP, name: 'Hello', icon: null });
    await uninstallDapp(APP, 'Hello');
    expect(f.methods().slice(0, 2)).toEqual(['dapps.launch', 'dapps.uninstall']);
    expect(f.calls[1]!.input).toEqual({ appId: APP, confirm: true });
    expect(useDappsView.getState().running).toBeNull();
    expect(useDappsView.getState().clearing).toEqual([ORIGIN]);
  });

  it('refuses a launch on the UI’s own origin, and says a failed launch in words', async () => {
    fakeBridge({ 'dapps.launch': () => ({ ...launch, url: `${UI}/x`, origin: UI }) });
    expect(await fetchLaunch(APP)).toEqual({ problem: expect.stringMatching(/own origin/) });
    fakeBridge({ 'dapps.launch': () => Promise.reject(new BridgeError('NOT_INSTALLED', 'gone')) });
    expect(await fetchLaunch(APP)).toEqual({ problem: 'That dapp is not installed.' });
    fakeBridge({ 'dapps.launch': () => launch });
    expect(await fetchLaunch(APP)).toEqual({ launch });
  });

  it('shows progress from the start of an install, says a cancel kindly, and clears it', async () => {
    let release: () => void = () => {};
    const f = fakeBridge({
      ...lists,
      'dapps.install': async () => {
        await new Promise<void>((r) => (release = r));
        throw new BridgeError('CANCELLED', 'cancelled');
      },
      'dapps.cancel': () => ({ ok: true }),
    });
    const running = installDapp(APP, 'Hello');
    expect(useDappsStore.getState().progress[APP]?.phase).toBe('finding-peers');
    await cancelInstall(APP);
    release();
    await running;
    expect(f.methods()).toContain('dapps.cancel');
    expect(useDappsStore.getState().progress[APP]).toBeUndefined();
    expect(useToastStore.getState().toasts[0]).toMatchObject({ kind: 'info' });
  });

  it('records our own rating on the listing', async () => {
    fakeBridge({ 'dapps.rate': () => ({ txHash: `0x${'a'.repeat(64)}` }) });
    useDappsStore.setState({ details: { [APP]: { appId: APP, myRating: null } as DappDetailT } });
    await rateDapp(APP, 4);
    expect(useDappsStore.getState().sentRatings[APP]).toBe(4);
  });

  it('replaces a revoked connection, and drops it when nothing is left', async () => {
    const conn = (o: Partial<DappConnectionT>): DappConnectionT => ({ appId: APP, name: 'Hello', accounts: [A], permissions: [{ parentCapability: 'eth_accounts', grantedAt: 1 }], channelFriends: [], ...o });
    useConnectionsStore.setState({ list: [conn({})], status: 'ready' });
    const f = fakeBridge({ 'dapps.revoke': (input: { what: string }) => (input.what === 'channel' ? conn({ accounts: [] }) : conn({ accounts: [], permissions: [] })) });
    await revoke({ appId: APP, what: 'channel', friend: A });
    expect(useConnectionsStore.getState().list[0]?.accounts).toEqual([]);
    await revoke({ appId: APP, what: 'accounts' });
    await settle();
    expect(useConnectionsStore.getState().list).toEqual([]);
    expect(f.calls.map((c) => c.input)).toEqual([{ appId: APP, what: 'channel', friend: A }, { appId: APP, what: 'accounts' }]);
  });

  it('drops everything when the account leaves the unlocked app', () => {
    useConnectionsStore.setState({ list: [{ appId: APP, name: 'Hello', accounts: [A], permissions: [], channelFriends: [] }], status: 'ready' });
    showRunning({ appId: APP, name: 'Hello', icon: null });
    useDappsStore.setState({ query: 'x', sentRatings: { [APP]: 3 } });
    dropDappsData();
    expect(useConnectionsStore.getState()).toMatchObject({ list: [], status: 'idle' });
    expect(useDappsView.getState().running).toBeNull();
    expect(useDappsStore.getState()).toMatchObject({ query: '', sentRatings: {}, catalog: null });
  });
});
