import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBlock } from '@ethereumjs/block';
import { createFeeMarket1559Tx } from '@ethereumjs/tx';
import { createAddressFromString, createZeroAddress, hexToBytes } from '@ethereumjs/util';
import { Ledger } from './ledger';
import { testAccounts, testDevnetGenesis } from './test-genesis';

const [A, B] = testAccounts(2) as [ReturnType<typeof testAccounts>[0], ReturnType<typeof testAccounts>[0]];
const dirs: string[] = [];
const open: Ledger[] = [];
afterEach(async () => {
  for (const l of open.splice(0)) await l.close().catch(() => undefined);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function fresh(): Promise<{ ledger: Ledger; file: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'bu-seams-'));
  dirs.push(dir);
  const file = join(dir, 'chain.db');
  const ledger = await Ledger.open({ file, genesis: await testDevnetGenesis([A, B]) });
  open.push(ledger);
  return { ledger, file };
}

function transfer(l: Ledger, nonce: bigint, value: bigint) {
  const head = l.head.header;
  return createFeeMarket1559Tx(
    { chainId: 16981n, nonce, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 1n, gasLimit: 21_000n, to: createAddressFromString(B.address), value },
    { common: l.commonAt(head.number + 1n, head.timestamp + 1n) },
  ).sign(hexToBytes(A.key));
}

describe('ledger seams for POE', () => {
  it('pays EIP-4895 withdrawals, in gwei, into balances', async () => {
    const { ledger } = await fresh();
    const to = '0x00000000000000000000000000000000000a11ce';
    const c = await ledger.buildBlock({
      txs: [],
      timestamp: ledger.head.header.timestamp + 1n,
      coinbase: createZeroAddress(),
      prevRandao: new Uint8Array(32),
      withdrawals: [{ index: 0n, validatorIndex: 3n, address: createAddressFromString(to), amount: 2_000_000_000n }],
    });
    const block = await ledger.commit(c);
    const state = ledger.stateAt(block.header);
    expect((await state.getAccount(createAddressFromString(to)))?.balance).toBe(2n * 10n ** 18n);
    expect(block.withdrawals).toHaveLength(1);
  });

  it('checkBlock runs every import check but stores nothing; forged roots are refused', async () => {
    const { ledger } = await fresh();
    const c = await ledger.buildBlock({ txs: [transfer(ledger, 0n, 7n)], timestamp: ledger.head.header.timestamp + 1n, coinbase: createZeroAddress(), prevRandao: new Uint8Array(32) });
    const headBefore = ledger.head.hash();
    const receipts = await ledger.checkBlock(c.block.serialize());
    expect(receipts).toHaveLength(1);
    expect(ledger.head.hash()).toEqual(headBefore);
    const forged = createBlock(
      { header: { ...c.block.header.toJSON(), stateRoot: new Uint8Array(32).fill(1) }, transactions: c.block.transactions, withdrawals: [] },
      { common: c.block.common },
    );
    await expect(ledger.checkBlock(forged)).rejects.toThrow(/invalid/);
    await expect(ledger.checkBlock(new Uint8Array([1, 2, 3]))).rejects.toThrow(/Malformed block/);
    // still able to build and commit after the failed checks
    const again = await ledger.commit(c);
    expect(again.header.number).toBe(1n);
  });

  it('stores aux data with the block, and a read-only reader follows the writer', async () => {
    const { ledger, file } = await fresh();
    const reader = await Ledger.open({ file, readOnly: true });
    open.push(reader);
    const c = await ledger.buildBlock({ txs: [transfer(ledger, 0n, 1n)], timestamp: ledger.head.header.timestamp + 1n, coinbase: createZeroAddress(), prevRandao: new Uint8Array(32) });
    expect((await reader.checkBlock(c.block)).length).toBe(1);
    const b1 = await ledger.commit(c, { 'poe-body': Uint8Array.of(9, 9) });
    expect(ledger.aux(b1.hash(), 'poe-body')).toEqual(Buffer.from([9, 9]));
    expect(reader.head.header.number).toBe(0n);
    expect((await reader.refresh()).header.number).toBe(1n);
    expect(reader.aux(b1.hash(), 'poe-body')).toEqual(Buffer.from([9, 9]));
    const c2 = await ledger.buildBlock({ txs: [transfer(ledger, 1n, 2n)], timestamp: b1.header.timestamp + 1n, coinbase: createZeroAddress(), prevRandao: new Uint8Array(32) });
    await expect(reader.checkBlock(c2.block)).resolves.toHaveLength(1);
    await expect(reader.commit(c2)).rejects.toThrow(/read-only/);
  });
});

describe('ledger: a candidate committed after other work', () => {
  it('re-executes when a checkBlock ran between buildBlock and commit (the overlay is gone)', async () => {
    const { ledger } = await fresh();
    const mine = await ledger.buildBlock({ txs: [transfer(ledger, 0n, 5n)], timestamp: ledger.head.header.timestamp + 1n, coinbase: createZeroAddress(), prevRandao: new Uint8Array(32) });
    const other = await ledger.buildBlock({ txs: [transfer(ledger, 0n, 6n)], timestamp: ledger.head.header.timestamp + 2n, coinbase: createZeroAddress(), prevRandao: new Uint8Array(32) });
    await ledger.checkBlock(other.block);
    const b = await ledger.commit(mine);
    const state = ledger.stateAt(b.header);
    expect((await state.getAccount(createAddressFromString(B.address)))?.balance).toBe(10n ** 24n + 5n);
    // the next block builds on a complete state
    const next = await ledger.buildBlock({ txs: [transfer(ledger, 1n, 1n)], timestamp: b.header.timestamp + 1n, coinbase: createZeroAddress(), prevRandao: new Uint8Array(32) });
    expect(next.skipped).toEqual([]);
    await ledger.commit(next);
  });
});
