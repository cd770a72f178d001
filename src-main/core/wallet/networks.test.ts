import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonRpcProvider } from 'ethers';
import { isBuError, type Logger } from '../base';
import { startAnvil, type Anvil } from './anvil-fixture';
import {
  CHAIN_ID_MISMATCH_CODE,
  NetworkRegistry,
  parseChainId,
  toAddEthereumChain,
  validateChainParams,
  type AddEthereumChainParameter,
  type NetworkChange,
} from './networks';

let anvilA: Anvil; // the built-in network, chain 7777
let anvilB: Anvil; // a user network, chain 4242
let hole: { url: string; close(): Promise<void> }; // accepts, never answers
let dir: string;
let file: string;

const builtin = () => [{ id: 'bitunicom', chainId: 7777, name: 'BitUnicom', symbol: 'BU', rpcUrl: anvilA.url, builtin: true as const }];
const registry = (o: { logger?: Logger; checkTimeoutMs?: number } = {}) => new NetworkRegistry({ file, builtin: builtin(), ...o });
const paramsB = (over: Partial<AddEthereumChainParameter> = {}): AddEthereumChainParameter => ({
  chainId: 4242,
  chainName: 'Test B',
  nativeCurrency: { name: 'Test Ether', symbol: 'TST', decimals: 18 },
  rpcUrls: [anvilB.url],
  blockExplorerUrls: ['https://explorer.example/'],
  ...over,
});
const stored = (o: Record<string, unknown>) => ({ id: 'net-0123456789ab', chainId: 5, name: 'Seeded', symbol: 'SEED', currencyName: 'Seed', rpcUrls: [anvilA.url], blockExplorerUrls: [], ...o });

async function rejection(p: Promise<unknown> | (() => unknown)): Promise<{ code: string; kind?: string; message: string }> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    expect(isBuError(e)).toBe(true);
    return e as { code: string; kind?: string; message: string };
  }
  throw new Error('expected a rejection');
}

