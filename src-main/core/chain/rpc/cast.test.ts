/**
 * Foundry's cast (the @foundry-rs/cast binary, run as a child process) against the devnet's
 * RPC: chain-id, balance, nonce, block, send (transfer), send --create (the test token with
 * its constructor), call, estimate, access-list, receipt --json, logs, proof, and a revert
 * reason through `cast call`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Interface } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES_DIR, startTestDevnet, type TestDevnet } from '../testing';
import { probeContract } from './fixture';

const run = promisify(execFile);
const CAST = join(dirname(createRequire(import.meta.url).resolve('@foundry-rs/cast-linux-amd64/package.json')), 'bin', 'cast');
const token = JSON.parse(readFileSync(join(RESOURCES_DIR, 'contracts', 'artifacts', 'BitUnicomTestToken.json'), 'utf8')) as { bytecode: string };
let net: TestDevnet;
let home: string;

async function cast(...args: string[]): Promise<string> {
  const { stdout } = await run(CAST, args, {
    env: { PATH: process.env.PATH ?? '', HOME: home, ETH_RPC_URL: net.rpcUrl, FOUNDRY_DISABLE_NIGHTLY_WARNING: '1', NO_COLOR: '1' },
    timeout: 60_000,
  });
  return stdout.trim();
}
const castFails = (...args: string[]) => cast(...args).then(() => '', (e: { stderr?: string }) => e.stderr ?? String(e));

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'bu-cast-home-'));
  net = await startTestDevnet();
});
afterAll(async () => {
  await net?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('cast', () => {
  it('chain-id, block, balance, nonce', async () => {
    expect(await cast('chain-id')).toBe('16981');
    const block = JSON.parse(await cast('block', 'latest', '--json')) as Record<string, string>;
    expect(block.hash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(BigInt(await cast('balance', net.accounts[1]!.address))).toBe(10n ** 24n);
    expect(await cast('nonce', net.accounts[1]!.address)).toBe('0');
  });

  it('sends a transfer; receipt --json', async () => {
    const to = '0x' + '3c'.repeat(20);
    const out = JSON.parse(await cast('send', to, '--value', '1ether', '--private-key', net.accounts[1]!.key, '--json')) as Record<string, string>;
    expect(out.status).toBe('0x1');
    expect(await cast('balance', to)).toBe('1000000000000000000');
    expect(await cast('nonce', net.accounts[1]!.address)).toBe('1');
    const r = JSON.parse(await cast('receipt', out.transactionHash!, '--json')) as Record<string, unknown>;
    expect(r).toMatchObject({ status: '0x1', gasUsed: '0x5208', to, type: '0x2' });
  });

  it('deploys the test token with send --create, calls it, estimates, reads its logs', async () => {
    const holder = net.accounts[1]!.address;
    const out = JSON.parse(
      await cast('send', '--private-key', net.accounts[1]!.key, '--json', '--create', token.bytecode, 'constructor(string,string,address[],uint256)', 'Cast Token', 'CTK', `[${holder}]`, '4242'),
    ) as Record<string, string>;
    expect(out.status).toBe('0x1');
    const address = out.contractAddress!;
    expect(await cast('call', address, 'symbol()(string)')).toBe('"CTK"');
    expect(await cast('call', address, 'balanceOf(address)(uint256)', holder)).toBe('4242');
    const gas = Number(await cast('estimate', address, 'transfer(address,uint256)', net.accounts[2]!.address, '2', '--from', holder));
    expect(gas).toBeGreaterThan(30_000);
    const sent = JSON.parse(await cast('send', address, 'transfer(address,uint256)', net.accounts[2]!.address, '2', '--private-key', net.accounts[1]!.key, '--json')) as Record<string, unknown>;
    expect(sent.status).toBe('0x1');
    const logs = JSON.parse(await cast('logs', '--from-block', '0', '--address', address, 'Transfer(address indexed from,address indexed to,uint256 value)', '--json')) as { data: string; topics: string[] }[];
    expect(logs).toHaveLength(2);
    expect(logs.map((l) => BigInt(l.data))).toEqual([4242n, 2n]);
    const access = await cast('access-list', address, 'transfer(address,uint256)', net.accounts[2]!.address, '1', '--from', holder, '--json');
    expect(JSON.parse(access)).toMatchObject({ accessList: [], gasUsed: expect.stringMatching(/^0x[1-9a-f]/) });
  });

  it('proof, and a revert reason through call', async () => {
    const proof = JSON.parse(await cast('proof', net.token, '0x0')) as { accountProof: string[]; storageProof: unknown[] };
    expect(proof.accountProof.length).toBeGreaterThan(0);
    expect(proof.storageProof).toHaveLength(1);
    const p = probeContract();
    const deploy = JSON.parse(await cast('send', '--private-key', net.accounts[2]!.key, '--json', '--create', p.bytecode)) as Record<string, string>;
    const probe = deploy.contractAddress!;
    expect(await cast('call', probe, 'divide(uint256,uint256)(uint256)', '12', '4')).toBe('3');
    expect(await castFails('call', probe, 'fail()')).toMatch(/execution reverted: probe says no/);
    const custom = await castFails('call', probe, 'failCustom()');
    expect(custom).toContain(new Interface(p.abi as never).encodeErrorResult('Custom', [7]).slice(0, 10));
  });
});
