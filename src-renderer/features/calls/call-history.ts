/**
 * @module renderer/features/calls/call-history
 * The Calls screen's list as pure functions: call records are picked out of each
 * conversation's messages (kind 'call': `message.call`), newest first, grouped by day, and
 * consecutive calls with the same friend and the same look (direction, kind, missed) fold
 * into one row with a count, as in Signal.
 */
import type { CallRecordT, MessageT } from '../../../src-preload/contract';
import { dayKey, dayLabel } from '../../lib/format';
import { isMissed } from './call-format';

export type CallEntry = {
  /** The message id (stable key). */
  id: string;
  peer: string;
  at: number;
  record: CallRecordT;
};

export type CallRow = { key: string; peer: string; at: number; record: CallRecordT; count: number };
export type CallDay = { key: string; label: string; rows: CallRow[] };

/** Call entries of one or more message lists (others ignored), deduplicated by message id. */
export function callEntries(messages: readonly MessageT[]): CallEntry[] {
  const byId = new Map<string, CallEntry>();
  for (const m of messages) {
    if (!m.call) continue;
    byId.set(m.id, { id: m.id, peer: m.peer, at: m.localAt, record: m.call });
  }
  return [...byId.values()];
}

/** Merge new entries into a list by id (newer copy wins), newest first. */
export function mergeEntries(current: readonly CallEntry[], incoming: readonly CallEntry[]): CallEntry[] {
  const byId = new Map<string, CallEntry>();
  for (const e of current) byId.set(e.id, e);
  for (const e of incoming) byId.set(e.id, e);
  return [...byId.values()].sort((a, b) => b.at - a.at || (a.id < b.id ? -1 : 1));
}

function look(e: CallEntry): string {
  return `${e.peer.toLowerCase()}|${e.record.direction}|${e.record.video ? 'v' : 'a'}|${isMissed(e.record) ? 'm' : e.record.outcome}`;
}

/** Only unanswered calls fold; each answered call keeps its own row and duration. */
function folds(e: CallEntry): boolean {
  return e.record.outcome !== 'answered';
}

/**
 * Day groups, newest day first. Inside a day, a run of consecutive unanswered calls with the
 * same friend, direction, kind and outcome becomes one row (its newest time, `count` calls).
 */
export function groupCalls(entries: readonly CallEntry[], now: number): CallDay[] {
  const sorted = [...entries].sort((a, b) => b.at - a.at);
  const days: CallDay[] = [];
  for (const e of sorted) {
    const key = dayKey(e.at);
    let day = days[days.length - 1];
    if (!day || day.key !== key) {
      day = { key, label: dayLabel(e.at, now), rows: [] };
      days.push(day);
    }
    const last = day.rows[day.rows.length - 1];
    if (last && folds(e) && look({ id: last.key, peer: last.peer, at: last.at, record: last.record }) === look(e)) {
      last.count += 1;
      continue;
    }
    day.rows.push({ key: e.id, peer: e.peer, at: e.at, record: e.record, count: 1 });
  }
  return days;
}

/** Missed calls newer than `since` (the rail badge). */
export function missedSince(entries: readonly CallEntry[], since: number): number {
  return entries.filter((e) => e.at > since && isMissed(e.record)).length;
}
