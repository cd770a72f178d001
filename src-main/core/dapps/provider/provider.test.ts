import { describe, expect, it } from 'vitest';
import { PendingRequest } from '../../../../src-preload/contract';
import { DappProvider } from './provider';
import { MAX_PER_DAPP, MAX_TOTAL, PENDING_TTL_MS } from './pending';
import { A1, A2, APP, APP2, HIDDEN, SECOND, WATCH, codeOf, connect, errorOf, pendingOf, setup } from './test-support';

const hexMsg = (s: string) => `0x${Buffer.from(s).toString('hex')}`;

describe('dapp provider: installation, gating, unsupported methods', () => {
  it('refuses a dapp that is not installed, and methods off the allow-list', async () => {
    const s = setup();
    expect(await codeOf(s.provider.request(APP2, 'eth_chainId'))).toBe('NOT_INSTALLED');
    for (const m of ['eth_sign', 'eth_sendRawTransaction', 'eth_signTypedData', 'eth_coinbase', 'toString', '__proto__', 'constructor', 'bitunicom_unknown']) {
      expect(await codeOf(s.provider.request(APP, m))).toBe('UNSUPPORTED_METHOD');
    }
  });

  it('answers chain id and net_version from the selected network', async () => {
    const s = setup();
    expect(await s.provider.request(APP, 'eth_chainId')).toEqual({ kind: 'result', result: '0x19e934' });
    expect(await s.provider.request(APP, 'net_version', [])).toEqual({ kind: 'result', result: '1698100' });
    expect(await codeOf(s.provider.request(APP, 'eth_chainId', [1]))).toBe('BAD_INPUT');
  });

  it('names the missing manifest permission', async () => {
    const s = setup({ [APP]: { name: 'Viewer', permissions: [] }, [APP2]: { name: 'Signer', permissions: ['accounts'] } });
    const e = await errorOf(s.provider.request(APP, 'eth_requestAccounts'));
    expect(e.code).toBe('PERMISSION_DENIED');
    expect(e.message).toContain('"accounts" permission');
    expect(e.message).toContain('Viewer');
    expect(await s.provider.request(APP, 'eth_accounts')).toEqual({ kind: 'result', result: [] });
    await connect(s, [A1], APP2);
    const sign = await errorOf(s.provider.request(APP2, 'personal_sign', [hexMsg('hi'), A1]));
    expect([sign.code, sign.message.includes('"sign" permission')]).toEqual(['PERMISSION_DENIED', true]);
    const typed = await errorOf(s.provider.request(APP2, 'eth_signTypedData_v4', [A1, '{}']));
    expect(typed.code).toBe('PERMISSION_DENIED');
    const tx = await errorOf(s.provider.request(APP2, 'eth_sendTransaction', [{ from: A1, to: A2 }]));
    expect([tx.code, tx.message.includes('"transact" permission')]).toEqual(['PERMISSION_DENIED', true]);
  });
});

