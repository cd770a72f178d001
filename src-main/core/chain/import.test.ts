/**
 * chain import / export against ethereum/tests BlockchainTests (e2e/fixtures/chain, see its
 * README): head hash = the test's lastblockhash, state = its postState; the invalid tests'
 * block is refused with both roots named; resume, different chains, bad files, round trip.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { RLP } from '@ethereumjs/rlp';
import { createAddressFromString, bytesToHex, hexToBytes, setLengthLeft } from '@ethereumjs/util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidBlockError } from './errors';
import { exportChain } from './export';
import { CHAIN_DB_FILE, importChain, type ImportProgress } from './import';
import { Ledger } from './ledger';

const FIXTURES = join(__dirname, '..', '..', '..', 'e2e', 'fixtures', 'chain');
type Account = { balance: string; code: string; nonce: string; storage: Record<string, string> };
type Expected = {
  test: string;
  genesisHash: string;
  lastblockhash: string;
  blocks: { number: number; hash: string; stateRoot: string }[];
  invalid: { number: number; hash: string; stateRoot: string; receiptTrie: string } | null;
  postState: Record<string, Account>;
};
const fx = (name: string) => ({
  genesis: join(FIXTURES, name, 'genesis.json'),
  blocks: join(FIXTURES, name, 'chain.rlp'),
  expected: JSON.parse(readFileSync(join(FIXTURES, name, 'expected.json'), 'utf8')) as Expected,
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bu-chain-import-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function withLedger<T>(dataDir: string, fn: (l: Ledger) => Promise<T>): Promise<T> {
  const ledger = await Ledger.open({ file: join(dataDir, CHAIN_DB_FILE) });
  try {
    return await fn(ledger);
  } finally {
    await ledger.close();
  }
}

/** Every account of the test's postState, read from the ledger's head state. */
async function expectPostState(dataDir: string, post: Record<string, Account>): Promise<void> {
  await withLedger(dataDir, async (ledger) => {
    const state = ledger.stateAt(ledger.head.header);
    for (const [address, want] of Object.entries(post)) {
      const addr = createAddressFromString(address);
      const acct = await state.getAccount(addr);
      expect(acct, address).toBeDefined();
      expect(acct!.balance, `${address} balance`).toBe(BigInt(want.balance));
      expect(acct!.nonce, `${address} nonce`).toBe(BigInt(want.nonce));
      expect(bytesToHex(await state.getCode(addr)), `${address} code`).toBe(want.code);
      for (const [k, v] of Object.entries(want.storage)) {
        const got = await state.getStorage(addr, setLengthLeft(hexToBytes(k as `0x${string}`), 32));
        expect(BigInt(bytesToHex(got) === '0x' ? 0 : bytesToHex(got)), `${address} storage ${k}`).toBe(BigInt(v));
      }
    }
  });
}

/** The error a promise rejects with (fails the test if it resolves). */
async function failure(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as Error,
  );
}

/** The fixture's blocks as separate RLP items. */
function blocksOf(file: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  let rest: Uint8Array = new Uint8Array(readFileSync(file));
  while (rest.length) {
    const d = RLP.decode(rest, true);
    out.push(rest.subarray(0, rest.length - d.remainder.length));
    rest = d.remainder;
  }
  return out;
}

