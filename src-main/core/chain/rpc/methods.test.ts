import { Interface } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRpcFixture, probeContract, type RpcErrorObject, type RpcFixture } from './fixture';

type Json = Record<string, unknown>;
let f: RpcFixture;
let probe: string;
let pingTx: string;
let transferTx: string;
const iface = new Interface(probeContract().abi as never);
const QTY = /^0x(0|[1-9a-f][0-9a-f]*)$/;

beforeAll(async () => {
  f = await openRpcFixture();
  const deploy = await f.send({ data: Buffer.from(probeContract().bytecode.slice(2), 'hex'), gasLimit: 2_000_000n });
  probe = ((await f.call<Json>('eth_getTransactionReceipt', [deploy])).contractAddress as string)!;
  transferTx = await f.send({ to: f.accounts[1]!.address as never, value: 12345n, type: 0, gasPrice: 2n * 10n ** 9n } as never, 0, false);
  pingTx = await f.send({ to: probe as never, data: Buffer.from(iface.encodeFunctionData('ping', ['hello']).slice(2), 'hex') }, 0, false);
  await f.mine();
});
afterAll(() => f.close());

const rpcError = (p: Promise<unknown>) => p.then(() => ({ code: 0, message: 'no error' }) as RpcErrorObject, (e: RpcErrorObject) => e);

describe('identity and misc', () => {
  it('small methods', async () => {
    expect(await f.call('web3_clientVersion')).toBe('BitUnicom/test');
    expect(await f.call('web3_sha3', ['0x68656c6c6f'])).toBe('0x1c8aff950685c2ed4bc3174f3472287b56d9517b9c948127319a09a7a36deac8');
    expect(await f.call('net_listening')).toBe(true);
    expect(await f.call('net_peerCount')).toBe('0x0');
    expect(await f.call('eth_syncing')).toBe(false);
    expect(await f.call('eth_accounts')).toEqual([]);
    expect(await f.call('eth_blockNumber')).toBe('0x2');
  });
});

describe('blocks', () => {
  it('eth_getBlockByNumber: every header field of a Cancun block, hashes or full txs', async () => {
    const b = await f.call<Json>('eth_getBlockByNumber', ['latest', false]);
    for (const k of ['hash', 'parentHash', 'stateRoot', 'transactionsRoot', 'receiptsRoot', 'sha3Uncles', 'mixHash', 'parentBeaconBlockRoot', 'withdrawalsRoot']) {
      expect(b[k], k).toMatch(/^0x[0-9a-f]{64}$/);
    }
    for (const k of ['number', 'gasLimit', 'gasUsed', 'timestamp', 'baseFeePerGas', 'difficulty', 'size', 'blobGasUsed', 'excessBlobGas']) expect(b[k], k).toMatch(QTY);
    expect(b.logsBloom).toMatch(/^0x[0-9a-f]{512}$/);
    expect(b.nonce).toBe('0x0000000000000000');
    expect(b.miner).toMatch(/^0x[0-9a-f]{40}$/);
    expect(b.uncles).toEqual([]);
    expect(b.withdrawals).toEqual([]);
    expect(b.transactions).toEqual([transferTx, pingTx]);
    const full = await f.call<Json>('eth_getBlockByNumber', ['0x2', true]);
    expect((full.transactions as Json[]).map((t) => t.hash)).toEqual([transferTx, pingTx]);
    expect(await f.call('eth_getBlockByHash', [b.hash, false])).toEqual(b);
    expect(await f.call<Json>('eth_getBlockByNumber', ['earliest', false])).toMatchObject({ number: '0x0' });
    for (const tag of ['pending', 'safe', 'finalized']) expect(await f.call<Json>('eth_getBlockByNumber', [tag, false])).toMatchObject({ number: '0x2' });
    expect(await f.call('eth_getBlockByNumber', ['0x99', false])).toBeNull();
    expect(await f.call('eth_getBlockByHash', ['0x' + '11'.repeat(32), false])).toBeNull();
  });

  it('counts and by-index lookups', async () => {
    const b = await f.call<Json>('eth_getBlockByNumber', ['latest', false]);
    expect(await f.call('eth_getBlockTransactionCountByNumber', ['latest'])).toBe('0x2');
    expect(await f.call('eth_getBlockTransactionCountByHash', [b.hash])).toBe('0x2');
    expect(await f.call('eth_getBlockTransactionCountByNumber', ['0x99'])).toBeNull();
    expect(await f.call<Json>('eth_getTransactionByBlockNumberAndIndex', ['0x2', '0x1'])).toMatchObject({ hash: pingTx, transactionIndex: '0x1' });
    expect(await f.call<Json>('eth_getTransactionByBlockHashAndIndex', [b.hash, '0x0'])).toMatchObject({ hash: transferTx });
    expect(await f.call('eth_getTransactionByBlockHashAndIndex', [b.hash, '0x5'])).toBeNull();
    expect(await f.call('eth_getUncleCountByBlockNumber', ['latest'])).toBe('0x0');
    expect(await f.call('eth_getUncleCountByBlockHash', [b.hash])).toBe('0x0');
    expect(await f.call('eth_getUncleByBlockNumberAndIndex', ['latest', '0x0'])).toBeNull();
    expect(await f.call('eth_getUncleByBlockHashAndIndex', [b.hash, '0x0'])).toBeNull();
  });
});

