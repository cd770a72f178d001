import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Wallet } from 'ethers';
import { createAccessList2930Tx, createFeeMarket1559Tx, createLegacyTx, type TypedTransaction } from '@ethereumjs/tx';
import { createAddressFromString, createZeroAddress, hexToBytes } from '@ethereumjs/util';
import { Ledger } from './ledger';
import { Mempool } from './mempool';
import { testAccounts, testDevnetGenesis } from './test-genesis';

const [A, B, C] = testAccounts(3) as [ReturnType<typeof testAccounts>[0], ReturnType<typeof testAccounts>[0], ReturnType<typeof testAccounts>[0]];
const GWEI = 10n ** 9n;
let dir: string;
let ledger: Ledger;
let pool: Mempool;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bu-pool-'));
  ledger = await Ledger.open({ file: join(dir, 'chain.db'), genesis: await testDevnetGenesis([A, B]) });
  pool = new Mempool(ledger);
});
afterEach(async () => {
  await ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

const common = () => ledger.commonAt(1n, BigInt(Math.floor(Date.now() / 1000)));
const key = (a: { key: string }) => hexToBytes(a.key as `0x${string}`);
const to = createAddressFromString(C.address);

function tx1559(o: { nonce?: bigint; cap?: bigint; tip?: bigint; gas?: bigint; value?: bigint; data?: Uint8Array }, from = A) {
  return createFeeMarket1559Tx(
    {
      chainId: 16981n,
      nonce: o.nonce ?? 0n,
      maxFeePerGas: o.cap ?? 3n * GWEI,
      maxPriorityFeePerGas: o.tip ?? GWEI,
      gasLimit: o.gas ?? 21_000n,
      to,
      value: o.value ?? 1n,
      data: o.data,
    },
    { common: common() },
  ).sign(key(from));
}
const raw = (t: TypedTransaction) => t.serialize();

async function mine(): Promise<void> {
  const head = ledger.head.header;
  const c = await ledger.buildBlock({
    txs: (await pool.pending(head.calcNextBaseFee())).map((p) => p.tx),
    timestamp: head.timestamp + 1n,
    coinbase: createZeroAddress(),
    prevRandao: new Uint8Array(32),
  });
  await ledger.commit(c);
}

describe('mempool admission (geth messages)', () => {
  it('accepts the three transaction types and orders pending by nonce', async () => {
    const legacy = createLegacyTx({ nonce: 0n, gasPrice: 2n * GWEI, gasLimit: 21_000n, to, value: 1n }, { common: common() }).sign(key(A));
    const al = createAccessList2930Tx({ chainId: 16981n, nonce: 1n, gasPrice: 2n * GWEI, gasLimit: 30_000n, to, accessList: [] }, { common: common() }).sign(key(A));
    expect(await pool.add(raw(legacy))).toMatch(/^0x[0-9a-f]{64}$/);
    await pool.add(raw(al));
    await pool.add(raw(tx1559({ nonce: 2n })));
    expect((await pool.pending()).map((p) => p.nonce)).toEqual([0n, 1n, 2n]);
    expect(await pool.pendingNonce(createAddressFromString(A.address))).toBe(3n);
    await mine();
    expect(ledger.head.transactions).toHaveLength(3);
    expect(pool.size).toBe(0);
  });

  it('rejects each invalid kind with the message wallets match on', async () => {
    // ethers signs a type-0 transaction with chainId 0 the pre-EIP-155 way (v = 27/28).
    const unprotected = await new Wallet(A.key).signTransaction({ type: 0, chainId: 0n, nonce: 0, gasPrice: 2n * GWEI, gasLimit: 21_000n, to: C.address });
    await expect(pool.add(hexToBytes(unprotected as `0x${string}`))).rejects.toThrow('only replay-protected (EIP-155) transactions allowed over RPC');
    const otherChain = await new Wallet(A.key).signTransaction({ type: 2, chainId: 1n, nonce: 0, maxFeePerGas: 3n * GWEI, maxPriorityFeePerGas: GWEI, gasLimit: 21_000n, to: C.address });
    await expect(pool.add(hexToBytes(otherChain as `0x${string}`))).rejects.toThrow(/^invalid chain id for signer: have 1 want 16981/);
    await expect(pool.add(raw(tx1559({ gas: 20_000n })))).rejects.toThrow(/^intrinsic gas too low/);
    await expect(pool.add(raw(tx1559({ gas: 31_000_000n })))).rejects.toThrow(/^exceeds block gas limit/);
    await expect(pool.add(raw(tx1559({ cap: 1n, tip: 1n })))).rejects.toThrow(/^max fee per gas less than block base fee/);
    await expect(pool.add(raw(tx1559({ tip: 0n })))).rejects.toThrow(/^transaction underpriced/);
    await expect(pool.add(raw(tx1559({ value: 10n ** 30n })))).rejects.toThrow(/^insufficient funds for gas \* price \+ value/);
    await expect(pool.add(raw(tx1559({ nonce: 64n })))).rejects.toThrow(/^nonce too high/);
    const big = tx1559({ gas: 25_000_000n, data: new Uint8Array(130 * 1024).fill(1) });
    await expect(pool.add(raw(big))).rejects.toThrow(/^oversized data: transaction size \d+, limit 131072/);
    await expect(pool.add(new Uint8Array([0x02, 0xc0]))).rejects.toThrow(/^rlp:/);
    await expect(pool.add(new Uint8Array([0x03, 0xc0]))).rejects.toThrow(/^transaction type not supported/);
    expect(pool.size).toBe(0);

    await pool.add(raw(tx1559({ nonce: 0n })));
    await expect(pool.add(raw(tx1559({ nonce: 0n })))).rejects.toThrow('already known');
    await mine();
    await expect(pool.add(raw(tx1559({ nonce: 0n, tip: GWEI + 5n })))).rejects.toThrow(/^nonce too low: address 0x[0-9a-f]{40}, tx: 0 state: 1/);
  });

  it('counts the cost of earlier waiting transactions against the balance', async () => {
    const balance = 10n ** 22n; // the wallet's prefund in the template
    const half = balance / 2n;
    await pool.add(raw(tx1559({ nonce: 0n, value: half })));
    await expect(pool.add(raw(tx1559({ nonce: 1n, value: half })))).rejects.toThrow(/^insufficient funds/);
  });

  it('replaces only with both fees raised by at least 10 %', async () => {
    const first = await pool.add(raw(tx1559({ nonce: 0n, cap: 10n * GWEI, tip: 2n * GWEI })));
    await expect(pool.add(raw(tx1559({ nonce: 0n, cap: 11n * GWEI, tip: 2n * GWEI + 1n })))).rejects.toThrow('replacement transaction underpriced');
    const second = await pool.add(raw(tx1559({ nonce: 0n, cap: 11n * GWEI, tip: (22n * GWEI) / 10n })));
    expect(pool.get(first)).toBeUndefined();
    expect(pool.get(second)?.nonce).toBe(0n);
    expect(pool.size).toBe(1);
    await mine();
    expect(ledger.head.transactions.map((t) => `0x${Buffer.from(t.hash()).toString('hex')}`)).toEqual([second]);
  });

  it('holds a nonce gap as queued until it is filled, and limits each sender', async () => {
    await pool.add(raw(tx1559({ nonce: 1n })));
    expect(await pool.counts()).toEqual({ pending: 0, queued: 1 });
    await pool.add(raw(tx1559({ nonce: 0n })));
    expect(await pool.counts()).toEqual({ pending: 2, queued: 0 });
    const small = new Mempool(ledger, undefined, { ...pool.limits, perSender: 3 });
    for (let n = 0n; n < 3n; n++) await small.add(raw(tx1559({ nonce: n }, B)));
    await expect(small.add(raw(tx1559({ nonce: 3n }, B)))).rejects.toThrow(/^account limit exceeded/);
  });

  it('keeps accepted transactions across a restart and forgets them once mined', async () => {
    const h0 = await pool.add(raw(tx1559({ nonce: 0n })));
    const h1 = await pool.add(raw(tx1559({ nonce: 1n })));
    await ledger.close();
    ledger = await Ledger.open({ file: join(dir, 'chain.db') });
    pool = new Mempool(ledger);
    expect(await pool.restore()).toBe(2);
    expect(pool.get(h0)).toBeDefined();
    expect(pool.get(h1)).toBeDefined();
    await mine();
    await ledger.close();
    ledger = await Ledger.open({ file: join(dir, 'chain.db') });
    pool = new Mempool(ledger);
    expect(await pool.restore()).toBe(0);
    expect(ledger.txLocation(hexToBytes(h1 as `0x${string}`))?.index).toBe(1);
  });
});
