/**
 * The wallet's two small persistent lists: TokenList (defaults the user can remove, per network,
 * checksummed, capped, survives reopen, damaged file set aside) and ActivityLog (one record per
 * transaction × account × asset, merge keeps what we knew, newest first, reset per network).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { failure } from '../base/test-support';
import { ActivityLog, type ActivityRecord } from './activity';
import { MAX_TOKENS_PER_NETWORK, TokenList } from './tokens';

const dir = mkdtempSync(join(tmpdir(), 'bu-lists-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T1 = { address: '0x5FbDB2315678afecb367f032d93F642f64180aa3', symbol: 'TT', name: 'Test', decimals: 18 };
const T2 = { address: '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512', symbol: 'SIX', name: 'Six', decimals: 6 };

describe('TokenList', () => {
  it('lists defaults until removed, adds per network, and reopens the same', async () => {
    const file = join(dir, 'tokens.json');
    const defaults = (id: string) => (id === 'devnet' ? [T1] : []);
    const a = new TokenList(file, defaults);
    expect(a.list('devnet')).toEqual([T1]);
    expect(a.list('other')).toEqual([]);
    const added = a.add('other', T2);
    expect(added.address).toBe('0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512'); // EIP-55 on the way in
    a.remove('devnet', T1.address.toLowerCase());
    expect(a.list('devnet')).toEqual([]);
    const b = new TokenList(file, defaults);
    expect(b.list('devnet')).toEqual([]);
    expect(b.list('other')).toEqual([added]);
    b.add('devnet', T1); // adding a removed default brings it back
    expect(b.list('devnet')).toEqual([T1]);
    expect((await failure(() => b.remove('other', T1.address))).code).toBe('NOT_FOUND');
    b.drop('other');
    expect(new TokenList(file, defaults).list('other')).toEqual([]);
  });

  it('caps a network at MAX_TOKENS_PER_NETWORK and sets a damaged file aside', async () => {
    const file = join(dir, 'many.json');
    const l = new TokenList(file);
    for (let i = 0; i < MAX_TOKENS_PER_NETWORK; i++) l.add('n', { ...T1, address: `0x${(i + 1).toString(16).padStart(40, '0')}` });
    expect((await failure(() => l.add('n', T2))).code).toBe('BAD_INPUT');
    writeFileSync(file, '{"version":1,"networks":{"n":{"tokens":[{"address":"nope"}]}}}');
    const again = new TokenList(file, () => [T1]);
    expect(again.loadProblem).toMatch(/damaged/);
    expect(existsSync(`${file}.corrupt`)).toBe(true);
    expect(again.list('n')).toEqual([T1]);
  });
});

const rec = (over: Partial<ActivityRecord>): ActivityRecord => ({
  hash: `0x${'aa'.repeat(32)}`,
  chainId: 1,
  account: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  direction: 'out',
  from: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  to: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512',
  value: '5',
  token: null,
  nonce: '0',
  status: 'pending',
  blockNumber: null,
  at: 1000,
  fee: '21000',
  replacement: null,
  ours: true,
  ...over,
});

describe('ActivityLog', () => {
  it('merges a scanner record into ours: status and block from the chain, ours and replacement kept', () => {
    const file = join(dir, 'activity.json');
    const log = new ActivityLog(file);
    expect(log.upsert('n', [rec({ replacement: 'speed-up' })])).toBe(true);
    expect(log.upsert('n', [rec({ status: 'confirmed', blockNumber: '7', at: 5000, fee: '20000', ours: false, replacement: null })])).toBe(true);
    expect(log.list('n')).toEqual([rec({ status: 'confirmed', blockNumber: '7', at: 5000, fee: '20000', replacement: 'speed-up' })]);
    // A late 'pending' view does not undo a settled record; the same record again changes nothing.
    expect(log.upsert('n', [rec({ status: 'pending' })])).toBe(false);
    expect(log.list('n')[0]!.status).toBe('confirmed');
    // Same hash, other asset or other account: separate records; newest first; filter by account.
    log.upsert('n', [rec({ token: { ...T1 }, at: 6000 }), rec({ account: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512', direction: 'in', at: 7000 })]);
    expect(log.list('n').map((r) => r.at)).toEqual([7000, 6000, 5000]);
    expect(log.list('n', '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512')).toHaveLength(1);
    expect(log.settle('n', rec({}).hash, { status: 'replaced' })).toBe(true);
    expect(new ActivityLog(file).list('n').every((r) => r.status === 'replaced')).toBe(true);
  });

  it('resets one network, keeps the others, and survives a damaged file', () => {
    const file = join(dir, 'activity2.json');
    const log = new ActivityLog(file);
    log.upsert('a', [rec({})]);
    log.upsert('b', [rec({})]);
    log.setScanned('a', '0xgenesis', 10n);
    log.resetNetwork('a', '0xnew');
    expect(log.list('a')).toEqual([]);
    expect(log.scanState('a')).toEqual({ genesis: '0xnew', scannedTo: null });
    expect(log.list('b')).toHaveLength(1);
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 20));
    const again = new ActivityLog(file);
    expect(again.loadProblem).toMatch(/damaged/);
    expect(again.list('b')).toEqual([]);
  });
});
