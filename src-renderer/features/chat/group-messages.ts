/**
 * @module renderer/features/chat/group-messages
 * Lays a thread out the way chat apps do: a section per local calendar day, and inside it
 * runs of consecutive messages from the same side less than five minutes apart (drawn
 * with tighter spacing and joined corners).
 */
import type { MessageT } from '../../../src-preload/contract';
import { dayKey, dayLabel } from '../../lib/format';

export const GROUP_GAP_MS = 5 * 60_000;

export type MessageGroup = { key: string; direction: 'in' | 'out'; items: MessageT[] };
export type DaySection = { key: string; label: string; groups: MessageGroup[] };

/** Time shown on a bubble: when it was sent (sender's clock for incoming). */
export function shownTime(m: MessageT): number {
  return m.direction === 'in' ? m.sentAt : m.localAt;
}

export function groupMessages(items: MessageT[], now: number = Date.now()): DaySection[] {
  const days: DaySection[] = [];
  let day: DaySection | null = null;
  let group: MessageGroup | null = null;
  let lastAt = 0;
  for (const m of items) {
    const key = dayKey(m.localAt);
    if (!day || day.key !== key) {
      day = { key, label: dayLabel(m.localAt, now), groups: [] };
      days.push(day);
      group = null;
    }
    if (!group || group.direction !== m.direction || m.localAt - lastAt > GROUP_GAP_MS) {
      group = { key: m.id, direction: m.direction, items: [] };
      day.groups.push(group);
    }
    group.items.push(m);
    lastAt = m.localAt;
  }
  return days;
}
