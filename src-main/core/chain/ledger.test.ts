import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBlock, createBlockFromRLP } from '@ethereumjs/block';
import { createFeeMarket1559Tx } from '@ethereumjs/tx';
import { bytesToHex, createAddressFromString, createZeroAddress, hexToBytes } from '@ethereumjs/util';
import { Interface } from 'ethers';
import { loadArtifact } from './artifacts';
import { Ledger } from './ledger';
import { RESOURCES_DIR, testAccounts, testDevnetGenesis } from './test-genesis';

const accounts = testAccounts(3);
const [A, B] = accounts as [(typeof accounts)[0], (typeof accounts)[0]];
const dirs: string[] = [];
const open: Ledger[] = [];
afterEach(async () => {
  for (const l of open.splice(0)) await l.close().catch(() => undefined);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function newLedger(genesis: Awaited<ReturnType<typeof testDevnetGenesis>>, file?: string): Promise<Ledger> {
  const dir = mkdtempSync(join(tmpdir(), 'bu-ledger-'));
  dirs.push(dir);
  const l = await Ledger.open({ file: file ?? join(dir, 'chain.db'), genesis });
  open.push(l);
  return l;
}

const token = new Interface(loadArtifact(RESOURCES_DIR, 'BitUnicomTestToken').abi as never);

/** Blocks of transfers and token transfers, signed by A. */
async function produce(l: Ledger, blocks: number, perBlock: number, tokenAddr: string): Promise<void> {
  let nonce = 0n;
  for (let b = 0; b < blocks; b++) {
    const head = l.head.header;
    const common = l.commonAt(head.number + 1n, head.timestamp + 1n);
    const txs = Array.from({ length: perBlock }, (_, i) => {
      const isToken = i % 2 === 1;
      return createFeeMarket1559Tx(
        {
          chainId: 16981n,
          nonce: nonce++,
          maxFeePerGas: 10n ** 10n,
          maxPriorityFeePerGas: 10n ** 9n,
          gasLimit: isToken ? 80_000n : 21_000n,
          to: createAddressFromString(isToken ? tokenAddr : B.address),
          value: isToken ? 0n : 1000n + BigInt(i),
          data: isToken ? hexToBytes(token.encodeFunctionData('transfer', [B.address, 5n]) as `0x${string}`) : undefined,
        },
        { common },
      ).sign(hexToBytes(A.key));
    });
    const c = await l.buildBlock({ txs, timestamp: head.timestamp + 1n, coinbase: createZeroAddress(), prevRandao: new Uint8Array(32).fill(b) });
    expect(c.skipped).toEqual([]);
    await l.commit(c);
  }
}

describe('ledger', () => {
  it('two ledgers replaying the same blocks reach the same state roots (determinism)', async () => {
    const genesis = await testDevnetGenesis(accounts);
    const a = await newLedger(genesis);
    const b = await newLedger(genesis);
    expect(bytesToHex(b.genesisHash)).toBe(bytesToHex(a.genesisHash));
    const tokenAddr = genesis.bitunicom.contracts[0]!.address!;
    await produce(a, 5, 6, tokenAddr);
    for (let n = 1n; n <= 5n; n++) {
      const block = a.blockByNumber(n)!;
      // Import from bytes, as a peer would receive it.
      await b.importBlock(createBlockFromRLP(block.serialize(), { common: b.commonAt(n, block.header.timestamp), setHardfork: true }));
      expect(bytesToHex(b.head.header.stateRoot)).toBe(bytesToHex(block.header.stateRoot));
      expect(bytesToHex(b.head.hash())).toBe(bytesToHex(block.hash()));
    }
    const balanceOf = async (l: Ledger) => (await l.stateAt(l.head.header).getAccount(createAddressFromString(B.address)))?.balance;
    expect(await balanceOf(b)).toBe(await balanceOf(a));
    expect(b.receipts(b.head).map((r) => r.logs.length)).toEqual([0, 1, 0, 1, 0, 1]);
  });

  it('refuses a block whose state root or receipts root does not match, and keeps its head', async () => {
    const genesis = await testDevnetGenesis(accounts);
    const a = await newLedger(genesis);
    const b = await newLedger(genesis);
    await produce(a, 2, 2, genesis.bitunicom.contracts[0]!.address!);
    await b.importBlock(a.blockByNumber(1n)!);
    const good = a.blockByNumber(2n)!;
    for (const field of ['stateRoot', 'receiptTrie'] as const) {
      const header = { ...good.header.toJSON(), [field]: bytesToHex(new Uint8Array(32).fill(7)) };
      const forged = createBlock(
        { header, transactions: good.transactions.map((t) => t.toJSON()) as never },
        { common: b.commonAt(2n, good.header.timestamp), setHardfork: true },
      );
      await expect(b.importBlock(forged)).rejects.toThrow(/Block 2 is invalid/);
      expect(b.head.header.number).toBe(1n);
    }
    await b.importBlock(good);
    expect(bytesToHex(b.head.hash())).toBe(bytesToHex(good.hash()));
  });

  it('reopens at the same head and state root, with receipts and the tx index', async () => {
    const genesis = await testDevnetGenesis(accounts);
    const dir = mkdtempSync(join(tmpdir(), 'bu-ledger-'));
    dirs.push(dir);
    const file = join(dir, 'chain.db');
    const a = await Ledger.open({ file, genesis });
    await produce(a, 3, 4, genesis.bitunicom.contracts[0]!.address!);
    const head = a.head;
    await a.close();
    const again = await Ledger.open({ file });
    open.push(again);
    expect(bytesToHex(again.head.hash())).toBe(bytesToHex(head.hash()));
    expect(bytesToHex(again.head.header.stateRoot)).toBe(bytesToHex(head.header.stateRoot));
    const tx = head.transactions[3]!;
    expect(again.txLocation(tx.hash())).toMatchObject({ index: 3 });
    expect(again.receipts(again.head).map((r) => r.status)).toEqual([1, 1, 1, 1]);
    // The state at block 1 is still readable (archive).
    const old = await again.stateAt(again.blockByNumber(1n)!.header).getAccount(createAddressFromString(A.address));
    expect(old?.nonce).toBe(4n);
  });

  it('refuses to open a data dir that holds another chain', async () => {
    const g1 = await testDevnetGenesis(accounts);
    const dir = mkdtempSync(join(tmpdir(), 'bu-ledger-'));
    dirs.push(dir);
    const file = join(dir, 'chain.db');
    await (await Ledger.open({ file, genesis: g1 })).close();
    const g2 = { ...g1, gasLimit: '0x1c9c381' } as typeof g1;
    await expect(Ledger.open({ file, genesis: g2 })).rejects.toThrow(/holds a different chain/);
  });
});
