/**
 * @module renderer/layout/nav-keys
 * Keyboard for the navigation rail, as pure functions (unit-tested without a DOM):
 * Ctrl/⌘+1…9 picks the n-th entry (by `code` too, so layouts that type digits with Shift,
 * such as AZERTY, work), and ↑/↓/Home/End move focus inside the rail.
 */

type Keyish = Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'altKey'>;

/** The 0-based rail index for Ctrl/⌘+digit, or null (not a rail shortcut, or out of range). */
export function railShortcutIndex(e: Keyish, count: number): number | null {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return null;
  const fromCode = /^(?:Digit|Numpad)([1-9])$/.exec(e.code)?.[1];
  const digit = fromCode ?? (/^[1-9]$/.test(e.key) ? e.key : undefined);
  if (digit === undefined) return null;
  const i = Number(digit) - 1;
  return i < count ? i : null;
}

/** Where focus goes for an arrow key inside the rail (wrapping), or null for other keys. */
export function railFocusIndex(key: string, current: number, count: number): number | null {
  if (count === 0) return null;
  switch (key) {
    case 'ArrowDown':
      return (current + 1) % count;
    case 'ArrowUp':
      return (current - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}
