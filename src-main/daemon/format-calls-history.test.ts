/**
 * `bitunicom calls history`: the human table (peer, direction, kind, outcome, duration, when),
 * reading enough `calls.history` pages for `--limit`, and the usage error for a bad limit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CallHistoryEntryT, CallRecordT } from '../../src-preload/contract';
import { main } from './cli';
import { readHistory } from './commands/calls';
import type { CliDeps, CliIO } from './context';
import { formatTime } from './format';
import { formatCallHistory, outcomeText } from './format-calls';

const BOB = '0xB0b0000000000000000000000000000000000001';
const CAROL = '0x' + '3'.repeat(40);
const mid = (n: number) => n.toString(16).padStart(32, '0');

function entry(n: number, peer: string, peerName: string, at: number, r: Partial<CallRecordT>): CallHistoryEntryT {
  return { id: mid(n), peer, peerName, at, record: { id: 'a'.repeat(32), direction: 'outgoing', video: false, outcome: 'answered', durationMs: 0, ...r } };
}

describe('formatCallHistory', () => {
  it('prints one aligned row per call, newest first as given', () => {
    const t1 = Date.UTC(2026, 11, 7, 10, 0, 0);
    const t2 = t1 + 3_723_000;
    const out = formatCallHistory([
      entry(2, BOB, 'Bob', t2, { direction: 'incoming', video: true, outcome: 'answered', durationMs: 3_723_000 }),
      entry(1, CAROL, '', t1, { direction: 'incoming', outcome: 'cancelled' }),
      entry(0, BOB, 'Bob\nEvil', t1 - 1000, { outcome: 'no-answer' }),
    ]);
    const lines = out.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]!.split(/\s{2,}/)).toEqual(['WHEN', 'PEER', 'DIRECTION', 'KIND', 'OUTCOME', 'DURATION']);
    expect(lines[1]!.split(/\s{2,}/)).toEqual([formatTime(t2), `Bob (${BOB})`, 'incoming', 'video', 'answered', '1:02:03']);
    expect(lines[2]!.split(/\s{2,}/)).toEqual([formatTime(t1), CAROL, 'incoming', 'voice', 'MISSED (cancelled)', '-']);
    // A name cannot break the table (control characters folded by oneLine).
    expect(lines[3]!.split(/\s{2,}/)).toEqual([formatTime(t1 - 1000), `Bob Evil (${BOB})`, 'outgoing', 'voice', 'no answer', '-']);
    // Columns line up: every row's PEER cell starts where the header's does.
    const col = lines[0]!.indexOf('PEER');
    for (const l of lines.slice(1)) expect(l.slice(col, col + 3)).toMatch(/^(Bob|0x3)/);
  });

  it('says there are no calls, and when older ones were left out', () => {
    expect(formatCallHistory([])).toMatch(/^No calls yet/);
    expect(formatCallHistory([entry(1, BOB, 'Bob', 1, {})], true).split('\n').pop()).toBe('(older calls: --limit N for more)');
  });

  it('words each outcome from our side', () => {
    const r = (o: Partial<CallRecordT>): CallRecordT => ({ id: 'a'.repeat(32), direction: 'incoming', video: false, outcome: 'missed', durationMs: 0, ...o });
    expect(outcomeText(r({}))).toBe('MISSED');
    expect(outcomeText(r({ outcome: 'busy' }))).toBe('MISSED (busy)');
    expect(outcomeText(r({ outcome: 'declined' }))).toBe('declined');
    expect(outcomeText(r({ direction: 'outgoing', outcome: 'busy' }))).toBe('busy');
    expect(outcomeText(r({ outcome: 'failed', durationMs: 5000 }))).toBe('connection lost');
  });
});

describe('readHistory', () => {
  /** A node with `total` calls answering calls.history like the store: pages of ≤ limit, a cursor to go on. */
  function fakeCaller(total: number) {
    const asked: Array<{ limit?: number; before?: { at: number; id: string } }> = [];
    const all = Array.from({ length: total }, (_, i) => entry(total - i, BOB, 'Bob', 1000 + total - i, {}));
    const caller = {
      call: async (method: string, input: { limit?: number; before?: { at: number; id: string } }) => {
        expect(method).toBe('calls.history');
        asked.push(input);
        const start = input.before ? all.findIndex((e) => e.id === input.before!.id) + 1 : 0;
        const rows = all.slice(start, start + (input.limit ?? 50));
        const last = rows[rows.length - 1];
        return { entries: rows, next: start + rows.length < all.length && last ? { at: last.at, id: last.id } : null };
      },
    };
    return { caller: caller as never, asked };
  }

  it('asks for pages of at most 200 until the limit, passing each next cursor on', async () => {
    const f = fakeCaller(500);
    const h = await readHistory(f.caller, 450);
    expect(f.asked.map((a) => a.limit)).toEqual([200, 200, 50]);
    expect(f.asked[0]!.before).toBeUndefined();
    expect(f.asked[1]!.before).toEqual({ at: 1000 + 301, id: mid(301) });
    expect(h.entries).toHaveLength(450);
    expect(new Set(h.entries.map((e) => e.id)).size).toBe(450);
    expect(h.next).toEqual({ at: 1000 + 51, id: mid(51) });
  });

  it('stops at the end of the history', async () => {
    const f = fakeCaller(7);
    const h = await readHistory(f.caller, 20);
    expect(f.asked).toHaveLength(1);
    expect(h.entries.map((e) => e.id)).toEqual([7, 6, 5, 4, 3, 2, 1].map(mid));
    expect(h.next).toBeNull();
  });
});

describe('bitunicom calls history (arguments)', () => {
  it('refuses a bad --limit before reaching the node, in one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bu-calls-history-'));
    try {
      for (const bad of ['0', '1001', 'ten']) {
        const out: string[] = [];
        const err: string[] = [];
        const io: CliIO = { out: (t) => void out.push(t), err: (t) => void err.push(t), env: {}, stdin: Readable.from([]), platform: 'linux', home: dir, cwd: dir };
        const deps: CliDeps = { io, loadCore: async () => { throw new Error('must not start a node'); } };
        const code = await main(['calls', 'history', '--limit', bad, '--data', dir], deps);
        expect(code).toBe(2);
        expect(err.join('\n')).toMatch(/--limit must be a whole number from 1 to 1000/);
        expect(out).toEqual([]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
