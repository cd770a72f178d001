import { describe, expect, it } from 'vitest';
import { MAX_EXTERNAL_URL_LENGTH, isAppDocument, validateExternalLink, type AppLocation } from './links';

describe('validateExternalLink', () => {
  const accepted: Array<[string, string]> = [
    ['https://bitunicom.org/', 'https://bitunicom.org/'],
    ['https://Example.COM/a?b=c#d', 'https://example.com/a?b=c#d'],
    ['https://example.com:8443/path', 'https://example.com:8443/path'],
    ['https://xn--nxasmq6b.example/', 'https://xn--nxasmq6b.example/'],
    ['https://例え.テスト/', 'https://xn--r8jz45g.xn--zckzah/'],
    ['mailto:support@bitunicom.org', 'mailto:support@bitunicom.org'],
    ['mailto:a@example.org?subject=Hi%20there', 'mailto:a@example.org?subject=Hi%20there'],
  ];
  it.each(accepted)('accepts %s', (raw, normalised) => {
    expect(validateExternalLink(raw)).toBe(normalised);
  });

  const rejected: Array<[string, unknown]> = [
    ['plain http', 'http://example.com/'],
    ['file', 'file:///etc/passwd'],
    ['javascript', 'javascript:alert(1)'],
    ['data', 'data:text/html,<script>alert(1)</script>'],
    ['smb share', 'smb://attacker/share/evil.exe'],
    ['custom scheme', 'ms-msdt:/id PCWDiagnostic'],
    ['vbscript', 'vbscript:msgbox(1)'],
    ['chrome', 'chrome://settings'],
    ['ws', 'wss://example.com/'],
    ['credentials', 'https://user:pass@example.com/'],
    ['username only', 'https://user@example.com/'],
    ['mailto without recipient', 'mailto:'],
    ['mailto with host', 'mailto://example.com/'],
    ['leading space', ' https://example.com/'],
    ['embedded newline', 'https://exa\nmple.com/'],
    ['embedded tab', 'https://example.com/\tx'],
    ['NUL', 'https://example.com/\u0000'],
    ['C1 control', 'https://example.com/\u0085'],
    ['too long', `https://example.com/${'a'.repeat(MAX_EXTERNAL_URL_LENGTH)}`],
    ['relative', '/settings'],
    ['empty', ''],
    ['not a string', 42],
    ['null', null],
    ['garbage', 'https://'],
  ];
  it.each(rejected)('rejects %s', (_label, raw) => {
    expect(validateExternalLink(raw)).toBeNull();
  });

  it('accepts a URL exactly at the length limit', () => {
    const base = 'https://example.com/';
    const raw = base + 'a'.repeat(MAX_EXTERNAL_URL_LENGTH - base.length);
    expect(raw.length).toBe(MAX_EXTERNAL_URL_LENGTH);
    expect(validateExternalLink(raw)).toBe(raw);
  });
});

describe('isAppDocument', () => {
  const file: AppLocation = { kind: 'file', url: 'file:///opt/BitUnicom/out/renderer/electron.html' };
  const dev: AppLocation = { kind: 'dev', url: 'http://localhost:5173/' };

  it('accepts the app page with any query or fragment', () => {
    expect(isAppDocument('file:///opt/BitUnicom/out/renderer/electron.html', file)).toBe(true);
    expect(isAppDocument('file:///opt/BitUnicom/out/renderer/electron.html#/chat/0xabc', file)).toBe(true);
    expect(isAppDocument('file:///opt/BitUnicom/out/renderer/electron.html?x=1', file)).toBe(true);
  });

  it('rejects other files, other schemes and lookalikes', () => {
    expect(isAppDocument('file:///opt/BitUnicom/out/renderer/index.html', file)).toBe(false);
    expect(isAppDocument('file:///etc/passwd', file)).toBe(false);
    expect(isAppDocument('file://evil-host/opt/BitUnicom/out/renderer/electron.html', file)).toBe(false);
    expect(isAppDocument('https://opt/BitUnicom/out/renderer/electron.html', file)).toBe(false);
    expect(isAppDocument('file:///opt/BitUnicom/out/renderer/electron.html/../../../../etc/passwd', file)).toBe(false);
    expect(isAppDocument(undefined, file)).toBe(false);
    expect(isAppDocument('file:///opt/BitUnicom/out/renderer/electron.html\n', file)).toBe(false);
  });

  it('for the dev server, accepts its origin only', () => {
    expect(isAppDocument('http://localhost:5173/', dev)).toBe(true);
    expect(isAppDocument('http://localhost:5173/#/settings', dev)).toBe(true);
    expect(isAppDocument('http://localhost:5174/', dev)).toBe(false);
    expect(isAppDocument('http://127.0.0.1:5173/', dev)).toBe(false);
    expect(isAppDocument('file:///opt/BitUnicom/out/renderer/electron.html', dev)).toBe(false);
  });
});
