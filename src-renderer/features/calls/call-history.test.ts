/**
 * @module renderer/features/calls/call-history.test
 * Call history from conversation messages: picking records, merging, day groups, folding
 * runs of unanswered calls, and the missed-calls count.
 */
import { describe, expect, it } from 'vitest';
import type { CallRecordT, MessageT } from '../../../src-preload/contract';
import { callEntries, groupCalls, mergeEntries, missedSince } from './call-history';
import type { CallEntry } from './call-history';

const BOB = '0x1111111111111111111111111111111111111111';
const CAROL = '0x2222222222222222222222222222222222222222';

function msg(id: string, peer: string, at: number, call: Partial<CallRecordT> | null): MessageT {
  return {
    id,
    peer,
    direction: call?.direction === 'incoming' ? 'in' : 'out',
    text: call ? 'call' : 'hello',
    state: 'sent',
    sentAt: at,
    localAt: at,
    seq: at,
    payment: null,
    call: call ? { id: id.padEnd(32, '0'), direction: 'outgoing', video: false, outcome: 'answered', durationMs: 60_000, ...call } : null,
  };
}

const day = (d: number, h: number, m = 0) => new Date(2026, 11, d, h, m).getTime();
const NOW = day(7, 18);

describe('callEntries', () => {
  it('keeps only call messages, once per id', () => {
    const a = msg('m1', BOB, day(7, 9), {});
    const list = callEntries([a, msg('m2', BOB, day(7, 10), null), a, msg('m3', CAROL, day(7, 11), { direction: 'incoming', outcome: 'missed' })]);
    expect(list.map((e) => e.id).sort()).toEqual(['m1', 'm3']);
    expect(list.find((e) => e.id === 'm3')).toMatchObject({ peer: CAROL, at: day(7, 11), record: { outcome: 'missed' } });
  });
});

describe('mergeEntries', () => {
  it('orders newest first and lets the newer copy of an id win', () => {
    const [e1] = callEntries([msg('m1', BOB, day(7, 9), { durationMs: 1000 })]) as [CallEntry];
    const [e2] = callEntries([msg('m2', BOB, day(7, 12), {})]) as [CallEntry];
    const updated = { ...e1, record: { ...e1.record, durationMs: 5000 } };
    const merged = mergeEntries([e1, e2], [updated]);
    expect(merged.map((e) => e.id)).toEqual(['m2', 'm1']);
    expect(merged[1]!.record.durationMs).toBe(5000);
  });
});

describe('groupCalls', () => {
  it('groups by day, newest first, labelled Today / Yesterday', () => {
    const entries = callEntries([msg('a', BOB, day(7, 9), {}), msg('b', CAROL, day(6, 20), {}), msg('c', BOB, day(7, 15), {})]);
    const days = groupCalls(entries, NOW);
    expect(days.map((d) => d.label)).toEqual(['Today', 'Yesterday']);
    expect(days[0]!.rows.map((r) => r.key)).toEqual(['c', 'a']);
    expect(days[1]!.rows.map((r) => r.key)).toEqual(['b']);
  });

  it('folds consecutive missed calls from one friend, not answered ones or other friends', () => {
    const missed = { direction: 'incoming' as const, outcome: 'missed' as const, durationMs: 0 };
    const entries = callEntries([
      msg('1', BOB, day(7, 10, 0), missed),
      msg('2', BOB, day(7, 10, 5), missed),
      msg('3', BOB, day(7, 10, 9), missed),
      msg('4', CAROL, day(7, 11), missed),
      msg('5', BOB, day(7, 12), {}),
      msg('6', BOB, day(7, 12, 30), {}),
      msg('7', BOB, day(7, 13), { ...missed, video: true }),
    ]);
    const rows = groupCalls(entries, NOW)[0]!.rows;
    expect(rows.map((r) => [r.key, r.count])).toEqual([
      ['7', 1],
      ['6', 1],
      ['5', 1],
      ['4', 1],
      ['3', 3],
    ]);
    // The folded row shows its newest call's time.
    expect(rows[4]!.at).toBe(day(7, 10, 9));
  });

  it('does not fold across days', () => {
    const missed = { direction: 'incoming' as const, outcome: 'missed' as const };
    const days = groupCalls(callEntries([msg('1', BOB, day(6, 23, 50), missed), msg('2', BOB, day(7, 0, 5), missed)]), NOW);
    expect(days.map((d) => d.rows.length)).toEqual([1, 1]);
  });

  it('returns nothing for no calls', () => {
    expect(groupCalls([], NOW)).toEqual([]);
  });
});

describe('missedSince', () => {
  it('counts missed incoming calls after a time', () => {
    const entries = callEntries([
      msg('1', BOB, day(7, 9), { direction: 'incoming', outcome: 'missed' }),
      msg('2', BOB, day(7, 11), { direction: 'incoming', outcome: 'no-answer' }),
      msg('3', BOB, day(7, 12), { direction: 'outgoing', outcome: 'no-answer' }),
      msg('4', BOB, day(7, 13), { direction: 'incoming', outcome: 'answered' }),
    ]);
    expect(missedSince(entries, day(7, 10))).toBe(1);
    expect(missedSince(entries, 0)).toBe(2);
  });
});
