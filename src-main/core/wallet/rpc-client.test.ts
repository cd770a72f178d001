import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server } from 'node:net';
import { JsonRpcProvider } from 'ethers';
import { isBuError } from '../base';
import { RpcClient, RpcClientError, parseHttpUrl } from './rpc-client';
import { startAnvil, type Anvil } from './anvil-fixture';

const DEV0 = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266'; // anvil's first dev account

type Local = { url: string; host: string; close(): Promise<void> };

async function listen(server: Server): Promise<Local> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => r());
      }),
  };
}

const http = (h: (req: IncomingMessage, res: ServerResponse) => void) => listen(createHttpServer(h) as unknown as Server);

async function failure(p: Promise<unknown>): Promise<RpcClientError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(RpcClientError);
  return e as RpcClientError;
}

describe('against a real anvil', () => {
  let anvil: Anvil;
  beforeAll(async () => {
    anvil = await startAnvil({ chainId: 4242 });
  });
  afterAll(() => anvil?.stop());

  it('reads the chain id, a balance with bigint params, and agrees with ethers', async () => {
    const rpc = new RpcClient(anvil.url);
    expect(BigInt(await rpc.call<string>('eth_chainId'))).toBe(4242n);
    const block0 = await rpc.call<{ number: string }>('eth_getBlockByNumber', [0n, false]);
    expect(block0.number).toBe('0x0');
    const balance = BigInt(await rpc.call<string>('eth_getBalance', [DEV0, 'latest']));
    expect(balance).toBe(10_000n * 10n ** 18n);
    const provider = new JsonRpcProvider(anvil.url, 4242, { staticNetwork: true });
    try {
      expect(await provider.getBalance(DEV0)).toBe(balance);
      expect(BigInt(await rpc.call<string>('eth_blockNumber'))).toBe(BigInt(await provider.getBlockNumber()));
    } finally {
      provider.destroy();
    }
  });

  it("keeps the node's JSON-RPC error code, message and data (a revert)", async () => {
    // init code: mstore(0, 0xdeadbeef); revert(28, 4)
    const e = await failure(new RpcClient(anvil.url).call('eth_call', [{ from: DEV0, data: '0x63deadbeef6000526004601cfd' }, 'latest']));
    expect(e.kind).toBe('RPC_ERROR');
    expect(e.code).toBe('RPC_ERROR');
    expect(e.rpcCode).toBe(3);
    expect(e.rpcMessage).toMatch(/revert/i);
    expect(e.rpcData).toBe('0xdeadbeef');
    expect(e.message).toContain(`The RPC at ${new URL(anvil.url).host} rejected eth_call`);
  });

  it('batches, with per-call outcomes in request order', async () => {
    const out = await new RpcClient(anvil.url).batch([{ method: 'eth_chainId' }, { method: 'no_suchMethod', params: [] }, { method: 'eth_getBalance', params: [DEV0, 'latest'] }]);
    expect(out[0]).toEqual({ ok: true, value: '0x1092' });
    expect(out[1]!.ok).toBe(false);
    if (!out[1]!.ok) {
      expect(out[1]!.error.kind).toBe('RPC_ERROR');
      expect(out[1]!.error.rpcCode).toBe(-32601);
    }
    expect(out[2]!.ok && BigInt(out[2]!.value as string)).toBe(10_000n * 10n ** 18n);
  });
});