describe('importChain with ethereum/tests BlockchainTests', () => {
  for (const name of ['cancun-recall-suicided', 'london-log1', 'shanghai-withdrawals']) {
    it(`${name}: reaches lastblockhash, its state root and the postState`, async () => {
      const f = fx(name);
      const progress: ImportProgress[] = [];
      const res = await importChain({ genesis: f.genesis, blocksFile: f.blocks, dataDir: dir, onProgress: (p) => progress.push(p) });
      expect(res.head.hash).toBe(f.expected.lastblockhash);
      expect(res.head.stateRoot).toBe(f.expected.blocks.at(-1)!.stateRoot);
      expect(res).toMatchObject({ imported: f.expected.blocks.length, skipped: 1, interrupted: false });
      expect(progress.at(-1)).toMatchObject({ done: true, imported: f.expected.blocks.length, head: f.expected.blocks.length });
      await withLedger(dir, async (l) => {
        expect(bytesToHex(l.genesisHash)).toBe(f.expected.genesisHash);
        for (const b of f.expected.blocks) expect(bytesToHex(l.blockByNumber(BigInt(b.number))!.hash())).toBe(b.hash);
      });
      await expectPostState(dir, f.expected.postState);
    });
  }

  it('refuses wrongReceiptTrie_Cancun naming the block and both receipts roots, and leaves nothing behind', async () => {
    const f = fx('invalid-receipts-root');
    const data = join(dir, 'fresh');
    const err = await failure(importChain({ genesis: f.genesis, blocksFile: f.blocks, dataDir: data }));
    expect(err).toBeInstanceOf(InvalidBlockError);
    const e = err as InvalidBlockError;
    expect(e.number).toBe(1n);
    expect(e.hash).toBe(f.expected.invalid!.hash);
    const m = e.mismatches.find((x) => x.field === 'receiptsRoot')!;
    expect(m.block).toBe(f.expected.invalid!.receiptTrie);
    expect(m.computed).not.toBe(m.block);
    expect(e.message).toContain(`Block 1 (${f.expected.invalid!.hash})`);
    expect(e.message).toContain(m.block);
    expect(e.message).toContain(m.computed);
    expect(e.message).toContain(`state root ${f.expected.invalid!.stateRoot} matches`);
    expect(existsSync(data)).toBe(false); // a new chain that never got a block is not left behind
  });

  it('refuses wrongStateRoot_Berlin (pre-merge) naming both state roots', async () => {
    const f = fx('invalid-state-root');
    const e = (await failure(importChain({ genesis: f.genesis, blocksFile: f.blocks, dataDir: dir }))) as InvalidBlockError;
    expect(e).toBeInstanceOf(InvalidBlockError);
    const m = e.mismatches.find((x) => x.field === 'stateRoot')!;
    expect(m.block).toBe(f.expected.invalid!.stateRoot);
    expect(m.computed).toMatch(/^0x[0-9a-f]{64}$/);
    expect(m.computed).not.toBe(m.block);
    expect(e.mismatches.map((x) => x.field)).toEqual(['stateRoot']);
    expect(e.message).toMatch(/^Block 1 \(0x[0-9a-f]{64}\) is invalid: state root 0x[0-9a-f]{64} in the block, 0x[0-9a-f]{64} when executed; receipts root 0x[0-9a-f]{64} matches\.$/);
  });

  it('a tampered state root in block 3 stops the import there; the head stays at block 2', async () => {
    const f = fx('cancun-recall-suicided');
    const blocks = blocksOf(f.blocks);
    const b3 = RLP.decode(blocks[3]!) as Uint8Array[][];
    const forged = new Uint8Array(b3[0]![3]!);
    forged[0] = forged[0]! ^ 0xff;
    b3[0]![3] = forged;
    const file = join(dir, 'tampered.rlp');
    writeFileSync(file, Buffer.concat([...blocks.slice(0, 3), RLP.encode(b3)]));
    const data = join(dir, 'data');
    const e = (await failure(importChain({ genesis: f.genesis, blocksFile: file, dataDir: data }))) as InvalidBlockError;
    expect(e).toBeInstanceOf(InvalidBlockError);
    expect(e.number).toBe(3n);
    expect(e.mismatches).toEqual([{ field: 'stateRoot', block: bytesToHex(forged), computed: f.expected.blocks[2]!.stateRoot }]);
    await withLedger(data, async (l) => expect(bytesToHex(l.head.hash())).toBe(f.expected.blocks[1]!.hash));
  });
  it('a forged excess blob gas (EIP-4844) is refused before execution', async () => {
    const f = fx('cancun-recall-suicided');
    const blocks = blocksOf(f.blocks);
    const b1 = RLP.decode(blocks[1]!) as Uint8Array[][];
    b1[0]![18] = Uint8Array.of(0x02, 0x00, 0x00); // excessBlobGas: the parent's gives 0
    const file = join(dir, 'blobgas.rlp');
    writeFileSync(file, Buffer.concat([blocks[0]!, RLP.encode(b1)]));
    const e = (await failure(importChain({ genesis: f.genesis, blocksFile: file, dataDir: join(dir, 'd') }))) as InvalidBlockError;
    expect(e).toBeInstanceOf(InvalidBlockError);
    expect(e.number).toBe(1n);
    expect(e.message).toMatch(/^Block 1 \(0x[0-9a-f]{64}\) is invalid: block excessBlobGas mismatch: have 131072, want 0$/);
  });
});

