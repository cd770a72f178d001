import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { injectShim, SHIM_TAG } from './dapp-server-policy';
import { createDispatcher } from '../bridge/dispatcher';
import { createEventHub } from '../bridge/event-hub';
import { createFakeNode } from '../bridge/fake-node';
import { dappOrigin, entryPath, isLoopbackPeer, startDappServer, type DappFile, type DappServer } from './dapp-server';
import { startWebServer } from './web-server';

const APP = `0x${'ab'.repeat(20)}`;
const UI = ['http://127.0.0.1:4100', 'http://localhost:4100'];
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; media-src 'self' blob:; " +
  "connect-src 'none'; frame-src 'none'; worker-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; " +
  'frame-ancestors http://127.0.0.1:4100 http://localhost:4100';
const PERMISSIONS = 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=(), bluetooth=(), payment=(), clipboard-read=(), display-capture=()';

const FILES: Record<string, DappFile> = {
  'index.html': { bytes: Buffer.from('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>x</title></head><body>hi</body></html>'), mime: 'text/html; charset=utf-8' },
  'js/app.js': { bytes: Buffer.from('console.log(1)'), mime: 'text/javascript; charset=utf-8' },
  'img/a b.png': { bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47]), mime: 'image/png' },
};

let dir: string;
let shim: string;
const servers: DappServer[] = [];
const asked: string[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bu-dapp-server-'));
  shim = join(dir, 'provider.js');
  writeFileSync(shim, 'window.ethereum = {};');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  asked.length = 0;
});

async function start(shimFile: string | null = shim): Promise<DappServer> {
  const s = await startDappServer({
    resolve: (appId, path) => {
      asked.push(`${appId} ${path}`);
      return Promise.resolve(appId === APP ? (FILES[path === '' ? 'index.html' : path] ?? null) : null);
    },
    frameAncestors: () => UI,
    shimFile,
  });
  servers.push(s);
  return s;
}

type Reply = { status: number; headers: IncomingHttpHeaders; body: string };
/** A navigation of the dapp's own frame within its origin, unless other Fetch Metadata is given. */
const SAME_ORIGIN = { 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'iframe' };
const FROM_UI = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'iframe' };

function get(s: DappServer, path: string, host = `${APP.slice(2)}.localhost:${s.port}`, method = 'GET', meta: Record<string, string> = SAME_ORIGIN): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: s.port, path, method, headers: { host, ...meta } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function expectHeaders(r: Reply): void {
  expect(r.headers['content-security-policy']).toBe(CSP);
  expect(r.headers['x-content-type-options']).toBe('nosniff');
  expect(r.headers['referrer-policy']).toBe('no-referrer');
  expect(r.headers['cross-origin-resource-policy']).toBe('same-origin');
  expect(r.headers['permissions-policy']).toBe(PERMISSIONS);
}