describe('transactions and receipts', () => {
  it('a legacy EIP-155 transaction', async () => {
    const t = await f.call<Json>('eth_getTransactionByHash', [transferTx]);
    expect(t).toMatchObject({
      type: '0x0',
      from: f.accounts[0]!.address,
      to: f.accounts[1]!.address,
      value: '0x3039',
      gasPrice: '0x77359400',
      chainId: '0x4255',
      blockNumber: '0x2',
      transactionIndex: '0x0',
      input: '0x',
    });
    expect(t).not.toHaveProperty('yParity');
    expect(t).not.toHaveProperty('maxFeePerGas');
    expect(BigInt(t.v as string)).toBeGreaterThanOrEqual(16981n * 2n + 35n);
  });

  it('an EIP-1559 transaction: fee fields, effective gasPrice, yParity = v, accessList', async () => {
    const t = await f.call<Json>('eth_getTransactionByHash', [pingTx]);
    const block = await f.call<Json>('eth_getBlockByNumber', ['0x2', false]);
    expect(t).toMatchObject({ type: '0x2', maxFeePerGas: '0x2540be400', maxPriorityFeePerGas: '0x3b9aca00', accessList: [], chainId: '0x4255', to: probe });
    expect(BigInt(t.gasPrice as string)).toBe(BigInt(block.baseFeePerGas as string) + 10n ** 9n);
    expect(t.yParity).toBe(t.v);
    expect(t.r).toMatch(QTY);
    expect(t.s).toMatch(QTY);
  });

  it('receipts: status, gas, effectiveGasPrice, logs with positions, bloom, contractAddress', async () => {
    const r = await f.call<Json>('eth_getTransactionReceipt', [pingTx]);
    const r0 = await f.call<Json>('eth_getTransactionReceipt', [transferTx]);
    expect(r0).toMatchObject({ status: '0x1', gasUsed: '0x5208', cumulativeGasUsed: '0x5208', contractAddress: null, logs: [], type: '0x0' });
    expect(r0.logsBloom).toBe('0x' + '00'.repeat(256));
    expect(r).toMatchObject({ status: '0x1', type: '0x2', transactionIndex: '0x1', to: probe, from: f.accounts[0]!.address, contractAddress: null });
    expect(BigInt(r.cumulativeGasUsed as string)).toBe(21000n + BigInt(r.gasUsed as string));
    const logs = r.logs as Json[];
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ address: probe, logIndex: '0x0', transactionIndex: '0x1', transactionHash: pingTx, blockNumber: '0x2', removed: false });
    expect((logs[0]!.topics as string[])[0]).toBe(iface.getEvent('Ping')!.topicHash);
    expect(r.logsBloom).not.toBe('0x' + '00'.repeat(256));
    const block = await f.call<Json>('eth_getBlockByNumber', ['0x2', false]);
    expect(r.logsBloom).toBe(block.logsBloom);
    expect(r.blockTimestamp).toBe(block.timestamp);
    expect((logs[0] as Json).blockTimestamp).toBe(block.timestamp);
    expect((await f.call<Json>('eth_getTransactionByHash', [pingTx])).blockTimestamp).toBe(block.timestamp);
    expect(await f.call('eth_getBlockReceipts', ['latest'])).toEqual([r0, r]);
    expect(await f.call('eth_getBlockReceipts', [{ blockHash: block.hash }])).toEqual([r0, r]);
    expect(await f.call('eth_getBlockReceipts', ['0x77'])).toBeNull();
    const deploy = (await f.call<Json[]>('eth_getBlockReceipts', ['0x1']))[0]!;
    expect(deploy.contractAddress).toBe(probe);
    expect(deploy.to).toBeNull();
  });

  it('unknown hashes are null; a pooled transaction has no block yet', async () => {
    expect(await f.call('eth_getTransactionByHash', ['0x' + '22'.repeat(32)])).toBeNull();
    expect(await f.call('eth_getTransactionReceipt', ['0x' + '22'.repeat(32)])).toBeNull();
    const h = await f.send({ to: f.accounts[2]!.address as never, value: 1n }, 1, false);
    const t = await f.call<Json>('eth_getTransactionByHash', [h]);
    expect(t).toMatchObject({ hash: h, blockHash: null, blockNumber: null, transactionIndex: null, gasPrice: '0x2540be400', from: f.accounts[1]!.address });
    expect(t).not.toHaveProperty('blockTimestamp');
    expect(await f.call('eth_getTransactionReceipt', [h])).toBeNull();
    expect(await f.call('eth_getTransactionCount', [f.accounts[1]!.address, 'pending'])).toBe('0x1');
    expect(await f.call('eth_getTransactionCount', [f.accounts[1]!.address, 'latest'])).toBe('0x0');
    expect(await f.call('debug_getRawTransaction', [h])).toMatch(/^0x02f8/);
    await f.mine();
    expect(await f.call<Json>('eth_getTransactionReceipt', [h])).toMatchObject({ status: '0x1' });
  });
});

