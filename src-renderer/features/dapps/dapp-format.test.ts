/**
 * @module renderer/features/dapps/dapp-format.test
 * The DApps screen's words and the confirm dialog's rules: every permission has a sentence,
 * sizes and progress phases read well (never a raw node message with JSON), stars round to
 * halves, the catalog's state is explained, a launch is refused unless its URL is on its own
 * origin (never the UI's), images must be data: URLs; the decoded call becomes rows, Approve
 * waits for a choice and for enough funds, connect preselects only the first account.
 */
import { describe, expect, it } from 'vitest';
import type { DappPermissionT, DappProgressT, PendingRequestT } from '../../../src-preload/contract';
import { DappPermission } from '../../../src-preload/contract';
import {
  capabilityLabel,
  catalogNotice,
  formatBytes,
  holdersLabel,
  isActive,
  launchProblem,
  permissionSentence,
  progressFraction,
  progressLabel,
  ratingLabel,
  safeImage,
  starFills,
  versionDate,
} from './dapp-format';
import { approveBlocker, approveLabel, callRows, initialChoice, queueLabel, toggle } from './pending-format';

const APP = '0x0faed322521b51d70016067b15e618d3fb61f219';
const UI = 'http://127.0.0.1:7000';
const A = '0x1111111111111111111111111111111111111111';
const B = '0x2222222222222222222222222222222222222222';
const progress = (o: Partial<DappProgressT>): DappProgressT => ({ appId: APP, phase: 'downloading', receivedBytes: 0, totalBytes: null, peers: 0, message: null, ...o });
const amount = (formatted: string) => ({ amount: '1', formatted, symbol: 'BU', decimals: 18 });

function request(o: Partial<PendingRequestT>): PendingRequestT {
  return {
    id: 'a'.repeat(32),
    appId: APP,
    appName: 'Hello',
    origin: `http://${APP}.localhost:7000`,
    kind: 'connect',
    title: 'Connect Hello',
    chain: { chainId: 7, name: 'Devnet' },
    account: null,
    choices: [],
    friends: [],
    rows: [],
    call: null,
    warnings: [],
    createdAt: 1,
    ...o,
  };
}

describe('dapp format', () => {
  it('explains every manifest permission in a sentence', () => {
    for (const p of DappPermission.options as DappPermissionT[]) expect(permissionSentence(p)).toMatch(/^It .+\.$/);
    expect(capabilityLabel('eth_accounts')).toBe('See the connected accounts (eth_accounts)');
    expect(capabilityLabel('wallet_snap')).toBe('wallet_snap');
  });

  it('formats sizes in decimal units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(12_345)).toBe('12.3 KB');
    expect(formatBytes(4_500_000)).toBe('4.5 MB');
    expect(formatBytes(250_000_000)).toBe('250 MB');
    expect(formatBytes(null)).toBe('unknown size');
  });

  it('says each install phase in words, with x of y while downloading', () => {
    expect(progressLabel(progress({ phase: 'finding-peers' }))).toBe('Finding peers that hold it…');
    expect(progressLabel(progress({ phase: 'finding-peers', peers: 2 }))).toBe('Finding peers… 2 found');
    expect(progressLabel(progress({ receivedBytes: 1_200_000, totalBytes: 3_400_000 }))).toBe('Downloading 1.2 MB of 3.4 MB');
    expect(progressLabel(progress({ phase: 'verifying' }))).toMatch(/^Verifying/);
    expect(progressLabel(progress({ phase: 'installing' }))).toBe('Installing…');
    expect(progressLabel(progress({ phase: 'failed', message: 'no peer answered' }))).toBe('Install failed: no peer answered');
    expect(progressLabel(progress({ phase: 'failed', message: '{"code":1}' }))).toBe('Install failed.');
    expect(progressFraction(progress({ receivedBytes: 50, totalBytes: 200 }))).toBe(0.25);
    expect(progressFraction(progress({ phase: 'finding-peers' }))).toBeNull();
    expect(progressFraction(progress({ phase: 'verifying' }))).toBe(1);
    expect(isActive(progress({ phase: 'installing' }))).toBe(true);
    expect(isActive(progress({ phase: 'done' }))).toBe(false);
    expect(isActive(undefined)).toBe(false);
  });

  it('rounds ratings to half stars and words them', () => {
    expect(starFills(4.3)).toEqual(['full', 'full', 'full', 'full', 'half']);
    expect(starFills(4.8)).toEqual(['full', 'full', 'full', 'full', 'full']);
    expect(starFills(null)).toEqual(['empty', 'empty', 'empty', 'empty', 'empty']);
    expect(ratingLabel({ average: 4.25, count: 12 })).toBe('4.3 out of 5 · 12 ratings');
    expect(ratingLabel({ average: 5, count: 1 })).toBe('5.0 out of 5 · 1 rating');
    expect(ratingLabel({ average: null, count: 0 })).toBe('No ratings yet');
    expect(holdersLabel(0)).toMatch(/No peer/);
    expect(holdersLabel(3)).toBe('Held by 3 peers online');
    expect(versionDate(null)).toBe('Sample listing');
  });

  it('explains a syncing or unreadable catalog, and says nothing when it is fine', () => {
    expect(catalogNotice({ state: 'ok', message: null })).toBeNull();
    expect(catalogNotice({ state: 'syncing', message: null })).toMatch(/^Reading the store/);
    expect(catalogNotice({ state: 'unavailable', message: 'the RPC server timed out' })).toMatch(/cannot be read right now, so the list may be out of date\. The RPC server timed out\.$/);
    expect(catalogNotice({ state: 'unavailable', message: 'Error: {"x":1}' })).not.toMatch(/\{/);
  });

  it('opens a launch only on its own origin, never the UI’s', () => {
    const origin = `http://${APP}.localhost:7000`;
    expect(launchProblem({ url: `${origin}/index.html`, origin }, UI)).toBeNull();
    expect(launchProblem({ url: `bu-dapp://${APP}/index.html`, origin: `bu-dapp://${APP}` }, 'file://')).toBeNull();
    expect(launchProblem({ url: `${UI}/index.html`, origin: UI }, UI)).toMatch(/BitUnicom’s own origin/);
    expect(launchProblem({ url: 'http://evil.example/', origin }, UI)).toMatch(/does not match/);
    expect(launchProblem({ url: 'javascript:alert(1)', origin: 'javascript:' }, UI)).toMatch(/not a web page/);
    expect(launchProblem({ url: 'not a url', origin }, UI)).toMatch(/not valid/);
    expect(launchProblem({ url: `http://user:pw@${APP}.localhost:7000/`, origin }, UI)).toMatch(/user name/);
    expect(launchProblem({ url: 'bu-dapp:///x', origin: 'bu-dapp://' }, UI)).toMatch(/own origin/);
  });

  it('accepts only data: images', () => {
    expect(safeImage('data:image/png;base64,AAAA')).toBe('data:image/png;base64,AAAA');
    expect(safeImage('data:image/svg+xml,%3Csvg')).toBe('data:image/svg+xml,%3Csvg');
    expect(safeImage('http://tracker.example/p.png')).toBeNull();
    expect(safeImage('data:text/html,<script>')).toBeNull();
    expect(safeImage(null)).toBeNull();
  });
});