describe('dapp server', () => {
  it('serves the app the Host names, with the exact CSP and headers, the shim first in <head>', async () => {
    const s = await start();
    const page = await get(s, '/index.html');
    expect(page.status).toBe(200);
    expectHeaders(page);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toBe(`<!doctype html><html lang="en"><head>${SHIM_TAG}<meta charset="utf-8"><title>x</title></head><body>hi</body></html>`);
    expect(Number(page.headers['content-length'])).toBe(Buffer.byteLength(page.body));
    expect((await get(s, '/')).body).toContain(`<head>${SHIM_TAG}`);
    const js = await get(s, '/js/app.js?v=2');
    expect([js.status, js.body, js.headers['content-type']]).toEqual([200, 'console.log(1)', 'text/javascript; charset=utf-8']);
    expectHeaders(js);
    expect((await get(s, '/img/a%20b.png')).status).toBe(200);
    const head = await get(s, '/js/app.js', undefined, 'HEAD');
    expect([head.status, head.body, head.headers['content-length']]).toEqual([200, '', '14']);
    // the Host decides: upper-case hex is the same host
    expect((await get(s, '/js/app.js', `${APP.slice(2).toUpperCase()}.LOCALHOST:${s.port}`)).status).toBe(200);
    const launch = s.urlOf(APP, 'index.html');
    expect(launch.origin).toBe(`http://${APP.slice(2)}.localhost:${s.port}`);
    expect(launch.url).toMatch(new RegExp(`^http://${APP.slice(2)}\\.localhost:${s.port}/index\\.html\\?__bu_launch=[0-9a-f]{32}$`));
    expect(s.frameSource).toBe(`http://*.localhost:${s.port}`);
  });

  it('refuses other hosts (400), other apps and files (404), other methods (405), all with the headers', async () => {
    const s = await start();
    for (const host of [`127.0.0.1:${s.port}`, `localhost:${s.port}`, `evil.example:${s.port}`, `${APP.slice(2)}.localhost:${s.port + 1}`, `${APP.slice(2)}.localhost`, `x${APP.slice(3)}.localhost:${s.port}`, `${APP.slice(2)}.localhost.evil.example:${s.port}`, `0x${APP.slice(2)}.localhost:${s.port}`]) {
      const r = await get(s, '/index.html', host);
      expect(r.status, host).toBe(400);
      expectHeaders(r);
    }
    expect((await get(s, '/index.html', `${'cd'.repeat(20)}.localhost:${s.port}`)).status).toBe(404);
    for (const p of ['/nope.js', '/%2e%2e/secret', '/js%5capp.js', '/a%00b', '/%zz', '/__bitunicom/other']) {
      const r = await get(s, p);
      expect(r.status, p).toBeGreaterThanOrEqual(400);
      expectHeaders(r);
    }
    const post = await get(s, '/index.html', undefined, 'POST');
    expect([post.status, post.headers.allow]).toEqual([405, 'GET, HEAD']);
    expectHeaders(post);
    // the resolver only ever saw the app's own paths (never a decoded '..' or backslash)
    expect(asked.every((a) => !a.includes('\\') && !a.includes('\0'))).toBe(true);
  });

  it('loads a document from the UI only with a one-use launch token; subresources and own navigations need none', async () => {
    const s = await start();
    const { url } = s.urlOf(APP, 'index.html');
    const path = new URL(url).pathname + new URL(url).search;
    expect((await get(s, path, undefined, 'GET', FROM_UI)).status).toBe(200);
    const again = await get(s, path, undefined, 'GET', FROM_UI);
    expect([again.status, again.body]).toEqual([403, 'Forbidden: the launch token is unknown, used or expired.\n']);
    expectHeaders(again);
    // another dapp walking its frame here, or a page opened without Fetch Metadata: refused
    expect((await get(s, '/index.html', undefined, 'GET', FROM_UI)).status).toBe(403);
    expect((await get(s, '/index.html', undefined, 'GET', {})).status).toBe(403);
    // a token issued for another app does not open this one
    const other = new URL(s.urlOf(`0x${'cd'.repeat(20)}`, 'index.html').url);
    expect((await get(s, `/index.html${other.search}`, undefined, 'GET', FROM_UI)).status).toBe(403);
    expect((await get(s, '/js/app.js', undefined, 'GET', { 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'script' })).status).toBe(200);
    // clearing is harmless: any load of it is answered
    expect((await get(s, '/__bitunicom/clear', undefined, 'GET', FROM_UI)).headers['clear-site-data']).toBe('"cache", "cookies", "storage"');
  });

  it('serves the provider shim from its file (404 without one), and Clear-Site-Data for any app host', async () => {
    const s = await start();
    const js = await get(s, '/__bitunicom/provider.js');
    expect([js.status, js.body, js.headers['content-type']]).toEqual([200, 'window.ethereum = {};', 'text/javascript; charset=utf-8']);
    expectHeaders(js);
    const other = `${'cd'.repeat(20)}.localhost:${s.port}`;
    const clear = await get(s, '/__bitunicom/clear', other);
    expect([clear.status, clear.headers['clear-site-data']]).toEqual([200, '"cache", "cookies", "storage"']);
    expectHeaders(clear);
    const none = await start(join(dir, 'missing.js'));
    expect((await get(none, '/__bitunicom/provider.js')).status).toBe(404);
  });

  it('listens on loopback only and answers only loopback peers', async () => {
    await expect(startDappServer({ resolve: () => Promise.resolve(null), frameAncestors: () => UI, host: '0.0.0.0' })).rejects.toThrow(/127\.0\.0\.1 only/);
    for (const a of ['127.0.0.1', '::ffff:127.0.0.1', '::1', '127.1.2.3']) expect(isLoopbackPeer(a), a).toBe(true);
    for (const a of ['10.0.0.1', '::ffff:192.168.1.2', '0.0.0.0', undefined, '127.0.0.1.evil']) expect(isLoopbackPeer(a), String(a)).toBe(false);
  });

  it("the UI's CSP lets it frame exactly the dapp server, nothing else new", async () => {
    const s = await start();
    const node = createFakeNode({ phase: 'unlocked' });
    const web = await startWebServer({ dispatcher: createDispatcher(node.handlers), events: createEventHub(node.events), staticDir: null, frameSource: s.frameSource });
    try {
      const csp = await new Promise<string>((resolve, reject) => {
        request({ host: '127.0.0.1', port: web.port, path: '/', headers: { host: `127.0.0.1:${web.port}` } }, (res) => {
          res.resume();
          resolve(String(res.headers['content-security-policy']));
        })
          .on('error', reject)
          .end();
      });
      expect(csp).toBe(
        `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws://127.0.0.1:${web.port} ws://localhost:${web.port}; ` +
          `frame-src http://*.localhost:${s.port}; frame-ancestors 'none'; object-src 'none'; base-uri 'none'; form-action 'none'`,
      );
    } finally {
      await web.close();
    }
  });

  it('puts the shim first in <head> whatever the page looks like', () => {
    expect(injectShim('<HTML><HEAD lang=x><title>t</title>')).toBe(`<HTML><HEAD lang=x>${SHIM_TAG}<title>t</title>`);
    expect(injectShim('<!doctype html><header>x</header>')).toBe(`<!doctype html>${SHIM_TAG}<header>x</header>`);
    expect(injectShim('<html><body>x')).toBe(`<html>${SHIM_TAG}<body>x`);
    expect(injectShim('<p>x')).toBe(`${SHIM_TAG}<p>x`);
    expect(dappOrigin(APP.toUpperCase().replace('0X', '0x'), 5)).toBe(`http://${APP.slice(2)}.localhost:5`);
    expect(entryPath('a b/c#d.html')).toBe('/a%20b/c%23d.html');
  });
});
