import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDappProtocolHandler, frameAncestorsFor } from './dapp-protocol';
import { dappOrigin } from './dapp-sandbox';
import type { AppLocation } from './links';

const A = `0x${'a1'.repeat(20)}`;
const app: AppLocation = { kind: 'file', url: 'file:///opt/BitUnicom/out/renderer/electron.html' };
const files: Record<string, { bytes: Uint8Array; mime: string }> = {
  'index.html': { bytes: new TextEncoder().encode('<!doctype html><html><head><title>x</title></head><body>hi</body></html>'), mime: 'text/html; charset=utf-8' },
  'app.js': { bytes: new TextEncoder().encode('console.log(1)'), mime: 'text/javascript; charset=utf-8' },
};
const dir = mkdtempSync(join(tmpdir(), 'bu-dapp-proto-'));
const shimFile = join(dir, 'provider.js');
writeFileSync(shimFile, '/* shim */');
const asked: string[] = [];
const handler = createDappProtocolHandler({
  app,
  shimFile,
  resolve: async (appId, path) => {
    asked.push(`${appId}:${path}`);
    return appId === A ? (files[path] ?? null) : null;
  },
});
const get = (path: string, method = 'GET') => handler(new Request(`${dappOrigin(A)}/${path}`, { method }));

describe('the bu-dapp:// protocol handler', () => {
  it('serves an installed file with the dapp CSP framed only by the app document', async () => {
    const r = await get('app.js');
    expect(r.status).toBe(200);
    expect(await r.text()).toBe('console.log(1)');
    const csp = r.headers.get('content-security-policy')!;
    expect(csp).toContain("connect-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain('frame-ancestors file:');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    expect(r.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(r.headers.get('permissions-policy')).toContain('camera=()');
  });

  it('puts the provider shim first in <head> and serves it from the dapp origin', async () => {
    const html = await (await get('index.html')).text();
    expect(html).toMatch(/<head><script src="\/__bitunicom\/provider\.js"><\/script><title>/);
    expect(await (await get('__bitunicom/provider.js')).text()).toBe('/* shim */');
    expect((await get('__bitunicom/clear')).status).toBe(404);
  });

  it('refuses other methods, unknown files, traversal and other schemes', async () => {
    expect((await get('app.js', 'POST')).status).toBe(405);
    expect((await get('missing.js')).status).toBe(404);
    asked.length = 0;
    expect((await handler(new Request(`${dappOrigin(A)}/%2e%2e/%2e%2e/etc/passwd`))).status).toBe(404);
    expect(asked.every((a) => !a.includes('..'))).toBe(true); // the URL parser keeps dot segments inside the origin
    expect((await handler(new Request(`${dappOrigin(A)}/a%5C..%5Cb`))).status).toBe(404);
    expect((await handler(new Request('https://example.com/index.html'))).status).toBe(400);
    const head = await get('app.js', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('lets the dev server frame dapps when unpackaged', () => {
    expect(frameAncestorsFor({ kind: 'dev', url: 'http://localhost:5173/' })).toEqual(['http://localhost:5173']);
    expect(frameAncestorsFor(app)).toEqual(['file:']);
  });
});
