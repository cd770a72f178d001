import { describe, expect, it } from 'vitest';
import type { WebContents } from 'electron';
import { DAPP_SCHEME_PRIVILEGES, dappFrameNavigationAllowed, dappOrigin, dappUrl, originOf, parseDappUrl, type SubframeNavigation } from './dapp-sandbox';
import type { AppLocation } from './links';
import { describeSubframeNavigation, hardenWebContents } from './security';

const A = `0x${'a1'.repeat(20)}`;
const B = `0x${'b2'.repeat(20)}`;
const APP = 'file:///opt/BitUnicom/out/renderer/electron.html';
const app: AppLocation = { kind: 'file', url: APP };
const installed = (id: string) => id === A || id === B;

describe('dapp origins', () => {
  it('gives every app id its own bu-dapp origin and entry URL', () => {
    expect(dappOrigin(A)).toBe(`bu-dapp://${'a1'.repeat(20)}`);
    expect(dappOrigin(A.toUpperCase().replace('0X', '0x'))).toBe(dappOrigin(A));
    expect(originOf(dappUrl(A, 'index.html'))).toBe(dappOrigin(A));
    expect(originOf('https://example.com/a')).toBe('https://example.com');
    expect(dappOrigin(A)).not.toBe(dappOrigin(B));
    expect(dappUrl(A, 'sub dir/a b.html')).toBe(`${dappOrigin(A)}/sub%20dir/a%20b.html`);
    expect(() => dappOrigin('0x1234')).toThrow();
  });

  it('is a standard, secure scheme that other origins cannot fetch into', () => {
    expect(DAPP_SCHEME_PRIVILEGES.privileges).toMatchObject({ standard: true, secure: true, supportFetchAPI: false, corsEnabled: false, bypassCSP: false, allowServiceWorkers: false });
  });

  it('parses only well-formed dapp URLs', () => {
    expect(parseDappUrl(`${dappOrigin(A)}/js/app.js?x=1`)).toEqual({ appId: A, path: 'js/app.js' });
    expect(parseDappUrl(`${dappOrigin(A)}/`)).toEqual({ appId: A, path: '' });
    for (const bad of [
      `https://${'a1'.repeat(20)}/index.html`,
      'bu-dapp://notanid/index.html',
      `bu-dapp://user:pw@${'a1'.repeat(20)}/`,
      `bu-dapp://${'a1'.repeat(20)}:8080/`,
      `bu-dapp://${'a1'.repeat(20)}/%E0%A4%A`,
      42,
      'x'.repeat(5000),
    ]) expect(parseDappUrl(bad)).toBeNull();
  });
});

describe('dapp frame navigation', () => {
  const nav = (o: Partial<SubframeNavigation>): SubframeNavigation => ({ url: `${dappOrigin(A)}/index.html`, frameUrl: 'about:blank', parentIsApp: true, initiator: 'app', ...o });

  it('lets the UI open an installed dapp in a direct child frame', () => {
    expect(dappFrameNavigationAllowed(nav({}), installed)).toBe(true);
  });

  it('lets a dapp move within its own origin only', () => {
    expect(dappFrameNavigationAllowed(nav({ initiator: 'self', frameUrl: `${dappOrigin(A)}/index.html`, url: `${dappOrigin(A)}/page2.html` }), installed)).toBe(true);
    expect(dappFrameNavigationAllowed(nav({ initiator: 'self', frameUrl: `${dappOrigin(A)}/index.html`, url: `${dappOrigin(B)}/index.html` }), installed)).toBe(false);
  });

  it('refuses uninstalled dapps, nested frames, foreign initiators and non-dapp URLs', () => {
    expect(dappFrameNavigationAllowed(nav({ url: `bu-dapp://${'cc'.repeat(20)}/index.html` }), installed)).toBe(false);
    expect(dappFrameNavigationAllowed(nav({ parentIsApp: false }), installed)).toBe(false);
    expect(dappFrameNavigationAllowed(nav({ initiator: 'other' }), installed)).toBe(false);
    expect(dappFrameNavigationAllowed(nav({ url: 'https://example.com/' }), installed)).toBe(false);
  });

  it('reads who started a navigation from the Electron frames', () => {
    const main = { url: APP, parent: null, processId: 1, routingId: 1 };
    const frame = { url: `${dappOrigin(A)}/index.html`, parent: main, processId: 7, routingId: 3 };
    expect(describeSubframeNavigation({ url: `${dappOrigin(A)}/x.html`, frame, initiator: main }, app)).toMatchObject({ parentIsApp: true, initiator: 'app' });
    expect(describeSubframeNavigation({ url: `${dappOrigin(A)}/x.html`, frame, initiator: { ...frame } }, app)).toMatchObject({ initiator: 'self', frameUrl: frame.url });
    expect(describeSubframeNavigation({ url: `${dappOrigin(A)}/x.html`, frame, initiator: { url: 'https://evil.example/', parent: null, processId: 9, routingId: 9 } }, app).initiator).toBe('other');
    const nested = { url: `${dappOrigin(A)}/inner.html`, parent: frame, processId: 7, routingId: 4 };
    expect(describeSubframeNavigation({ url: `${dappOrigin(A)}/x.html`, frame: nested, initiator: nested }, app).parentIsApp).toBe(false);
  });

  it('is what the WebContents guard enforces', () => {
    const handlers = new Map<string, (e: unknown) => void>();
    const contents = { on: (n: string, fn: (e: unknown) => void) => (handlers.set(n, fn), contents), setWindowOpenHandler: () => undefined };
    hardenWebContents(contents as unknown as WebContents, app, () => false, { isInstalled: installed });
    const main = { url: APP, parent: null, processId: 1, routingId: 1 };
    const frame = { url: 'about:blank', parent: main, processId: 7, routingId: 3 };
    const fire = (url: string, initiator: unknown, isMainFrame = false) => {
      const e = { url, isMainFrame, frame, initiator, defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
      handlers.get('will-frame-navigate')!(e);
      return e.defaultPrevented;
    };
    expect(fire(`${dappOrigin(A)}/index.html`, main)).toBe(false);
    expect(fire(`${dappOrigin(A)}/index.html`, main, true)).toBe(true);
    expect(fire(`${dappOrigin(A)}/index.html`, frame)).toBe(true); // about:blank frame moving itself into a dapp
    expect(fire('https://example.com/', main)).toBe(true);
  });
});