it('the anvil fixture honours mnemonic, chain id and block time', async () => {
  const a = await startAnvil({ mnemonic: 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about', chainId: 99, blockTime: 0.2 });
  try {
    const rpc = new RpcClient(a.url);
    expect(a.chainId).toBe(99);
    expect((await rpc.call<string[]>('eth_accounts'))[0]!.toLowerCase()).toBe('0x9858effd232b4033e47d90003d41ec34ecaeda94'); // BIP-44 account 0 of that phrase
    const deadline = Date.now() + 3000;
    while (BigInt(await rpc.call<string>('eth_blockNumber')) < 2n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(BigInt(await rpc.call<string>('eth_blockNumber'))).toBeGreaterThanOrEqual(2n);
  } finally {
    await a.stop();
  }
  const e = await failure(new RpcClient(a.url).call('eth_chainId'));
  expect(e.why).toBe('refused'); // stopped means gone
});

describe('failures', () => {
  it('times out on a server that accepts and never answers, naming the host', async () => {
    const srv = await http(() => {});
    try {
      const rpc = new RpcClient(srv.url, { timeoutMs: 300 });
      const t0 = Date.now();
      const e = await failure(rpc.call('eth_chainId'));
      const took = Date.now() - t0;
      expect(took).toBeGreaterThanOrEqual(290);
      expect(took).toBeLessThan(2000);
      expect([e.kind, e.why]).toEqual(['RPC_UNREACHABLE', 'timeout']);
      expect(e.code).toBe('RPC_UNREACHABLE');
      expect(e.message).toBe(`The RPC at ${srv.host} did not answer eth_chainId within 300 ms.`);
      // a per-call timeout overrides the client's
      const t1 = Date.now();
      expect((await failure(rpc.call('eth_chainId', [], { timeoutMs: 100 }))).why).toBe('timeout');
      expect(Date.now() - t1).toBeLessThan(1000);
    } finally {
      await srv.close();
    }
  });

  it('times out when the headers arrive but the body stalls', async () => {
    const srv = await http((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"jsonrpc":"2.0",');
    });
    try {
      const e = await failure(new RpcClient(srv.url, { timeoutMs: 300 }).call('eth_blockNumber'));
      expect([e.kind, e.why]).toEqual(['RPC_UNREACHABLE', 'timeout']);
    } finally {
      await srv.close();
    }
  });

  it('reports a closed port as refused', async () => {
    const srv = await listen(createTcpServer());
    await srv.close();
    const e = await failure(new RpcClient(srv.url).call('eth_chainId'));
    expect([e.kind, e.why]).toEqual(['RPC_UNREACHABLE', 'refused']);
    expect(e.message).toBe(`The RPC at ${srv.host} refused the connection: nothing is listening there.`);
  });

  it('reports a connection closed without an answer, and a host that does not resolve', async () => {
    const srv = await listen(createTcpServer((s) => s.destroy()));
    try {
      const e = await failure(new RpcClient(srv.url).call('eth_chainId'));
      expect([e.kind, e.why]).toEqual(['RPC_UNREACHABLE', 'reset']);
    } finally {
      await srv.close();
    }
    const dns = await failure(new RpcClient('http://no-such-node.invalid:8545', { timeoutMs: 5000 }).call('eth_chainId'));
    expect([dns.kind, dns.why]).toEqual(['RPC_UNREACHABLE', 'dns']);
    expect(dns.message).toContain('no-such-node.invalid');
  });

  it('refuses answers that are not JSON-RPC', async () => {
    let reply: (body: string, res: ServerResponse) => void = () => {};
    const srv = await http((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => reply(body, res));
    });
    const rpc = new RpcClient(srv.url, { timeoutMs: 2000, maxResponseBytes: 1000 });
    const kindOf = async (f: typeof reply) => {
      reply = f;
      const e = await failure(rpc.call('eth_chainId'));
      return { kind: e.kind, message: e.message, status: e.httpStatus };
    };
    try {
      expect(await kindOf((_b, res) => res.end('<html>hello</html>'))).toEqual({
        kind: 'RPC_BAD_RESPONSE',
        message: `The RPC at ${srv.host} answered eth_chainId with something that is not JSON ("<html>hello</html>").`,
        status: 200,
      });
      expect((await kindOf((_b, res) => res.end('{"foo":1}'))).message).toContain('not a JSON-RPC 2.0 response');
      expect((await kindOf((_b, res) => res.end('[1,2]'))).kind).toBe('RPC_BAD_RESPONSE');
      expect((await kindOf((_b, res) => res.end(JSON.stringify({ jsonrpc: '2.0', id: 999, result: '0x1' })))).message).toContain('id of another request');
      expect((await kindOf((_b, res) => res.end(JSON.stringify({ jsonrpc: '2.0', id: JSON.parse(_b).id })))).message).toContain('neither a result nor an error');
      expect(await kindOf((_b, res) => res.writeHead(503, 'Service Unavailable').end('busy'))).toMatchObject({ kind: 'RPC_BAD_RESPONSE', status: 503 });
      expect((await kindOf((_b, res) => res.writeHead(503, 'Service Unavailable').end('busy'))).message).toBe(
        `The RPC at ${srv.host} answered HTTP 503 Service Unavailable instead of JSON-RPC.`,
      );
      expect((await kindOf((_b, res) => res.writeHead(308, { location: 'https://elsewhere.example/rpc' }).end())).message).toContain('redirects to elsewhere.example (HTTP 308)');
      expect((await kindOf((_b, res) => res.end(`"${'x'.repeat(2000)}"`))).message).toContain('larger than 1000 bytes');
      // a JSON-RPC error is the node's answer even with a non-2xx status
      reply = (b, res) => res.writeHead(429).end(JSON.stringify({ jsonrpc: '2.0', id: JSON.parse(b).id, error: { code: -32005, message: 'rate limited', data: { retryAfter: 2 } } }));
      const e = await failure(rpc.call('eth_chainId'));
      expect([e.kind, e.rpcCode, e.rpcMessage, e.rpcData]).toEqual(['RPC_ERROR', -32005, 'rate limited', { retryAfter: 2 }]);
      // a batch answered by one error object (batches not supported) fails as a whole
      reply = (_b, res) => res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'batch not supported' } }));
      expect((await failure(rpc.batch([{ method: 'eth_chainId' }]))).rpcCode).toBe(-32600);
      reply = (b, res) => res.end(JSON.stringify([{ jsonrpc: '2.0', id: JSON.parse(b)[1].id, result: '0x2' }]));
      const partial = await rpc.batch([{ method: 'eth_chainId' }, { method: 'eth_blockNumber' }]);
      expect(partial[0]!.ok === false && partial[0]!.error.message).toContain('left eth_chainId');
      expect(partial[1]).toEqual({ ok: true, value: '0x2' });
    } finally {
      await srv.close();
    }
  });
});

