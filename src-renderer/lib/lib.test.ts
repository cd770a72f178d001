import { describe, expect, it } from 'vitest';
import { generateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { checkPhrase, newMnemonic, normalizePhrase, pickPositions } from './mnemonic';
import { passwordStrength } from './password';
import { avatarColor, AVATAR_COLORS } from './color';
import { dayLabel, formatDuration, initials, shortAddress, daysBetween, previewText } from './format';

describe('mnemonic', () => {
  it('generates valid 12-word phrases', () => {
    const m = newMnemonic();
    expect(m.split(' ')).toHaveLength(12);
    expect(checkPhrase(m).status).toBe('valid');
  });

  it('accepts the BIP-39 all-zero-entropy vector (trezor/python-mnemonic vectors.json)', () => {
    const v = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
    expect(checkPhrase(`  ${v.toUpperCase()}  `).status).toBe('valid');
    expect(normalizePhrase(`  ${v.toUpperCase()}\n`)).toBe(v);
  });

  it('reports typing progress, unknown words and checksum errors', () => {
    expect(checkPhrase('').status).toBe('empty');
    expect(checkPhrase('abandon aban')).toMatchObject({ status: 'typing', message: '2 of 12 words.' });
    expect(checkPhrase('abandon abandonx ').status).toBe('unknown-words');
    expect(checkPhrase('abandon '.repeat(12)).status).toBe('bad-checksum');
    expect(checkPhrase(generateMnemonic(wordlist, 256)).status).toBe('valid');
    expect(checkPhrase('abandon '.repeat(25)).status).toBe('bad-length');
  });

  it('picks distinct sorted positions in range', () => {
    for (let i = 0; i < 50; i++) {
      const p = pickPositions(3, 12);
      expect(new Set(p).size).toBe(3);
      expect(p).toEqual([...p].sort((a, b) => a - b));
      expect(p.every((n) => n >= 1 && n <= 12)).toBe(true);
    }
  });
});

describe('passwordStrength', () => {
  it('grades from too short to strong', () => {
    expect(passwordStrength('abc').label).toBe('Too short');
    expect(passwordStrength('password123').label).toBe('Weak');
    expect(passwordStrength('abcdefgh').score).toBeLessThanOrEqual(1);
    expect(passwordStrength('correct horse battery staple').score).toBe(4);
  });
});

describe('format', () => {
  it('shortens addresses and builds initials', () => {
    expect(shortAddress('0x52908400098527886E0F7030069857D2E4169EE7')).toBe('0x5290…9EE7');
    expect(initials('ada lovelace')).toBe('AL');
    expect(initials('  ')).toBe('?');
    expect(initials('élodie')).toBe('É');
  });

  it('labels days and durations', () => {
    const now = new Date(2025, 5, 10, 12, 0).getTime();
    expect(dayLabel(now - 3_600_000, now)).toBe('Today');
    expect(dayLabel(new Date(2025, 5, 9, 23, 59).getTime(), now)).toBe('Yesterday');
    expect(daysBetween(new Date(2025, 5, 1).getTime(), now)).toBe(9);
    expect(formatDuration(3_725_000)).toBe('1 h 2 min');
    expect(previewText('a\n\nb   c')).toBe('a b c');
  });

  it('derives a stable avatar colour', () => {
    const a = '0x52908400098527886E0F7030069857D2E4169EE7';
    expect(avatarColor(a)).toBe(avatarColor(a.toLowerCase()));
    expect(avatarColor(a)).toBeLessThan(AVATAR_COLORS);
  });
});