beforeAll(async () => {
  [anvilA, anvilB] = await Promise.all([startAnvil({ chainId: 7777 }), startAnvil({ chainId: 4242 })]);
  const srv: Server = createServer(() => {});
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  hole = {
    url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((r) => (srv.closeAllConnections(), srv.close(() => r()))),
  };
});
afterAll(async () => {
  await Promise.all([anvilA?.stop(), anvilB?.stop(), hole?.close()]);
});
beforeEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = mkdtempSync(join(tmpdir(), 'bu-networks-'));
  file = join(dir, 'wallet', 'networks.json');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('NetworkRegistry', () => {
  it('starts with the built-in network selected and no file', () => {
    const r = registry();
    expect(r.list().map((n) => [n.id, n.chainId, n.builtin, n.rpcUrl])).toEqual([['bitunicom', 7777, true, `${anvilA.url}/`]]);
    expect(r.selected().id).toBe('bitunicom');
    expect(r.loadProblem).toBeNull();
    expect(existsSync(file)).toBe(false);
  });

  it('adds a network after checking its chain id on the node, persists it atomically and reloads it', async () => {
    const r = registry();
    const events: NetworkChange[] = [];
    r.on('changed', (c) => events.push(c));
    const n = await r.add(paramsB({ chainId: '0x1092' }));
    expect(n).toMatchObject({ chainId: 4242, name: 'Test B', symbol: 'TST', currencyName: 'Test Ether', decimals: 18, rpcUrl: `${anvilB.url}/`, builtin: false });
    expect(n.id).toMatch(/^net-[0-9a-f]{12}$/);
    expect(events).toEqual([{ kind: 'added', id: n.id, selected: 'bitunicom' }]);
    expect(r.select(n.id).id).toBe(n.id);
    expect(events[1]).toEqual({ kind: 'selected', id: n.id, selected: n.id });
    expect(toAddEthereumChain(n)).toEqual({ chainId: '0x1092', chainName: 'Test B', nativeCurrency: { name: 'Test Ether', symbol: 'TST', decimals: 18 }, rpcUrls: [`${anvilB.url}/`], blockExplorerUrls: ['https://explorer.example/'] });

    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'wallet'))).toEqual(['networks.json']); // no temp file left behind
    const again = registry();
    expect(again.list()).toEqual(r.list());
    expect(again.selected().id).toBe(n.id);
    expect(again.loadProblem).toBeNull();
  });

  it('takes the chain id from the node when it is omitted, and refuses duplicates', async () => {
    const r = registry();
    const n = await r.add(paramsB({ chainId: undefined }));
    expect(n.chainId).toBe(4242);
    expect((await rejection(r.add(paramsB({ rpcUrls: [anvilB.url.replace('127.0.0.1', 'localhost')] })))).message).toBe(
      'The network Test B already uses chain id 4242; edit that one instead.',
    );
    // the built-in chain too, whether given or read from the node
    expect((await rejection(r.add(paramsB({ chainId: 7777, rpcUrls: [anvilA.url] })))).message).toContain('BitUnicom already uses chain id 7777');
    expect((await rejection(r.add(paramsB({ chainId: undefined, rpcUrls: [anvilA.url] })))).message).toContain('BitUnicom already uses chain id 7777');
    expect(r.list()).toHaveLength(2);
    // two adds of one chain racing past the first duplicate check: only one lands
    r.remove(n.id);
    const raced = await Promise.allSettled([r.add(paramsB()), r.add(paramsB({ chainName: 'Twin' }))]);
    expect(raced.map((x) => x.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(r.list().filter((x) => x.chainId === 4242)).toHaveLength(1);
    expect(registry().list()).toHaveLength(2);
  });

  it('refuses a chain id the node contradicts, and a node it cannot reach', async () => {
    const r = registry({ checkTimeoutMs: 400 });
    const host = new URL(anvilB.url).host;
    const e = await rejection(r.add(paramsB({ chainId: 5 })));
    expect([e.code, e.kind, e.message]).toEqual([CHAIN_ID_MISMATCH_CODE, 'CHAIN_ID_MISMATCH', `The RPC at ${host} reports chain id 4242, not 5.`]);

    const closed = createTcpServer();
    await new Promise<void>((res) => closed.listen(0, '127.0.0.1', res));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((res) => closed.close(res));
    const refused = await rejection(r.add(paramsB({ rpcUrls: [`http://127.0.0.1:${port}`] })));
    expect([refused.code, refused.kind]).toEqual(['RPC_UNREACHABLE', 'RPC_UNREACHABLE']);

    const t0 = Date.now();
    const silent = await rejection(r.add(paramsB({ rpcUrls: [hole.url] })));
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(silent.message).toMatch(/did not answer eth_chainId within 400 ms/);
    expect(r.list()).toHaveLength(1);
    expect(existsSync(file)).toBe(false);
  });

  it('validates every field (EIP-3085) before touching the network', async () => {
    const r = registry();
    const message = async (p: unknown) => (await rejection(r.add(p as AddEthereumChainParameter))).message;
    const cur = (o: object) => ({ nativeCurrency: { name: 'Test Ether', symbol: 'TST', decimals: 18, ...o } });
    expect(await message(paramsB({ chainId: 0 }))).toBe('The chain id must be from 1 to 9007199254740991, not 0.');
    expect(await message(paramsB({ chainId: 2 ** 53 }))).toContain('from 1 to 9007199254740991');
    expect(await message(paramsB({ chainId: 1.5 }))).toContain('whole number');
    expect(await message(paramsB({ chainId: '0xzz' }))).toContain('whole number');
    expect(await message(paramsB({ chainName: '  ' }))).toBe('The network name must be 1 to 64 characters, with no control characters.');
    expect(await message(paramsB({ chainName: 'x'.repeat(65) }))).toContain('1 to 64');
    expect(await message(paramsB(cur({ symbol: 'E' })))).toBe('The currency symbol must be 2 to 6 characters without spaces, with no control characters.');
    expect(await message(paramsB(cur({ symbol: 'SEVENSS' })))).toContain('2 to 6');
    expect(await message(paramsB(cur({ decimals: 8 })))).toBe('The native currency must have 18 decimals (EIP-3085).');
    expect(await message(paramsB({ rpcUrls: [] }))).toBe('RPC URLs must be a list of 1 to 8 addresses.');
    expect(await message(paramsB({ rpcUrls: ['ftp://node.example'] }))).toBe('The RPC URL must start with http:// or https://, not ftp://.');
    expect(await message(paramsB({ rpcUrls: [anvilB.url, 'https://u:p@node.example'] }))).toContain('RPC URL 2 must not contain a user name or password');
    expect(await message(paramsB({ blockExplorerUrls: ['javascript:alert(1)'] }))).toContain('The block explorer URL must start with http:// or https://');
    expect(await message({ ...paramsB(), rpcUrl: anvilB.url })).toBe('A network has no field "rpcUrl".');
    expect(await message(null)).toContain('must be given as');
    expect(() => new NetworkRegistry({ file, builtin: [] })).toThrow('at least one built-in network');
    expect(() => new NetworkRegistry({ file, builtin: [...builtin(), { ...builtin()[0]!, chainId: 1 }] })).toThrow('Two built-in networks have the id bitunicom.');
    expect(() => new NetworkRegistry({ file, builtin: builtin(), probeTimeoutMs: 0 })).toThrow('timeouts');
    expect(() => new NetworkRegistry({ file, builtin: [null as never] })).toThrow('The built-in network id "null"');
    expect(() => new NetworkRegistry({ file, builtin: [{ ...builtin()[0]!, chainId: undefined as never }] })).toThrow('The chain id must be');
    expect(r.list()).toHaveLength(1);
    expect(parseChainId(' 1337 ')).toBe(1337);
    expect(parseChainId(1337n)).toBe(1337);
    expect(validateChainParams({ ...paramsB(), iconUrls: ['https://x.example/i.png'], rpcUrls: [anvilB.url, `${anvilB.url}/`] }).rpcUrls).toEqual([`${anvilB.url}/`]);
  });

  it('edits: re-validates, re-checks the chain id only when the URL or chain id changes', async () => {
    // a network whose RPC is the black hole: editing its name must not ask the node
    const r0 = registry();
    const b = await r0.add(paramsB());
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    doc.networks.push(stored({ rpcUrls: [hole.url] }));
    writeFileSync(file, JSON.stringify(doc));
    const r = registry({ checkTimeoutMs: 300 });
    const events: NetworkChange[] = [];
    r.on('changed', (c) => events.push(c));

    const t0 = Date.now();
    expect((await r.edit('net-0123456789ab', { chainName: 'Renamed', nativeCurrency: { symbol: 'RNM' } })).name).toBe('Renamed');
    expect(Date.now() - t0).toBeLessThan(250);
    expect(r.get('net-0123456789ab')).toMatchObject({ symbol: 'RNM', currencyName: 'Seed' });

    const host = new URL(anvilA.url).host;
    expect((await rejection(r.edit(b.id, { rpcUrls: [anvilA.url] }))).message).toBe(`The RPC at ${host} reports chain id 7777, not 4242.`);
    expect((await rejection(r.edit(b.id, { chainId: 4243 }))).message).toContain('reports chain id 4242, not 4243');
    expect((await rejection(r.edit(b.id, { chainId: 7777 }))).message).toContain('already uses chain id 7777');
    expect((await rejection(r.edit(b.id, { chainName: '' }))).code).toBe('BAD_INPUT');
    const other = anvilB.url.replace('127.0.0.1', 'localhost');
    expect((await r.edit(b.id, { rpcUrls: [other, anvilB.url] })).rpcUrl).toBe(`${other}/`);
    expect(events.map((e) => e.kind)).toEqual(['edited', 'edited']);
    expect((await rejection(r.edit('bitunicom', { chainName: 'X' }))).message).toBe('The BitUnicom network is built in and cannot be edited.');
    expect((await rejection(r.edit('net-ffffffffffff', { chainName: 'X' }))).code).toBe('NOT_FOUND');
    expect(registry().get(b.id)?.rpcUrls).toEqual([`${other}/`, `${anvilB.url}/`]);
  });

  it('removes user networks (never the built-in one) and falls back to the built-in selection', async () => {
    const r = registry();
    const n = await r.add(paramsB());
    r.select(n.id);
    expect((await rejection(() => r.remove('bitunicom'))).message).toBe('The BitUnicom network is built in and cannot be removed.');
    expect((await rejection(() => r.remove('nope'))).code).toBe('NOT_FOUND');
    expect((await rejection(() => r.select('nope'))).code).toBe('NOT_FOUND');
    const events: NetworkChange[] = [];
    r.on('changed', (c) => events.push(c));
    r.remove(n.id);
    expect(events).toEqual([{ kind: 'removed', id: n.id, selected: 'bitunicom' }]);
    expect(r.selected().id).toBe('bitunicom');
    const again = registry();
    expect(again.list().map((x) => x.id)).toEqual(['bitunicom']);
    expect(again.selected().id).toBe('bitunicom');
  });

  it('probes: ok with the block number, wrong-chain, and unreachable within the timeout', async () => {
    const r0 = registry();
    await r0.add(paramsB());
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    doc.networks.push(stored({ id: 'net-00000000000a', rpcUrls: [anvilA.url] }), stored({ id: 'net-00000000000b', chainId: 6, rpcUrls: [hole.url] }));
    writeFileSync(file, JSON.stringify(doc));
    const r = registry();

    const provider = new JsonRpcProvider(anvilA.url, 7777, { staticNetwork: true });
    try {
      await provider.send('evm_mine', []);
      await provider.send('evm_mine', []);
      const ok = await r.probe('bitunicom');
      expect(ok.state).toBe('ok');
      if (ok.state === 'ok') {
        expect(ok.blockNumber).toBe(BigInt(await provider.getBlockNumber()));
        expect(ok.blockNumber).toBeGreaterThanOrEqual(2n);
        expect(ok.latencyMs).toBeGreaterThanOrEqual(0);
        expect(ok.latencyMs).toBeLessThan(3000);
      }
    } finally {
      provider.destroy();
    }
    expect(await r.probe('net-00000000000a')).toEqual({
      state: 'wrong-chain',
      error: { code: CHAIN_ID_MISMATCH_CODE, kind: 'CHAIN_ID_MISMATCH', message: `The RPC at ${new URL(anvilA.url).host} reports chain id 7777, not 5.` },
    });
    const t0 = Date.now();
    const down = await r.probe('net-00000000000b', { timeoutMs: 300 });
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(down).toMatchObject({ state: 'unreachable', error: { kind: 'RPC_UNREACHABLE', message: expect.stringContaining('within 300 ms') } });
    await expect(r.probe('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('a damaged file', () => {
  const warnings: unknown[] = [];
  const logger: Logger = { debug() {}, info() {}, error() {}, warn: (msg, fields) => warnings.push({ msg, fields }) };

  it('that is not JSON is kept as .corrupt, and the registry starts from the built-in network', () => {
    const bad = '{"version":1,"networks":[';
    file = join(dir, 'wallet.json');
    writeFileSync(file, bad);
    const r = registry({ logger });
    expect(r.list().map((n) => n.id)).toEqual(['bitunicom']);
    expect(r.loadProblem).toEqual({ movedTo: `${file}.corrupt`, reason: 'it is not a version 1 network list in JSON' });
    expect(readFileSync(`${file}.corrupt`, 'utf8')).toBe(bad);
    expect(warnings).toHaveLength(1);
    // a second damaged file does not overwrite the first one kept aside
    writeFileSync(file, 'garbage');
    expect(registry({ logger }).loadProblem?.movedTo).toBe(`${file}.corrupt.2`);
    expect(readFileSync(`${file}.corrupt`, 'utf8')).toBe(bad);
    expect(readFileSync(`${file}.corrupt.2`, 'utf8')).toBe('garbage');
  });

  it('keeps its valid entries and the selection, and sets aside the whole original', async () => {
    const r0 = registry();
    const good = await r0.add(paramsB());
    r0.select(good.id);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    doc.networks.push(stored({ id: 'net-00000000000c', symbol: 'X' }), stored({ id: 'net-00000000000d', chainId: 4242 }), { id: 'oops' });
    const original = JSON.stringify(doc);
    writeFileSync(file, original);
    const r = registry({ logger });
    expect(r.list().map((n) => n.id)).toEqual(['bitunicom', good.id]);
    expect(r.selected().id).toBe(good.id);
    expect(r.loadProblem?.reason).toBe(
      'network 2: The currency symbol must be 2 to 6 characters without spaces, with no control characters.; ' +
        'network 3: The network Test B already uses chain id 4242; edit that one instead.; network 4: its id is missing or malformed',
    );
    expect(readFileSync(`${file}.corrupt`, 'utf8')).toBe(original);
    const again = registry();
    expect(again.loadProblem).toBeNull();
    expect(again.list()).toEqual(r.list());
    expect(again.selected().id).toBe(good.id);
  });
});