describe('resume, same and different chains', () => {
  it('an interrupted import continues from its head; a re-import skips every known block', async () => {
    const f = fx('cancun-recall-suicided');
    const ac = new AbortController();
    const first = await importChain({
      genesis: f.genesis,
      blocksFile: f.blocks,
      dataDir: dir,
      progressEvery: 1,
      signal: ac.signal,
      onProgress: (p) => p.imported === 1 && ac.abort(),
    });
    expect(first).toMatchObject({ imported: 1, interrupted: true, head: { number: 1, hash: f.expected.blocks[0]!.hash } });
    const second = await importChain({ genesis: f.genesis, blocksFile: f.blocks, dataDir: dir });
    expect(second).toMatchObject({ imported: 2, skipped: 2, head: { hash: f.expected.lastblockhash } });
    const third = await importChain({ genesis: f.genesis, blocksFile: f.blocks, dataDir: dir });
    expect(third).toMatchObject({ imported: 0, skipped: 4, head: { hash: f.expected.lastblockhash } });
    await expectPostState(dir, f.expected.postState);
  });

  it('refuses a directory that holds another chain, naming both genesis hashes', async () => {
    const cancun = fx('cancun-recall-suicided');
    const london = fx('london-log1');
    await importChain({ genesis: cancun.genesis, blocksFile: cancun.blocks, dataDir: dir });
    const err = await failure(importChain({ genesis: london.genesis, blocksFile: london.blocks, dataDir: dir }));
    expect(err.message).toBe(`${dir} holds a different chain: its genesis is ${cancun.expected.genesisHash}, genesis.json's is ${london.expected.genesisHash}.`);
    await withLedger(dir, async (l) => expect(bytesToHex(l.head.hash())).toBe(cancun.expected.lastblockhash));
  });

  it("refuses an export whose block 0 is not the genesis file's", async () => {
    const cancun = fx('cancun-recall-suicided');
    const london = fx('london-log1');
    const err = await failure(importChain({ genesis: cancun.genesis, blocksFile: london.blocks, dataDir: dir }));
    expect(err.message).toBe(`The export's genesis ${london.expected.genesisHash} is not this genesis file's ${cancun.expected.genesisHash}.`);
    expect(existsSync(join(dir, CHAIN_DB_FILE))).toBe(false);
  });

  it('refuses an export that skips blocks', async () => {
    const f = fx('cancun-recall-suicided');
    const file = join(dir, 'gap.rlp');
    writeFileSync(file, Buffer.concat(blocksOf(f.blocks).slice(2)));
    const err = await failure(importChain({ genesis: f.genesis, blocksFile: file, dataDir: join(dir, 'd') }));
    expect(err.message).toMatch(/continues at block 2 but the chain in .* ends at block 0: blocks 1–1 are missing/);
  });
});