describe('pending format', () => {
  it('turns a decoded call into rows, flagging an unknown function and an unknown fee', () => {
    const rows = callRows({ to: A, toName: null, functionName: null, selector: '0xa9059cbb', args: [{ name: 'to', type: 'address', value: B }], value: amount('0 BU'), maxFee: null, sufficient: true });
    expect(rows.map((r) => r.label)).toEqual(['To', 'Function', 'to (address)', 'Amount', 'Max network fee']);
    expect(rows[1]).toMatchObject({ value: 'unknown (0xa9059cbb)', warn: true });
    expect(rows[4]).toMatchObject({ value: 'not known yet', warn: true });
    const named = callRows({ to: A, toName: 'Token', functionName: 'transfer(address,uint256)', selector: '0xa9059cbb', args: [], value: amount('1 BU'), maxFee: amount('0.001 BU'), sufficient: true });
    expect(named[0]).toMatchObject({ value: `Token (${A})`, mono: false });
    expect(named[1]).toMatchObject({ value: 'transfer(address,uint256)', mono: true });
  });

  it('preselects only the first account for connect and nothing else', () => {
    const choices = [{ address: A, name: 'Main' }, { address: B, name: 'Savings' }];
    expect(initialChoice(request({ choices }))).toEqual({ accounts: [A], friends: [] });
    expect(initialChoice(request({ kind: 'channel', friends: [{ address: A, name: 'Bob', online: true }] }))).toEqual({ accounts: [], friends: [] });
  });

  it('blocks Approve until something is chosen, and on insufficient funds', () => {
    const choices = [{ address: A, name: 'Main' }];
    expect(approveBlocker(request({ choices }), { accounts: [], friends: [] })).toMatch(/at least one account/);
    expect(approveBlocker(request({ choices }), { accounts: [A], friends: [] })).toBeNull();
    expect(approveBlocker(request({}), { accounts: [], friends: [] })).toMatch(/no account/);
    expect(approveBlocker(request({ kind: 'channel', friends: [] }), { accounts: [], friends: [] })).toMatch(/None of your friends/);
    const call = { to: A, toName: null, functionName: null, selector: null, args: [], value: amount('9 BU'), maxFee: amount('1 BU'), sufficient: false };
    expect(approveBlocker(request({ kind: 'transaction', call }), { accounts: [], friends: [] })).toMatch(/balance/);
    expect(approveBlocker(request({ kind: 'personal-sign' }), { accounts: [], friends: [] })).toBeNull();
  });

  it('labels buttons and the queue, and toggles case-insensitively', () => {
    expect(approveLabel('transaction')).toBe('Send transaction');
    expect(approveLabel('typed-data')).toBe('Sign');
    expect(queueLabel(0, 1)).toBeNull();
    expect(queueLabel(0, 3)).toBe('Request 1 of 3');
    expect(toggle([A], A.toUpperCase().replace('0X', '0x'), true)).toEqual([A]);
    expect(toggle([A, B], A.toUpperCase().replace('0X', '0x'), false)).toEqual([B]);
    expect(toggle([], B, true)).toEqual([B]);
  });
});