describe('dapp provider: connecting (EIP-1102, EIP-2255)', () => {
  it('eth_accounts is empty before connecting; connect offers the visible accounts and grants only those picked', async () => {
    const s = setup();
    expect(await s.provider.request(APP, 'eth_accounts')).toEqual({ kind: 'result', result: [] });
    const r = pendingOf(await s.provider.request(APP, 'eth_requestAccounts'));
    expect(PendingRequest.parse(r)).toEqual(r);
    expect(r.kind).toBe('connect');
    expect(r.choices).toEqual([
      { address: A1, name: 'Account 1' },
      { address: A2, name: 'Account 2' },
      { address: WATCH, name: 'Watched (watch-only)' },
    ]);
    expect(r.choices.map((c) => c.address)).not.toContain(HIDDEN);
    expect(r.rows.map((x) => x.label)).toEqual(['Dapp', 'Origin', 'Network', 'It will be able to']);
    expect(r.rows[3]!.value).toContain('ask you to send transactions');
    expect(r.chain).toEqual({ chainId: 1698100, name: 'BitUnicom devnet' });
    expect(s.pending).toEqual([r.id]);
    expect(s.provider.pending().map((p) => p.id)).toEqual([r.id]);
    expect(await s.provider.decide(r.id, true, { accounts: [A2] })).toEqual({ kind: 'result', result: [A2] });
    expect(s.events).toEqual([{ appId: APP, event: 'accountsChanged', data: [A2] }]);
    expect(await s.provider.request(APP, 'eth_accounts')).toEqual({ kind: 'result', result: [A2] });
    expect(await s.provider.request(APP, 'eth_requestAccounts')).toEqual({ kind: 'result', result: [A2] });
    expect(await codeOf(s.provider.decide(r.id, true, { accounts: [A1] }))).toBe('NOT_FOUND'); // decided once
  });

  it('refuses accounts that were not offered, none at all, and a second connect while one waits', async () => {
    const s = setup();
    const r = pendingOf(await s.provider.request(APP, 'eth_requestAccounts'));
    expect(await codeOf(s.provider.request(APP, 'wallet_requestPermissions', [{ eth_accounts: {} }]))).toBe('BUSY');
    expect(await codeOf(s.provider.decide(r.id, true, { accounts: [HIDDEN] }))).toBe('BAD_INPUT');
    const r2 = pendingOf(await s.provider.request(APP, 'eth_requestAccounts'));
    expect(await codeOf(s.provider.decide(r2.id, true, { accounts: [] }))).toBe('BAD_INPUT');
    expect(await s.provider.request(APP, 'eth_accounts')).toEqual({ kind: 'result', result: [] });
  });

  it('reject is USER_REJECTED and grants nothing', async () => {
    const s = setup();
    const r = pendingOf(await s.provider.request(APP, 'eth_requestAccounts'));
    const e = await errorOf(s.provider.decide(r.id, false));
    expect(e.code).toBe('USER_REJECTED');
    expect(await s.provider.request(APP, 'eth_accounts')).toEqual({ kind: 'result', result: [] });
    expect(s.events).toEqual([]);
  });

  it('wallet_requestPermissions / getPermissions / revokePermissions speak EIP-2255', async () => {
    const s = setup();
    const origin = s.dir.infos.get(APP)!.origin;
    expect(await s.provider.request(APP, 'wallet_getPermissions')).toEqual({ kind: 'result', result: [] });
    expect(await codeOf(s.provider.request(APP, 'wallet_requestPermissions', [{ eth_accounts: {}, eth_sign: {} }]))).toBe('BAD_INPUT');
    const r = pendingOf(await s.provider.request(APP, 'wallet_requestPermissions', [{ eth_accounts: {} }]));
    const perm = { invoker: origin, parentCapability: 'eth_accounts', caveats: [{ type: 'restrictReturnedAccounts', value: [A1, A2] }], date: s.clock.now() };
    expect(await s.provider.decide(r.id, true, { accounts: [A1, A2] })).toEqual({ kind: 'result', result: [perm] });
    expect(await s.provider.request(APP, 'wallet_getPermissions')).toEqual({ kind: 'result', result: [perm] });
    // connected: wallet_requestPermissions asks again (to change accounts); eth_requestAccounts does not
    const again = pendingOf(await s.provider.request(APP, 'wallet_requestPermissions', [{ eth_accounts: {} }]));
    expect(again.rows.find((x) => x.label === 'Connected now')?.value).toBe('Account 1, Account 2');
    await s.provider.decide(again.id, false).catch(() => undefined);
    expect(await s.provider.request(APP, 'wallet_revokePermissions', [{ eth_accounts: {} }])).toEqual({ kind: 'result', result: null });
    expect(await s.provider.request(APP, 'eth_accounts')).toEqual({ kind: 'result', result: [] });
    expect(s.events.map((e) => e.data)).toEqual([[A1, A2], []]);
  });

  it('grants persist in the settings table under dapps.provider.* and fail closed when damaged', async () => {
    const s = setup();
    await connect(s, [A1]);
    expect([...s.settings.map.keys()].every((k) => k.startsWith('dapps.provider.'))).toBe(true);
    const again = new DappProvider({ wallet: s.wallet, directory: s.dir, settings: s.settings });
    expect(await again.request(APP, 'eth_accounts')).toEqual({ kind: 'result', result: [A1] });
    s.settings.map.set(`dapps.provider.app.${APP}`, '{"v":1,"accounts":["0xnot"],"grantedAt":1}');
    expect(await again.request(APP, 'eth_accounts')).toEqual({ kind: 'result', result: [] });
    s.settings.map.set(`dapps.provider.app.${APP}`, 'not json');
    expect(await again.request(APP, 'eth_accounts')).toEqual({ kind: 'result', result: [] });
  });
});

describe('dapp provider: pending requests', () => {
  it(`holds at most ${MAX_PER_DAPP} per dapp and ${MAX_TOTAL} in all`, async () => {
    const apps = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`0x${String(i + 1).repeat(40)}`, { name: `Dapp ${i + 1}` }]));
    const s = setup(apps);
    const ids = Object.keys(apps);
    for (const id of ids) await connect(s, [A1], id);
    for (const id of ids.slice(0, 4)) {
      for (let k = 0; k < MAX_PER_DAPP; k++) pendingOf(await s.provider.request(id, 'personal_sign', [hexMsg(`m${k}`), A1]));
    }
    const perDapp = await errorOf(s.provider.request(ids[0]!, 'personal_sign', [hexMsg('one more'), A1]));
    expect([perDapp.code, perDapp.message]).toEqual(['BUSY', `Dapp 1 already has ${MAX_PER_DAPP} requests waiting for you: answer those first.`]);
    expect(s.provider.pending()).toHaveLength(MAX_TOTAL);
    expect(await codeOf(s.provider.request(ids[4]!, 'personal_sign', [hexMsg('x'), A1]))).toBe('BUSY');
    await s.provider.decide(s.provider.pending()[0]!.id, false).catch(() => undefined);
    pendingOf(await s.provider.request(ids[4]!, 'personal_sign', [hexMsg('x'), A1]));
  });

  it(`expire after ${PENDING_TTL_MS / 60000} minutes`, async () => {
    const s = setup();
    const r = pendingOf(await s.provider.request(APP, 'eth_requestAccounts'));
    s.clock.advance(PENDING_TTL_MS - 1);
    expect(s.provider.pending()).toHaveLength(1);
    s.clock.advance(1);
    expect(s.provider.pending()).toEqual([]);
    const e = await errorOf(s.provider.decide(r.id, true, { accounts: [A1] }));
    expect([e.code, e.message.includes('expired')]).toEqual(['NOT_FOUND', true]);
    pendingOf(await s.provider.request(APP, 'eth_requestAccounts')); // no longer BUSY
  });

  it('an approval after the dapp was uninstalled is NOT_INSTALLED', async () => {
    const s = setup();
    const r = pendingOf(await s.provider.request(APP, 'eth_requestAccounts'));
    s.dir.infos.delete(APP);
    expect(await codeOf(s.provider.decide(r.id, true, { accounts: [A1] }))).toBe('NOT_INSTALLED');
  });
});