describe('bad input', () => {
  const f = () => fx('cancun-recall-suicided');

  it('a truncated export keeps the blocks before the cut and says where it ends', async () => {
    const file = join(dir, 'cut.rlp');
    const whole = readFileSync(f().blocks);
    writeFileSync(file, whole.subarray(0, whole.length - 5));
    const data = join(dir, 'd');
    const err = await failure(importChain({ genesis: f().genesis, blocksFile: file, dataDir: data }));
    const lastStart = whole.length - blocksOf(f().blocks)[3]!.length;
    expect(err.message).toBe(`The blocks file is truncated: block 3 at byte ${lastStart} needs ${whole.length - lastStart} bytes but the file ends after ${whole.length - lastStart - 5}.`);
    await withLedger(data, async (l) => expect(bytesToHex(l.head.hash())).toBe(f().expected.blocks[1]!.hash));
  });

  it('missing files, bad JSON and a non-export file fail before anything is written', async () => {
    const data = join(dir, 'never');
    const run = (genesis: string, blocksFile: string) => failure(importChain({ genesis, blocksFile, dataDir: data })).then((e) => e.message);
    expect(await run(join(dir, 'nope.json'), f().blocks)).toBe(`The genesis file ${join(dir, 'nope.json')} does not exist.`);
    writeFileSync(join(dir, 'bad.json'), '{"config": ');
    expect(await run(join(dir, 'bad.json'), f().blocks)).toMatch(/^The genesis file is not valid JSON/);
    expect(await run(f().genesis, join(dir, 'nope.rlp'))).toBe(`The blocks file ${join(dir, 'nope.rlp')} does not exist.`);
    writeFileSync(join(dir, 'text.rlp'), 'hello, world\n');
    expect(await run(f().genesis, join(dir, 'text.rlp'))).toBe('The blocks file is not a block export: byte 0 starts an RLP string (0x68), not a block (an RLP list).');
    writeFileSync(join(dir, 'fake.rlp.gz'), 'not gzip');
    expect(await run(f().genesis, join(dir, 'fake.rlp.gz'))).toMatch(/is not a valid gzip file/);
    expect(existsSync(data)).toBe(false);
  });
});

describe('exportChain', () => {
  it('writes the stored blocks byte for byte as the export they came from; .gz round-trips', async () => {
    const f = fx('cancun-recall-suicided');
    const a = join(dir, 'a');
    await importChain({ genesis: f.genesis, blocksFile: f.blocks, dataDir: a });
    const out = join(dir, 'out.rlp');
    const res = await exportChain({ dataDir: a, out });
    expect(res).toMatchObject({ exported: 4, from: 0, to: 3, head: { hash: f.expected.lastblockhash } });
    expect(Buffer.compare(readFileSync(out), readFileSync(f.blocks))).toBe(0);

    const gz = join(dir, 'out.rlp.gz');
    await exportChain({ dataDir: a, out: gz });
    expect(readFileSync(gz).subarray(0, 2).toString('hex')).toBe('1f8b');
    const b = join(dir, 'b');
    const again = await importChain({ genesis: f.genesis, blocksFile: gz, dataDir: b });
    expect(again.head).toEqual(res.head);
  });

  it('exports a range; a range starting at block 1 imports on top of the genesis', async () => {
    const f = fx('cancun-recall-suicided');
    const a = join(dir, 'a');
    await importChain({ genesis: f.genesis, blocksFile: f.blocks, dataDir: a });
    const part = join(dir, 'part.rlp');
    expect(await exportChain({ dataDir: a, out: part, from: 1, to: 2 })).toMatchObject({ exported: 2, from: 1, to: 2 });
    const res = await importChain({ genesis: f.genesis, blocksFile: part, dataDir: join(dir, 'b') });
    expect(res).toMatchObject({ imported: 2, skipped: 0, head: { hash: f.expected.blocks[1]!.hash } });
    await expect(exportChain({ dataDir: a, out: part, to: 9 })).rejects.toThrow(/ends at block 3; it has no block 9/);
    await expect(exportChain({ dataDir: join(dir, 'none'), out: part })).rejects.toThrow(/There is no chain in/);
    expect(existsSync(join(dir, 'none'))).toBe(false);
  });

  it('a gzip export of an imported London (PoW) chain imports to the same head', async () => {
    const f = fx('london-log1');
    const gzFile = join(dir, 'london.rlp.gz');
    writeFileSync(gzFile, gzipSync(readFileSync(f.blocks)));
    const res = await importChain({ genesis: f.genesis, blocksFile: gzFile, dataDir: join(dir, 'l') });
    expect(res.head.hash).toBe(f.expected.lastblockhash);
  });
});

it('the committed fixtures are what convert.mjs makes of sources/', () => {
  expect(() => execFileSync(process.execPath, [join(FIXTURES, 'convert.mjs'), '--check'], { stdio: 'pipe', timeout: 60_000 })).not.toThrow();
});