describe('state', () => {
  it('balance, nonce, code, storage at tags, numbers and EIP-1898 objects', async () => {
    const a1 = f.accounts[1]!.address;
    const now = BigInt(await f.call<string>('eth_getBalance', [a1, 'latest']));
    expect(BigInt(await f.call<string>('eth_getBalance', [a1, '0x1']))).toBe(10n ** 24n);
    expect(BigInt(await f.call<string>('eth_getBalance', [a1, { blockNumber: '0x2' }]))).toBe(10n ** 24n + 12345n);
    expect(now).toBeLessThan(10n ** 24n + 12345n);
    const b1 = await f.call<Json>('eth_getBlockByNumber', ['0x1', false]);
    expect(await f.call('eth_getCode', [probe, { blockHash: b1.hash, requireCanonical: true }])).toBe(probeContract().deployedBytecode);
    expect(await f.call('eth_getCode', [probe, '0x0'])).toBe('0x');
    expect(await f.call('eth_getTransactionCount', [f.accounts[0]!.address, 'latest'])).toBe('0x3');
    expect(await f.call('eth_getStorageAt', [probe, '0x0', 'latest'])).toBe('0x' + '00'.repeat(31) + '01');
    expect(await f.call('eth_getStorageAt', [probe, '0x0', '0x1'])).toBe('0x' + '00'.repeat(32));
    expect(await f.call('eth_getStorageAt', [f.accounts[2]!.address, '0x0', 'latest'])).toBe('0x' + '00'.repeat(32));
  });

  it('header not found for missing blocks', async () => {
    const a = f.accounts[0]!.address;
    expect(await rpcError(f.call('eth_getBalance', [a, '0x64']))).toEqual({ code: -32000, message: 'header not found' });
    expect(await rpcError(f.call('eth_getCode', [a, { blockHash: '0x' + '33'.repeat(32) }]))).toEqual({ code: -32000, message: 'header for hash not found' });
    expect(await rpcError(f.call('eth_call', [{ to: a }, '0x64']))).toEqual({ code: -32000, message: 'header not found' });
  });

  it('eth_getProof (EIP-1186) verifies against the state root', async () => {
    const { createMPTFromProof } = await import('@ethereumjs/mpt');
    const p = await f.call<Json>('eth_getProof', [probe, ['0x0', '0x01'], 'latest']);
    const block = await f.call<Json>('eth_getBlockByNumber', ['latest', false]);
    expect(p).toMatchObject({ address: probe, nonce: '0x1', balance: '0x0' });
    const sp = p.storageProof as Json[];
    expect(sp.map((s) => [s.key, s.value])).toEqual([['0x0', '0x1'], ['0x01', '0x0']]);
    const proof = (p.accountProof as string[]).map((x) => Buffer.from(x.slice(2), 'hex'));
    const trie = await createMPTFromProof(proof, { useKeyHashing: true });
    expect('0x' + Buffer.from(trie.root()).toString('hex')).toBe(block.stateRoot);
  });
});

