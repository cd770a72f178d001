import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ContractFactory, Interface, JsonRpcProvider, Wallet, getAddress, id, type Contract } from 'ethers';
import { RESOURCES_DIR, loadArtifact } from '../chain';
import { startAnvil, type Anvil } from './anvil-fixture';
import { ERC20_SELECTORS, TRANSFER_TOPIC, decodeText, decodeTransferLog, encodeTransfer, readTokenInfo } from './erc20';
import { RpcClient } from './rpc-client';
import { failure } from '../base/test-support';

const CAST = 'node_modules/@foundry-rs/cast-linux-amd64/bin/cast';
const DEV_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80'; // anvil account 0
const BOB = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'; // anvil account 1

/** Runtime code answering each 4-byte selector with one fixed 32-byte word, reverting otherwise. */
function fixedAnswers(answers: [selector: string, word: string][]): string {
  const head = 6 + answers.length * 11 + 4;
  let code = '600035' + '60e01c';
  answers.forEach(([sel], i) => (code += '80' + '63' + sel.slice(2) + '14' + '61' + (head + i * 42).toString(16).padStart(4, '0') + '57'));
  code += '600080fd';
  for (const [, w] of answers) code += '5b' + '7f' + w.slice(2).padStart(64, '0') + '600052' + '6020' + '6000' + 'f3';
  return '0x' + code;
}
const bytes32 = (s: string) => '0x' + Buffer.from(s).toString('hex').padEnd(64, '0');
const uintWord = (n: bigint) => '0x' + n.toString(16).padStart(64, '0');

describe('ERC-20 encoding', () => {
  const artifact = loadArtifact(RESOURCES_DIR, 'BitUnicomTestToken');
  const iface = new Interface(artifact.abi as never);

  it('selectors and the Transfer topic are keccak256 of the signatures', () => {
    for (const [fn, sel] of Object.entries(ERC20_SELECTORS)) expect(iface.getFunction(fn)!.selector).toBe(sel);
    expect(id('Transfer(address,address,uint256)')).toBe(TRANSFER_TOPIC);
  });

  it('encodeTransfer matches ethers and validates', async () => {
    for (const amount of [0n, 1n, 10n ** 18n, (1n << 256n) - 1n]) {
      expect(encodeTransfer(BOB.toLowerCase(), amount)).toBe(iface.encodeFunctionData('transfer', [BOB, amount]));
    }
    expect(await failure(() => encodeTransfer('0x' + '0'.repeat(40), 1n))).toMatchObject({ code: 'BAD_ADDRESS', message: expect.stringMatching(/zero address/) });
    expect((await failure(() => encodeTransfer('0x70997970c51812dc3a010c7d01b50e0d17dc79C8', 1n))).code).toBe('BAD_ADDRESS');
    expect(await failure(() => encodeTransfer(BOB, -1n))).toMatchObject({ code: 'BAD_INPUT', message: 'A token amount cannot be negative.' });
    expect((await failure(() => encodeTransfer(BOB, 1n << 256n))).message).toMatch(/too large/);
    expect((await failure(() => encodeTransfer(BOB, 1 as never))).message).toMatch(/bigint/);
  });

  it('decodeText reads ABI strings and bytes32, refuses garbage', () => {
    const coder = iface.getAbiCoder();
    expect(decodeText(coder.encode(['string'], ['Maker ✓']), 64)).toBe('Maker ✓');
    expect(decodeText(bytes32('MKR'), 32)).toBe('MKR');
    expect(decodeText(coder.encode(['string'], ['a\u0000b\u202ec\n']), 64)).toBe('abc');
    expect(decodeText(coder.encode(['string'], ['x'.repeat(100)]), 32)).toBe('x'.repeat(32));
    expect(decodeText('0x', 32)).toBeNull();
    expect(decodeText('0x' + 'ff'.repeat(32), 32)).toBeNull(); // not UTF-8
    expect(decodeText(uintWord(1n), 32)).toBeNull(); // zero bytes then a non-zero byte
    expect(decodeText(uintWord(0x20n) + uintWord(1000n), 32)).toBeNull(); // length past the end
  });

  it('decodeTransferLog: null for other events and ERC-721 transfers, BAD_INPUT for non-logs', async () => {
    const a = '0x' + '00'.repeat(12) + 'ab'.repeat(20);
    expect(decodeTransferLog({ address: BOB, topics: [TRANSFER_TOPIC, a, a, uintWord(5n)], data: '0x' })).toBeNull();
    expect(decodeTransferLog({ address: BOB, topics: [id('Approval(address,address,uint256)'), a, a], data: uintWord(5n) })).toBeNull();
    expect(decodeTransferLog({ address: BOB, topics: [TRANSFER_TOPIC, '0x' + 'ff'.repeat(32), a], data: uintWord(5n) })).toBeNull();
    expect(decodeTransferLog({ address: BOB, topics: [TRANSFER_TOPIC.toUpperCase().replace('0X', '0x'), a, a], data: uintWord(5n) })).toEqual({
      token: BOB,
      from: '0xABaBaBaBABabABabAbAbABAbABabababaBaBABaB',
      to: '0xABaBaBaBABabABabAbAbABAbABabababaBaBABaB',
      amount: 5n,
    });
    expect((await failure(() => decodeTransferLog(null as never))).code).toBe('BAD_INPUT');
  });
});