describe('dapp provider: events, connections, revoke, extensions', () => {
  it('chainChanged goes to every dapp seen when the selected chain changes; accountsChanged when a granted account leaves the wallet', async () => {
    const s = setup({ [APP]: {}, [APP2]: { name: 'Other' } });
    await connect(s, [A1, A2]);
    await s.provider.request(APP2, 'eth_chainId');
    s.events.length = 0;
    s.wallet.fire('networks'); // reachability only: no change of chain
    expect(s.events).toEqual([]);
    s.wallet.selectNetwork(SECOND.id);
    expect(s.events).toEqual([
      { appId: APP, event: 'chainChanged', data: '0x7a69' },
      { appId: APP2, event: 'chainChanged', data: '0x7a69' },
    ]);
    s.events.length = 0;
    s.wallet.state.accounts = s.wallet.state.accounts.filter((a) => a.address !== A2);
    s.wallet.fire('accounts');
    expect(s.events).toEqual([{ appId: APP, event: 'accountsChanged', data: [A1] }]);
  });

  it('connections lists grants; revoke accounts / all; close sends disconnect', async () => {
    const s = setup();
    await connect(s, [A1]);
    const granted = s.clock.now();
    const channel = new Map([[APP, [{ address: A2, name: 'Bob' }]]]);
    s.provider.addExtension({
      methods: {},
      channelApps: () => [...channel.keys()],
      channelFriends: (id) => channel.get(id) ?? [],
      revokeChannel: (id, friend) => {
        if (friend === undefined) channel.delete(id);
        else channel.set(id, (channel.get(id) ?? []).filter((f) => f.address !== friend));
      },
    });
    expect(s.provider.connections()).toEqual([{ appId: APP, name: 'Swap', accounts: [A1], permissions: [{ parentCapability: 'eth_accounts', grantedAt: granted }], channelFriends: [{ address: A2, name: 'Bob' }] }]);
    expect(s.provider.revoke(APP, 'accounts')).toEqual({ appId: APP, name: 'Swap', accounts: [], permissions: [], channelFriends: [{ address: A2, name: 'Bob' }] });
    expect(s.events.at(-1)).toEqual({ appId: APP, event: 'accountsChanged', data: [] });
    expect(s.provider.connections()).toHaveLength(1); // still listed for its channel grant
    pendingOf(await s.provider.request(APP, 'eth_requestAccounts'));
    expect(s.provider.revoke(APP, 'all').channelFriends).toEqual([]);
    expect(s.provider.pending()).toEqual([]);
    expect(s.provider.connections()).toEqual([]);
    s.provider.close();
    expect(s.events.at(-1)).toEqual({ appId: APP, event: 'disconnect', data: { code: 4900, message: 'The wallet is locked.' } });
    expect(await codeOf(s.provider.request(APP, 'eth_chainId'))).toBe('LOCKED');
  });

  it('extension methods: bitunicom_ names only, manifest-gated, pending with friends', async () => {
    const s = setup({ [APP]: { permissions: ['p2p-channel'] }, [APP2]: { permissions: [] } });
    expect(() => s.provider.addExtension({ methods: { eth_foo: { handle: async () => ({ kind: 'result', result: 1 }) } } })).toThrow(/bitunicom_/);
    s.provider.addExtension({
      methods: {
        bitunicom_openChannel: {
          permission: 'p2p-channel',
          handle: async (ctx) => ({
            kind: 'pending',
            request: ctx.pend({ kind: 'channel', title: 'Open a channel', account: null, friends: [{ address: A2, name: 'Bob', online: true }], rows: [] }, async (d) => d.friends ?? []),
          }),
        },
      },
    });
    expect(await codeOf(s.provider.request(APP2, 'bitunicom_openChannel'))).toBe('PERMISSION_DENIED');
    const r = pendingOf(await s.provider.request(APP, 'bitunicom_openChannel'));
    expect(r.friends).toEqual([{ address: A2, name: 'Bob', online: true }]);
    expect(await s.provider.decide(r.id, true, { friends: [A2] })).toEqual({ kind: 'result', result: [A2] });
  });
});