describe('finality tags', () => {
  it('safe and finalized come from ctx.finality', async () => {
    const g = await openRpcFixture({ finality: () => ({ safe: 1n, finalized: 0n }) });
    try {
      await g.mine();
      await g.mine();
      expect(await g.call<Json>('eth_getBlockByNumber', ['safe', false])).toMatchObject({ number: '0x1' });
      expect(await g.call<Json>('eth_getBlockByNumber', ['finalized', false])).toMatchObject({ number: '0x0' });
      expect(await g.call<Json>('eth_getBlockByNumber', ['latest', false])).toMatchObject({ number: '0x2' });
      const gen = await g.call<Json>('eth_getBlockByNumber', ['0x0', false]);
      expect(await g.call('eth_getBalance', [g.accounts[1]!.address, 'finalized'])).toBe(await g.call('eth_getBalance', [g.accounts[1]!.address, { blockHash: gen.hash }]));
    } finally {
      await g.close();
    }
  });

  it('a proof for an account that does not exist', async () => {
    const p = await f.call<Json>('eth_getProof', ['0x' + 'ee'.repeat(20), ['0x1'], 'latest']);
    expect(p).toMatchObject({ balance: '0x0', nonce: '0x0', storageProof: [{ key: '0x1', value: '0x0', proof: [] }] });
    expect((p.accountProof as string[]).length).toBeGreaterThan(0);
  });
});

describe('raw debug data', () => {
  it('header, block and receipts in consensus encoding', async () => {
    const { createBlockFromRLP, createBlockHeaderFromRLP } = await import('@ethereumjs/block');
    const { MerklePatriciaTrie } = await import('@ethereumjs/mpt');
    const { RLP } = await import('@ethereumjs/rlp');
    const block = await f.call<Json>('eth_getBlockByNumber', ['0x2', false]);
    const common = f.ledger.commonAt(2n, BigInt(block.timestamp as string));
    const header = createBlockHeaderFromRLP(Buffer.from((await f.call<string>('debug_getRawHeader', ['0x2'])).slice(2), 'hex'), { common });
    expect('0x' + Buffer.from(header.hash()).toString('hex')).toBe(block.hash);
    const raw = await f.call<string>('debug_getRawBlock', [block.hash]);
    expect(createBlockFromRLP(Buffer.from(raw.slice(2), 'hex'), { common }).transactions).toHaveLength(2);
    const receipts = await f.call<string[]>('debug_getRawReceipts', ['0x2']);
    const trie = new MerklePatriciaTrie();
    for (const [i, r] of receipts.entries()) await trie.put(RLP.encode(i), Buffer.from(r.slice(2), 'hex'));
    expect('0x' + Buffer.from(trie.root()).toString('hex')).toBe(block.receiptsRoot);
  });
});

describe('fees', () => {
  it('gas price and tip suggestions', async () => {
    const tip = BigInt(await f.call<string>('eth_maxPriorityFeePerGas'));
    expect(tip).toBe(10n ** 9n);
    const head = await f.call<Json>('eth_getBlockByNumber', ['latest', false]);
    const gp = BigInt(await f.call<string>('eth_gasPrice'));
    expect(gp).toBeGreaterThan(tip);
    expect(gp).toBeLessThanOrEqual(BigInt(head.baseFeePerGas as string) * 2n + tip);
    expect(await f.call('eth_blobBaseFee')).toBe('0x1');
  });

  it('eth_feeHistory: n + 1 base fees, ratios, rewards, blob fields', async () => {
    const h = await f.call<Json>('eth_feeHistory', ['0x3', 'latest', [10, 90]]);
    const head = BigInt(await f.call<string>('eth_blockNumber'));
    expect(h.oldestBlock).toBe('0x' + (head - 2n).toString(16));
    expect(h.baseFeePerGas).toHaveLength(4);
    expect(h.baseFeePerBlobGas).toEqual(['0x1', '0x1', '0x1', '0x1']);
    expect(h.gasUsedRatio).toHaveLength(3);
    expect(h.blobGasUsedRatio).toEqual([0, 0, 0]);
    const reward = h.reward as string[][];
    expect(reward).toHaveLength(3);
    // block 2: a legacy transfer paying 2 gwei (tip 2 gwei − base) and the ping paying 1 gwei
    const b2 = await f.call<Json>('eth_getBlockByNumber', ['0x2', false]);
    expect(reward[Number(2n - (head - 2n))]).toEqual(['0x3b9aca00', '0x' + (2n * 10n ** 9n - BigInt(b2.baseFeePerGas as string)).toString(16)]);
    const decimal = await f.call<Json>('eth_feeHistory', [2, '0x2']);
    expect(decimal).not.toHaveProperty('reward');
    expect(decimal.oldestBlock).toBe('0x1');
    expect(await rpcError(f.call('eth_feeHistory', ['0x2', 'latest', [50, 10]]))).toMatchObject({ code: -32000 });
    expect(await rpcError(f.call('eth_feeHistory', ['0x2', '0x99']))).toMatchObject({ code: -32000, message: expect.stringMatching(/^request beyond head block/) });
  });
});
