/**
 * GrantBook (grants.ts): per-app records under `dapps.channels.`, the index of apps, lenient
 * reading of damaged entries, forgetting an app, bad ids refused.
 */
import { describe, expect, it } from 'vitest';
import { GrantBook } from './grants';

const X = `0x${'11'.repeat(20)}`;
const Y = `0x${'22'.repeat(20)}`;
const BOB = '0xB0b0000000000000000000000000000000000002';

const kvOf = (m: Map<string, string>) => ({ get: (k: string) => m.get(k) ?? null, set: (k: string, v: string) => void m.set(k, v) });

describe('GrantBook', () => {
  it('persists per app and friend under dapps.channels.*, case-insensitively', () => {
    const m = new Map<string, string>();
    const book = new GrantBook(kvOf(m));
    expect(book.get(X, BOB)).toEqual({ me: false, them: false, grantedAt: null, invitedAt: null, hasAppAt: null });
    book.update(X, BOB, (g) => {
      g.me = true;
      g.grantedAt = 5;
    });
    expect([...m.keys()].sort()).toEqual([`dapps.channels.${X}`, 'dapps.channels.index']);
    const again = new GrantBook(kvOf(m));
    expect(again.get(X, BOB.toLowerCase())).toMatchObject({ me: true, grantedAt: 5 });
    expect(again.apps()).toEqual([X]);
    expect(again.friendApps(BOB)).toEqual([X]);
    expect(again.get(Y, BOB).me).toBe(false);
  });

  it('drops empty records and the app from the index, and forgets an app', () => {
    const m = new Map<string, string>();
    const book = new GrantBook(kvOf(m));
    book.update(X, BOB, (g) => void (g.them = true));
    book.update(Y, BOB, (g) => void (g.me = true));
    book.update(X, BOB, (g) => void (g.them = false));
    expect(book.apps()).toEqual([Y]);
    book.forgetApp(Y);
    expect(book.apps()).toEqual([]);
    expect(new GrantBook(kvOf(m)).get(Y, BOB).me).toBe(false);
  });

  it('reads damaged entries as no grants and refuses bad ids', () => {
    const m = new Map<string, string>([
      ['dapps.channels.index', '{not json'],
      [`dapps.channels.${X}`, JSON.stringify({ v: 1, peers: { nope: { me: true }, [BOB.toLowerCase()]: { me: 'yes', them: true } } })],
    ]);
    const book = new GrantBook(kvOf(m));
    expect(book.apps()).toEqual([]);
    expect(book.list(X)).toEqual([[BOB.toLowerCase(), { me: false, them: true, grantedAt: null, invitedAt: null, hasAppAt: null }]]);
    expect(() => book.get('0x12', BOB)).toThrow(/not an app id/);
    expect(() => book.get(X, 'bob')).toThrow(/not an address/);
  });
});
