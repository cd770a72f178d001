import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRpcFixture, type RpcFixture } from './fixture';
import { BODY_LIMIT, allowedHost, startRpcServer, type RpcServer } from './server';

let f: RpcFixture;
let server: RpcServer;

beforeAll(async () => {
  f = await openRpcFixture();
  server = await startRpcServer({ ledger: f.ledger, mempool: f.mempool, clientVersion: 'BitUnicom/test', port: 0 });
});
afterAll(async () => {
  await server.close();
  await f.close();
});

type Reply = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

function http(o: { method?: string; body?: string | Buffer; headers?: Record<string, string> }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(server.url, { method: o.method ?? 'POST', headers: { 'content-type': 'application/json', ...o.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

describe('RPC HTTP server', () => {
  it('listens on loopback and answers JSON-RPC', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const r = await http({ body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }) });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    expect(JSON.parse(r.body)).toEqual({ jsonrpc: '2.0', id: 1, result: '0x4255' });
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('parse errors and notifications over HTTP', async () => {
    const bad = await http({ body: '{"jsonrpc":' });
    expect(bad.status).toBe(200);
    expect(JSON.parse(bad.body)).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'parse error' } });
    const note = await http({ body: JSON.stringify({ jsonrpc: '2.0', method: 'eth_chainId' }) });
    expect(note).toMatchObject({ status: 200, body: '' });
  });

  it('refuses a Host that is not localhost or an IP (DNS rebinding) with 403', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId' });
    expect((await http({ body, headers: { host: 'evil.example:8545' } })).status).toBe(403);
    expect((await http({ body, headers: { host: 'localhost.evil.example' } })).status).toBe(403);
    expect((await http({ body, headers: { host: 'localhost:8545' } })).status).toBe(200);
    expect((await http({ body, headers: { host: '[::1]:8545' } })).status).toBe(200);
    expect(allowedHost('127.0.0.1')).toBe(true);
    expect(allowedHost('LOCALHOST')).toBe(true);
    expect(allowedHost('attacker.com')).toBe(false);
    expect(allowedHost(undefined)).toBe(true);
  });

  it('bodies over 5 MiB get 413, whether announced or streamed', async () => {
    const big = Buffer.alloc(BODY_LIMIT + 10, 0x20);
    const announced = await http({ body: big });
    expect(announced.status).toBe(413);
    expect(announced.body).toMatch(/^content length too large/);
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = request(server.url, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', (e) => (String(e).includes('EPIPE') || String(e).includes('ECONNRESET') ? resolve(413) : reject(e)));
      for (let i = 0; i < 6; i++) req.write(Buffer.alloc(1024 * 1024, 0x20));
      req.end();
    });
    expect(streamed).toBe(413);
    const justUnder = await http({ body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'web3_sha3', params: ['0x' + 'ab'.repeat(1024 * 1024)] }) });
    expect(justUnder.status).toBe(200);
  });

  it('content type, methods and the GET health probe', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId' });
    expect((await http({ body, headers: { 'content-type': 'text/plain' } })).status).toBe(415);
    expect((await http({ body, headers: { 'content-type': 'application/json; charset=utf-8' } })).status).toBe(200);
    expect(await http({ method: 'GET' })).toMatchObject({ status: 200, body: '' });
    expect((await http({ method: 'PUT', body })).status).toBe(405);
    const options = await http({ method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(options.status).toBe(405);
    expect(options.headers['access-control-allow-origin']).toBeUndefined();
  });
});
