import { describe, expect, it } from 'vitest';
import { railFocusIndex, railShortcutIndex } from './nav-keys';

const key = (k: string, code: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) => ({
  key: k,
  code,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
});

describe('nav-keys', () => {
  it('maps Ctrl/Cmd+digit to a rail entry', () => {
    expect(railShortcutIndex(key('1', 'Digit1', { ctrlKey: true }), 2)).toBe(0);
    expect(railShortcutIndex(key('2', 'Digit2', { metaKey: true }), 2)).toBe(1);
    expect(railShortcutIndex(key('2', 'Numpad2', { ctrlKey: true }), 2)).toBe(1);
    // AZERTY: the unshifted key on Digit1 types "&"
    expect(railShortcutIndex(key('&', 'Digit1', { ctrlKey: true }), 2)).toBe(0);
  });

  it('ignores plain digits, Alt combinations, other keys and entries that do not exist', () => {
    expect(railShortcutIndex(key('1', 'Digit1'), 2)).toBeNull();
    expect(railShortcutIndex(key('1', 'Digit1', { ctrlKey: true, altKey: true }), 2)).toBeNull();
    expect(railShortcutIndex(key('3', 'Digit3', { ctrlKey: true }), 2)).toBeNull();
    expect(railShortcutIndex(key('0', 'Digit0', { ctrlKey: true }), 2)).toBeNull();
    expect(railShortcutIndex(key('k', 'KeyK', { ctrlKey: true }), 2)).toBeNull();
  });

  it('moves focus with arrows (wrapping), Home and End', () => {
    expect(railFocusIndex('ArrowDown', 0, 2)).toBe(1);
    expect(railFocusIndex('ArrowDown', 1, 2)).toBe(0);
    expect(railFocusIndex('ArrowUp', 0, 2)).toBe(1);
    expect(railFocusIndex('Home', 1, 3)).toBe(0);
    expect(railFocusIndex('End', 0, 3)).toBe(2);
    expect(railFocusIndex('Enter', 0, 3)).toBeNull();
    expect(railFocusIndex('ArrowDown', 0, 0)).toBeNull();
  });
});
