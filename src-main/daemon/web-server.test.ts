import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createDispatcher } from '../bridge/dispatcher';
import { createEventHub } from '../bridge/event-hub';
import { createFakeNode } from '../bridge/fake-node';
import { contentTypeOf, defaultRendererDir, startWebServer, type WebServer } from './web-server';

let root: string;
let staticDir: string;
const servers: WebServer[] = [];

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'bu-web-'));
  staticDir = join(root, 'renderer');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>BU</title>');
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(staticDir, 'assets', 'app.css'), 'body{}');
  writeFileSync(join(staticDir, 'assets', 'logo.svg'), '<svg/>');
  writeFileSync(join(staticDir, 'assets', 'blob.xyz'), 'x');
  writeFileSync(join(root, 'secret.txt'), 'TOP SECRET');
  symlinkSync(join(root, 'secret.txt'), join(staticDir, 'assets', 'link.txt'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function start(dir: string | null = staticDir): Promise<WebServer> {
  const node = createFakeNode({ phase: 'unlocked' });
  const s = await startWebServer({ dispatcher: createDispatcher(node.handlers), events: createEventHub(node.events), staticDir: dir });
  servers.push(s);
  return s;
}

type Reply = { status: number; headers: IncomingHttpHeaders; body: string };
function get(s: WebServer, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: s.port, path, method, headers: { host: `127.0.0.1:${s.port}`, ...headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function login(s: WebServer): Promise<string> {
  const r = await get(s, `/?token=${s.token}`);
  expect(r.status).toBe(200);
  return String(r.headers['set-cookie']?.[0]).split(';')[0]!;
}

function wsConnect(url: string, origin?: string): Promise<{ ws: WebSocket } | { status: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.once('error', () => resolve({ status: -1 }));
  });
}

describe('web server: binding', () => {
  it('listens on 127.0.0.1 only and refuses other hosts', async () => {
    const node = createFakeNode();
    const base = { dispatcher: createDispatcher(node.handlers), events: createEventHub() };
    for (const host of ['0.0.0.0', 'localhost', '::', '192.168.1.2']) {
      await expect(startWebServer({ ...base, host })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    }
    const s = await start();
    expect(s.origin).toBe(`http://127.0.0.1:${s.port}`);
    expect(s.url).toBe(`http://127.0.0.1:${s.port}/?token=${s.token}`);
    expect(Buffer.from(s.token, 'base64url')).toHaveLength(32);
    await expect(startWebServer({ ...base, port: s.port })).rejects.toMatchObject({ code: 'NETWORK' });
  });

  it('uses a fresh token per run', async () => {
    const a = await start();
    const b = await start();
    expect(a.token).not.toBe(b.token);
    expect((await get(b, `/?token=${a.token}`)).status).toBe(401);
  });
});

describe('web server: page auth', () => {
  it('needs the token or the cookie', async () => {
    const s = await start();
    expect((await get(s, '/')).status).toBe(401);
    expect((await get(s, '/?token=wrong')).status).toBe(401);
    const r = await get(s, `/?token=${s.token}`);
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>BU</title>');
    const cookie = r.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toMatch(new RegExp(`^bu_session_${s.port}=[A-Za-z0-9_-]{43}; `));
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).not.toContain(s.token);
    const pair = cookie.split(';')[0]!;
    expect((await get(s, '/assets/app.js', { cookie: pair })).status).toBe(200);
    expect((await get(s, '/assets/app.js', { cookie: `${pair}x` })).status).toBe(401);
    expect((await get(s, '/assets/app.js', { cookie: `bu_session_1=${pair.split('=')[1]}` })).status).toBe(401);
  });

  it('checks the Host header (DNS rebinding)', async () => {
    const s = await start();
    const cookie = await login(s);
    expect((await get(s, '/', { cookie, host: `localhost:${s.port}` })).status).toBe(200);
    expect((await get(s, '/', { cookie, host: `LOCALHOST:${s.port}` })).status).toBe(200);
    expect((await get(s, '/', { cookie, host: `evil.example:${s.port}` })).status).toBe(403);
    expect((await get(s, `/?token=${s.token}`, { host: `attacker.test:${s.port}` })).status).toBe(403);
    expect((await get(s, '/', { cookie, host: '127.0.0.1' })).status).toBe(403);
    expect((await get(s, '/', { cookie, host: `127.0.0.1:${s.port + 1}` })).status).toBe(403);
  });

  it('allows only GET and HEAD', async () => {
    const s = await start();
    const cookie = await login(s);
    const post = await get(s, '/', { cookie }, 'POST');
    expect(post.status).toBe(405);
    const head = await get(s, '/assets/app.js', { cookie }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-length']).toBe(String('console.log(1)'.length));
  });
});

describe('web server: headers and files', () => {
  it('sends the strict security headers on every response, errors included', async () => {
    const s = await start();
    const cookie = await login(s);
    for (const r of [await get(s, '/', { cookie }), await get(s, '/'), await get(s, '/nope.js', { cookie })]) {
      expect(r.headers['content-security-policy']).toBe(
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
          `connect-src 'self' ws://127.0.0.1:${s.port} ws://localhost:${s.port}; frame-ancestors 'none'; ` +
          "object-src 'none'; base-uri 'none'; form-action 'none'",
      );
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
      expect(r.headers['cache-control']).toBe('no-store');
    }
  });

  it('serves files with the right content types', async () => {
    const s = await start();
    const cookie = await login(s);
    const types: Record<string, string> = {
      '/': 'text/html; charset=utf-8',
      '/assets/app.js': 'text/javascript; charset=utf-8',
      '/assets/app.css': 'text/css; charset=utf-8',
      '/assets/logo.svg': 'image/svg+xml',
      '/assets/blob.xyz': 'application/octet-stream',
    };
    for (const [path, type] of Object.entries(types)) {
      const r = await get(s, path, { cookie });
      expect(r.status, path).toBe(200);
      expect(r.headers['content-type'], path).toBe(type);
    }
    expect(contentTypeOf('A.WOFF2')).toBe('font/woff2');
    // client-side routes get the app shell; missing assets do not
    expect((await get(s, '/chat/0xabc', { cookie })).body).toContain('<title>BU</title>');
    expect((await get(s, '/assets/missing.js', { cookie })).status).toBe(404);
  });

  it('never serves anything outside the renderer directory', async () => {
    const s = await start();
    const cookie = await login(s);
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/assets/link.txt',
      '/%00',
      '/%E0%A4%A',
      `/${'../'.repeat(8)}etc/passwd`,
    ]) {
      const r = await get(s, path, { cookie });
      expect(r.body, path).not.toContain('TOP SECRET');
      expect(r.body, path).not.toContain('root:');
      expect([400, 404], path).toContain(r.status);
    }
  });

  it('answers 503 with a hint when the UI is not built', async () => {
    const s = await start(join(root, 'missing'));
    const r = await get(s, `/?token=${s.token}`);
    expect(r.status).toBe(503);
    expect(r.body).toContain('npm run build');
  });

  it('finds out/renderer above the module when it exists', () => {
    const repo = mkdtempSync(join(tmpdir(), 'bu-repo-'));
    mkdirSync(join(repo, 'out', 'renderer'), { recursive: true });
    mkdirSync(join(repo, 'out', 'main'), { recursive: true });
    writeFileSync(join(repo, 'out', 'renderer', 'index.html'), '');
    expect(defaultRendererDir(`file://${join(repo, 'out', 'main', 'cli.js')}`)).toBe(join(repo, 'out', 'renderer'));
    expect(defaultRendererDir(`file://${join(repo, 'src-main', 'daemon', 'web-server.ts')}`)).toBe(join(repo, 'out', 'renderer'));
    rmSync(repo, { recursive: true, force: true });
  });
});

describe('web server: bridge websocket', () => {
  it('accepts the token with the server origin and serves the bridge', async () => {
    const s = await start();
    const r = await wsConnect(`ws://127.0.0.1:${s.port}/bridge?token=${s.token}`, s.origin);
    expect('ws' in r).toBe(true);
    if (!('ws' in r)) return;
    const reply = new Promise<string>((resolve) => r.ws.once('message', (d) => resolve(String(d))));
    r.ws.send(JSON.stringify({ id: 1, method: 'app.getState', input: {} }));
    expect(JSON.parse(await reply)).toMatchObject({ id: 1, ok: true, result: { phase: 'unlocked' } });
    r.ws.close();
    const viaLocalhost = await wsConnect(`ws://localhost:${s.port}/bridge?token=${s.token}`, `http://localhost:${s.port}`);
    expect('ws' in viaLocalhost).toBe(true);
    if ('ws' in viaLocalhost) viaLocalhost.ws.close();
  });

  it('refuses upgrades without the token, from another origin, without an origin, or elsewhere', async () => {
    const s = await start();
    const base = `ws://127.0.0.1:${s.port}`;
    expect(await wsConnect(`${base}/bridge`, s.origin)).toEqual({ status: 401 });
    expect(await wsConnect(`${base}/bridge?token=nope`, s.origin)).toEqual({ status: 401 });
    expect(await wsConnect(`${base}/bridge?token=${s.token}`, 'http://evil.example')).toEqual({ status: 403 });
    expect(await wsConnect(`${base}/bridge?token=${s.token}`, `http://127.0.0.1:${s.port + 1}`)).toEqual({ status: 403 });
    expect(await wsConnect(`${base}/bridge?token=${s.token}`, 'null')).toEqual({ status: 403 });
    expect(await wsConnect(`${base}/bridge?token=${s.token}`)).toEqual({ status: 403 });
    expect(await wsConnect(`${base}/other?token=${s.token}`, s.origin)).toEqual({ status: 404 });
    // the cookie alone does not open the bridge
    const cookie = await login(s);
    const viaCookie = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${base}/bridge`, { origin: s.origin, headers: { cookie } });
      ws.once('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0));
      ws.once('open', () => resolve(101));
    });
    expect(viaCookie).toBe(401);
  });

  it('refuses upgrades with a foreign Host header', async () => {
    const s = await start();
    const r = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${s.port}/bridge?token=${s.token}`, {
        origin: s.origin,
        headers: { host: `rebind.example:${s.port}` },
      });
      ws.once('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0));
      ws.once('open', () => resolve(101));
      ws.once('error', () => resolve(-1));
    });
    expect(r).toBe(403);
  });
});
