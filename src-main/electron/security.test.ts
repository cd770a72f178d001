import type { Session, WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../core/base';
import { CONTENT_SECURITY_POLICY } from './csp';
import type { AppLocation } from './links';
import { ALLOWED_PERMISSIONS, isPermissionAllowed } from './permissions';
import {
  EXTERNAL_OPEN_BURST,
  createExternalOpener,
  createRateGate,
  hardenSession,
  hardenWebContents,
  isTrustedIpcSender,
} from './security';

const APP = 'file:///opt/BitUnicom/out/renderer/electron.html';
const app: AppLocation = { kind: 'file', url: APP };

type Handler = (...args: unknown[]) => unknown;
type HeadersReply = { responseHeaders?: Record<string, string[]> };

function fakeContents() {
  const handlers = new Map<string, Handler>();
  let openHandler: Handler | null = null;
  const contents = {
    on(name: string, fn: Handler) {
      handlers.set(name, fn);
      return contents;
    },
    setWindowOpenHandler(fn: Handler) {
      openHandler = fn;
    },
  };
  const fire = (name: string, url: string) => {
    const event = { url, defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
    handlers.get(name)!(event);
    return event.defaultPrevented;
  };
  return { contents: contents as unknown as WebContents, handlers, fire, open: (url: string) => openHandler!({ url }) };
}

function fakeShell() {
  const opened: string[] = [];
  return { opened, shell: { openExternal: (u: string) => (opened.push(u), Promise.resolve()) } };
}

describe('hardenWebContents', () => {
  it('registers every guard', () => {
    const f = fakeContents();
    hardenWebContents(f.contents, app, () => false);
    expect([...f.handlers.keys()].sort()).toEqual(['will-attach-webview', 'will-frame-navigate', 'will-navigate', 'will-redirect']);
  });

  it('lets the app page navigate to itself and blocks everything else', () => {
    const f = fakeContents();
    hardenWebContents(f.contents, app, () => false);
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      expect(f.fire(name, `${APP}#/chat`)).toBe(false);
      expect(f.fire(name, 'https://evil.example/')).toBe(true);
      expect(f.fire(name, 'file:///etc/passwd')).toBe(true);
    }
    expect(f.fire('will-attach-webview', APP)).toBe(true);
  });

  it('opens a blocked https link in the browser, but never a file: URL', () => {
    const f = fakeContents();
    const s = fakeShell();
    hardenWebContents(f.contents, app, createExternalOpener(s.shell, silentLogger));
    f.fire('will-navigate', 'https://bitunicom.org/help');
    f.fire('will-navigate', 'file:///etc/passwd');
    expect(s.opened).toEqual(['https://bitunicom.org/help']);
  });

  it('denies every new window and hands only valid links to the OS', () => {
    const f = fakeContents();
    const s = fakeShell();
    hardenWebContents(f.contents, app, createExternalOpener(s.shell, silentLogger));
    expect(f.open('https://example.com/')).toEqual({ action: 'deny' });
    expect(f.open('mailto:a@example.org')).toEqual({ action: 'deny' });
    expect(f.open('smb://attacker/x')).toEqual({ action: 'deny' });
    expect(f.open(APP)).toEqual({ action: 'deny' });
    expect(s.opened).toEqual(['https://example.com/', 'mailto:a@example.org']);
  });
});

describe('createExternalOpener', () => {
  it('rate-limits bursts of links', () => {
    const s = fakeShell();
    let t = 0;
    const open = createExternalOpener(s.shell, silentLogger, createRateGate(EXTERNAL_OPEN_BURST, 10_000, () => t));
    const results = Array.from({ length: EXTERNAL_OPEN_BURST + 2 }, (_, i) => open(`https://example.com/${i}`));
    expect(results.filter(Boolean)).toHaveLength(EXTERNAL_OPEN_BURST);
    t = 10_000;
    expect(open('https://example.com/later')).toBe(true);
  });

  it('logs (without the URL) and survives an OS failure', async () => {
    const warn = vi.fn();
    const open = createExternalOpener({ openExternal: () => Promise.reject(new Error('no handler')) }, { ...silentLogger, warn });
    expect(open('https://example.com/secret-path')).toBe(true);
    expect(open('javascript:alert(1)')).toBe(false);
    await new Promise((r) => setTimeout(r, 0));
    expect(warn).toHaveBeenCalledWith('refused to open a link outside the allow-list', { scheme: 'javascript' });
    expect(warn).toHaveBeenCalledWith('the OS could not open a link', expect.anything());
    expect(JSON.stringify(warn.mock.calls)).not.toContain('secret-path');
  });
});

describe('permissions', () => {
  it('allows only notifications, sanitized clipboard writes and call media (audio/video), only for the app page', () => {
    expect([...ALLOWED_PERMISSIONS].sort()).toEqual(['clipboard-sanitized-write', 'notifications']);
    expect(isPermissionAllowed('notifications', APP, app)).toBe(true);
    expect(isPermissionAllowed('notifications', 'https://evil.example/', app)).toBe(false);
    expect(isPermissionAllowed('notifications', undefined, app)).toBe(false);
    expect(isPermissionAllowed('media', APP, app, ['audio'])).toBe(true);
    expect(isPermissionAllowed('media', APP, app, ['audio', 'video'])).toBe(true);
    expect(isPermissionAllowed('media', 'https://evil.example/', app, ['audio'])).toBe(false);
    expect(isPermissionAllowed('media', APP, app, ['audio', 'display-capture'])).toBe(false);
    expect(isPermissionAllowed('media', APP, app, ['unknown'])).toBe(false);
    expect(isPermissionAllowed('media', APP, app, [])).toBe(false);
    for (const p of ['media', 'geolocation', 'clipboard-read', 'display-capture', 'openExternal', 'midiSysex', 'hid', 'usb', 'serial', 'fileSystem', 'unknown']) {
      expect(isPermissionAllowed(p, APP, app)).toBe(false);
    }
  });
});

describe('hardenSession', () => {
  function fakeSession() {
    const s = {
      request: null as Handler | null,
      check: null as Handler | null,
      device: null as Handler | null,
      headers: null as Handler | null,
      setPermissionRequestHandler(fn: Handler) { s.request = fn; },
      setPermissionCheckHandler(fn: Handler) { s.check = fn; },
      setDevicePermissionHandler(fn: Handler) { s.device = fn; },
      webRequest: { onHeadersReceived(fn: Handler) { s.headers = fn; } },
    };
    return s;
  }

  it('answers permission requests and checks from the policy', () => {
    const s = fakeSession();
    hardenSession(s as unknown as Session, app);
    const ask = (permission: string, requestingUrl: string) => {
      let granted: boolean | null = null;
      s.request!({}, permission, (g: boolean) => (granted = g), { requestingUrl, isMainFrame: true });
      return granted;
    };
    expect(ask('notifications', APP)).toBe(true);
    expect(ask('media', APP)).toBe(false);
    expect(ask('notifications', 'https://evil.example/')).toBe(false);
    expect(s.check!(null, 'notifications', 'file://', { requestingUrl: APP })).toBe(true);
    expect(s.check!({ getURL: () => APP }, 'notifications', 'file://', {})).toBe(true);
    expect(s.check!({ getURL: () => APP }, 'geolocation', 'file://', { requestingUrl: APP })).toBe(false);
    expect(s.device!({ deviceType: 'usb' })).toBe(false);
  });

  it('adds the CSP header to responses, replacing a weaker one', () => {
    const s = fakeSession();
    hardenSession(s as unknown as Session, app);
    let response: HeadersReply | null = null;
    s.headers!({ url: APP, responseHeaders: { 'Content-Security-Policy': ['default-src *'] } }, (r: unknown) => (response = r as HeadersReply));
    expect(response!.responseHeaders!['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
  });

  it('leaves the unpackaged dev server alone', () => {
    const s = fakeSession();
    hardenSession(s as unknown as Session, { kind: 'dev', url: 'http://localhost:5173/' });
    let response: HeadersReply | null = null;
    s.headers!({ url: 'http://localhost:5173/@vite/client', responseHeaders: {} }, (r: unknown) => (response = r as HeadersReply));
    expect(response).toEqual({});
  });
});

describe('isTrustedIpcSender', () => {
  it('trusts only the app page in a main frame', () => {
    expect(isTrustedIpcSender({ senderFrame: { url: `${APP}#/x`, parent: null } }, app)).toBe(true);
    expect(isTrustedIpcSender({ senderFrame: { url: APP, parent: {} } }, app)).toBe(false);
    expect(isTrustedIpcSender({ senderFrame: { url: 'https://evil.example/', parent: null } }, app)).toBe(false);
    expect(isTrustedIpcSender({ senderFrame: null }, app)).toBe(false);
    expect(isTrustedIpcSender({}, app)).toBe(false);
    expect(isTrustedIpcSender(null, app)).toBe(false);
  });
});