describe('ERC-20 on anvil', () => {
  const artifact = loadArtifact(RESOURCES_DIR, 'BitUnicomTestToken');
  let anvil: Anvil;
  let rpc: RpcClient;
  let provider: JsonRpcProvider;
  let token: Contract;
  let tokenAddress: string;

  const setCode = (address: string, code: string) => rpc.call('anvil_setCode', [address, code]);

  beforeAll(async () => {
    anvil = await startAnvil();
    rpc = new RpcClient(anvil.url);
    provider = new JsonRpcProvider(anvil.url, 31337, { staticNetwork: true, pollingInterval: 50, cacheTimeout: -1 });
    const signer = new Wallet(DEV_KEY, provider);
    const factory = new ContractFactory(artifact.abi as never, artifact.bytecode, signer);
    token = (await factory.deploy('BitUnicom Test Token', 'BUT', [signer.address], 1000n * 10n ** 18n)) as Contract;
    await token.waitForDeployment();
    tokenAddress = await token.getAddress();
  });
  afterAll(async () => {
    provider?.destroy();
    await anvil?.stop();
  });

  it('reads symbol, name and decimals as ethers and cast do', async () => {
    const info = await readTokenInfo(rpc, tokenAddress.toLowerCase());
    expect(info).toEqual({ address: tokenAddress, symbol: 'BUT', name: 'BitUnicom Test Token', decimals: 18 });
    expect([await token.getFunction('symbol')(), await token.getFunction('name')(), await token.getFunction('decimals')()]).toEqual([info.symbol, info.name, 18n]);
    const cast = (sig: string) => execFileSync(CAST, ['call', tokenAddress, sig, '--rpc-url', anvil.url], { encoding: 'utf8', timeout: 30_000 }).trim();
    expect(cast('symbol()(string)')).toBe('"BUT"');
    expect(cast('decimals()(uint8)')).toBe('18');
  });

  it('decodes the Transfer log of a real transfer sent with encodeTransfer', async () => {
    const signer = new Wallet(DEV_KEY, provider);
    const tx = await signer.sendTransaction({ to: tokenAddress, data: encodeTransfer(BOB, 1234n) });
    const receipt = (await tx.wait())!;
    expect(receipt.logs.map((l) => decodeTransferLog(l))).toEqual([{ token: tokenAddress, from: signer.address, to: BOB, amount: 1234n }]);
    expect(await token.getFunction('balanceOf')(BOB)).toBe(1234n);
  });

  it('reads a bytes32 symbol and name (old MKR style)', async () => {
    const mkr = '0x' + '4d'.repeat(20);
    await setCode(
      mkr,
      fixedAnswers([
        [ERC20_SELECTORS.totalSupply, uintWord(10n ** 24n)],
        [ERC20_SELECTORS.decimals, uintWord(18n)],
        [ERC20_SELECTORS.symbol, bytes32('MKR')],
        [ERC20_SELECTORS.name, bytes32('Maker')],
      ]),
    );
    expect(execFileSync(CAST, ['call', mkr, 'symbol()(bytes32)', '--rpc-url', anvil.url], { encoding: 'utf8', timeout: 30_000 }).trim()).toBe(bytes32('MKR'));
    expect(await readTokenInfo(rpc, mkr)).toEqual({ address: getAddress(mkr), symbol: 'MKR', name: 'Maker', decimals: 18 });
  });

  it('a token without name() is shown by its symbol; 78 decimals are refused', async () => {
    const t = '0x' + '5e'.repeat(20);
    const base: [string, string][] = [
      [ERC20_SELECTORS.totalSupply, uintWord(1n)],
      [ERC20_SELECTORS.symbol, bytes32('NONAME')],
    ];
    await setCode(t, fixedAnswers([...base, [ERC20_SELECTORS.decimals, uintWord(0n)]]));
    expect(await readTokenInfo(rpc, t)).toMatchObject({ symbol: 'NONAME', name: 'NONAME', decimals: 0 });
    await setCode(t, fixedAnswers([...base, [ERC20_SELECTORS.decimals, uintWord(78n)]]));
    expect(await failure(readTokenInfo(rpc, t))).toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/says it has 78 decimals; only 0 to 77/) });
  });

  it('refuses an account without code and a contract that is not ERC-20', async () => {
    expect(await failure(readTokenInfo(rpc, BOB))).toEqual({ code: 'BAD_INPUT', message: `There is no contract at ${BOB} on this network.` });
    const notToken = '0x' + '77'.repeat(20);
    await setCode(notToken, '0x600080fd'); // always reverts
    expect(await failure(readTokenInfo(rpc, notToken))).toEqual({
      code: 'BAD_INPUT',
      message: 'The contract at 0x7777777777777777777777777777777777777777 is not an ERC-20 token: it has no totalSupply() function.',
    });
    await setCode(notToken, fixedAnswers([[ERC20_SELECTORS.totalSupply, uintWord(1n)]]));
    expect((await failure(readTokenInfo(rpc, notToken))).message).toMatch(/not an ERC-20 token: it does not report its decimals/);
    expect((await failure(readTokenInfo(rpc, 'alice.eth'))).code).toBe('BAD_ADDRESS');
  });
});

describe('readTokenInfo and node failures', () => {
  it('a rate-limited eth_call is the RPC error, not "not an ERC-20 token"', async () => {
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        const calls = JSON.parse(body) as { id: number; method: string }[];
        const answer = calls.map((c) =>
          c.method === 'eth_getCode' ? { jsonrpc: '2.0', id: c.id, result: '0x6000' } : { jsonrpc: '2.0', id: c.id, error: { code: -32005, message: 'rate limit exceeded' } },
        );
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const rpc = new RpcClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
      expect(await failure(readTokenInfo(rpc, BOB))).toMatchObject({ code: 'RPC_ERROR', message: expect.stringMatching(/rate limit exceeded \(JSON-RPC error -32005\)/) });
    } finally {
      server.close();
    }
  });
});
