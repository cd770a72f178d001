import { describe, expect, it } from 'vitest';
import { DappFrameGuard, LAUNCH_PARAM, LAUNCH_TTL_MS, isNavigation } from './dapp-frame-guard';

const A = `0x${'a1'.repeat(20)}`;
const B = `0x${'b2'.repeat(20)}`;
const frame = (site: string) => ({ 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'iframe', 'sec-fetch-site': site });
const url = (token?: string) => new URL(`http://${A.slice(2)}.localhost:4000/index.html${token ? `?${LAUNCH_PARAM}=${token}` : ''}`);

describe('DappFrameGuard', () => {
  it('serves the UI one launch per token, for that dapp only', () => {
    const g = new DappFrameGuard();
    const t = g.issue(A);
    expect(t).toMatch(/^[0-9a-f]{32}$/);
    expect(g.check(A, url(t), frame('cross-site'))).toEqual({ allow: true });
    expect(g.check(A, url(t), frame('cross-site'))).toMatchObject({ allow: false, reason: expect.stringMatching(/unknown, used or expired/) });
    const other = g.issue(B);
    expect(g.check(A, url(other), frame('cross-site'))).toMatchObject({ allow: false, reason: expect.stringMatching(/another dapp/) });
  });

  it('refuses a cross-site navigation without a token (another dapp walking its frame here)', () => {
    const g = new DappFrameGuard();
    expect(g.check(A, url(), frame('cross-site'))).toMatchObject({ allow: false });
    expect(g.check(A, url(), frame('none'))).toMatchObject({ allow: false }); // typed in an address bar
    expect(g.check(A, url('0'.repeat(32)), frame('cross-site'))).toMatchObject({ allow: false });
  });

  it('lets a dapp navigate within its own origin', () => {
    const g = new DappFrameGuard();
    expect(g.check(A, url(), frame('same-origin'))).toEqual({ allow: true });
  });

  it('expires tokens', () => {
    let now = 1_000;
    const g = new DappFrameGuard(() => now);
    const t = g.issue(A);
    now += LAUNCH_TTL_MS;
    expect(g.check(A, url(t), frame('cross-site'))).toMatchObject({ allow: false });
  });

  it('leaves subresources to the CSP and treats requests without Fetch Metadata as navigations', () => {
    expect(isNavigation({ 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'script', 'sec-fetch-site': 'same-origin' })).toBe(false);
    expect(isNavigation({ 'sec-fetch-mode': 'cors', 'sec-fetch-dest': 'empty' })).toBe(false);
    expect(isNavigation({})).toBe(true);
    const g = new DappFrameGuard();
    expect(g.check(A, url(), { 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image', 'sec-fetch-site': 'same-origin' })).toEqual({ allow: true });
    expect(g.check(A, url(), {})).toMatchObject({ allow: false });
  });
});