describe('input', () => {
  it('accepts http(s) URLs only, without credentials or fetch-blocked ports', () => {
    expect(parseHttpUrl(' https://rpc.example.org/v3/KEY ').href).toBe('https://rpc.example.org/v3/KEY');
    expect(new RpcClient('http://127.0.0.1:8545').url).toBe('http://127.0.0.1:8545/');
    const refused = (u: unknown) => {
      try {
        new RpcClient(u as string);
      } catch (e) {
        expect(isBuError(e, 'BAD_INPUT')).toBe(true);
        return (e as Error).message;
      }
      throw new Error(`accepted ${String(u)}`);
    };
    expect(refused('ftp://example.org')).toBe('The RPC URL must start with http:// or https://, not ftp://.');
    expect(refused('wss://example.org')).toContain('WebSocket endpoints are not supported');
    expect(refused('https://user:secret@example.org')).toContain('must not contain a user name or password');
    expect(refused('http://127.0.0.1:25')).toContain('port 25');
    expect(refused('not a url')).toContain('spaces');
    expect(refused('example.org:8545')).toBe('The RPC URL must start with http:// or https://.');
    expect(refused('')).toBe('The RPC URL is empty.');
    expect(refused(42)).toBe('The RPC URL must be given as text.');
  });

  it('refuses bad method names, params and timeouts without a request', async () => {
    const rpc = new RpcClient('http://127.0.0.1:9999');
    await expect(rpc.call('')).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(rpc.call('eth_getBalance', 'x' as never)).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(rpc.call('eth_getBalance', [-1n])).rejects.toMatchObject({ code: 'BAD_INPUT', message: 'A JSON-RPC quantity cannot be negative (-1).' });
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    await expect(rpc.call('eth_call', [loop])).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(rpc.batch([])).rejects.toMatchObject({ code: 'BAD_INPUT' });
    expect(() => new RpcClient('http://127.0.0.1:9999', { timeoutMs: 0 })).toThrow(/timeout/);
    expect(() => new RpcClient('http://127.0.0.1:9999', { timeoutMs: 1.5 })).toThrow(/timeout/);
  });
});
