/**
 * @module renderer/lib/format
 * Small, locale-aware formatting helpers: short addresses, list and bubble times, day
 * separators, durations and avatar initials. Pure functions (the clock is a parameter) so
 * they are unit-tested without a DOM.
 */

const DAY_MS = 86_400_000;

/** Map key for an address: addresses compare case-insensitively (EIP-55 is only a checksum). */
export function addrKey(address: string): string {
  return address.toLowerCase();
}

export function sameAddress(a: string | null | undefined, b: string | null | undefined): boolean {
  return !!a && !!b && a.toLowerCase() === b.toLowerCase();
}

/** `0x12AB…89cd`: enough to recognise, never the only label when a name exists. */
export function shortAddress(address: string | null | undefined): string {
  if (!address) return '';
  return address.length > 12 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}

function startOfDay(ts: number): number {
  const d = new Date(ts);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** Calendar days between two timestamps in local time (0 = same day). */
export function daysBetween(earlier: number, later: number): number {
  return Math.round((startOfDay(later) - startOfDay(earlier)) / DAY_MS);
}

export function dayKey(ts: number): string {
  const d = new Date(ts);
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

export function formatClock(ts: number): string {
  return new Date(ts).toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' });
}

/** Conversation list: time today, weekday this week, date otherwise. */
export function formatListTime(ts: number, now: number = Date.now()): string {
  const days = daysBetween(ts, now);
  if (days <= 0) return formatClock(ts);
  if (days < 7) return new Date(ts).toLocaleDateString(undefined, { weekday: 'short' });
  const sameYear = new Date(ts).getFullYear() === new Date(now).getFullYear();
  return new Date(ts).toLocaleDateString(undefined, sameYear ? { day: 'numeric', month: 'short' } : { day: 'numeric', month: 'short', year: 'numeric' });
}

/** Day separator in a conversation. */
export function dayLabel(ts: number, now: number = Date.now()): string {
  const days = daysBetween(ts, now);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  const sameYear = new Date(ts).getFullYear() === new Date(now).getFullYear();
  return new Date(ts).toLocaleDateString(undefined, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    ...(sameYear ? {} : { year: 'numeric' }),
  });
}

export function formatFullDate(ts: number): string {
  return new Date(ts).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** `2 d 3 h`, `3 h 5 min`, `42 s`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min`;
  return `${s} s`;
}

/** `5 min ago`, `just now`: for "last seen". */
export function formatAgo(ts: number, now: number = Date.now()): string {
  const diff = now - ts;
  if (diff < 60_000) return 'just now';
  if (diff < 3_600_000) return `${Math.floor(diff / 60_000)} min ago`;
  if (daysBetween(ts, now) === 0) return `today at ${formatClock(ts)}`;
  if (daysBetween(ts, now) === 1) return `yesterday at ${formatClock(ts)}`;
  return formatListTime(ts, now);
}

/** Up to two initials, grapheme-safe for the common cases (emoji, accents). */
export function initials(name: string | null | undefined): string {
  const words = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  const first = Array.from(words[0] ?? '')[0] ?? '';
  const second = words.length > 1 ? (Array.from(words[words.length - 1] ?? '')[0] ?? '') : '';
  return (first + second).toUpperCase() || '?';
}

/** One-line preview of a message text. */
export function previewText(text: string, max = 80): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
