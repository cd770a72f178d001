/**
 * @module chain/import
 * `importChain` builds a ledger from an Ethereum chain export: a geth genesis file (its fork
 * schedule becomes the Common, genesis.ts) and a geth `export` file (block-file.ts), the
 * same pair `geth init` + `geth import` take. Every block is executed by the ledger
 * (`Ledger.importBlock`: header rules against its parent, then the EVM, then the state root,
 * receipts root (EIP-2718 typed receipts), logs bloom and gas used must match the header), and
 * committed on its own in one SQLite transaction, so an interrupted import leaves a valid
 * chain and running it again continues from its head. Known blocks are skipped; a block that
 * differs from the one already stored at its height means another chain and is refused.
 *
 * A refused block is reported with its number, hash and, for a root mismatch, both values
 * (the header's and what execution gives; found by re-running the block on a scratch state).
 * EIP-4844's excess blob gas and blob gas used are checked here too (Block.validateBlobTransactions),
 * since execution alone does not re-derive them from the parent.
 * Not verified: proof-of-work seals (ethash), clique signatures and uncle headers beyond their
 * hash — the rewards they earn are applied from the Common, as geth does. See IMPORT.md.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, rmdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createBlockFromRLP, type Block, type BlockHeader } from '@ethereumjs/block';
import { RLP } from '@ethereumjs/rlp';
import { bytesToBigInt, bytesToHex, equalsBytes } from '@ethereumjs/util';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { runBlock } from '@ethereumjs/vm';
import { BuError, silentLogger, type Logger } from '../base';
import { readBlockFile } from './block-file';
import { InvalidBlockError, type HeaderMismatch } from './errors';
import { commonFromGenesis, parseGenesis, type GethGenesis } from './genesis';
import { Ledger } from './ledger';

/** The ledger's database inside a chain data directory. */
export const CHAIN_DB_FILE = 'chain.db';

export type ChainHead = { number: number; hash: string; stateRoot: string };

export type ImportProgress = {
  imported: number;
  skipped: number;
  /** The ledger's head after the last block handled. */
  head: number;
  /** Blocks executed per second since the import started. */
  blocksPerSecond: number;
  elapsedMs: number;
  done: boolean;
};

export type ImportOptions = {
  /** Path of a geth genesis file, or the parsed genesis. */
  genesis: string | GethGenesis;
  /** geth export file (concatenated RLP blocks; gzip when it ends in .gz). */
  blocksFile: string;
  /** The ledger lives at `<dataDir>/chain.db`. */
  dataDir: string;
  logger?: Logger;
  onProgress?: (p: ImportProgress) => void;
  /** Report after this many blocks (default 1000) or this many ms (default 1000). */
  progressEvery?: number;
  progressIntervalMs?: number;
  /** Stops after the current block (the chain so far stays; run again to continue). */
  signal?: AbortSignal;
  nativeBinding?: string;
};

export type ImportResult = { imported: number; skipped: number; interrupted: boolean; head: ChainHead };

export function headOf(block: Block): ChainHead {
  return { number: Number(block.header.number), hash: bytesToHex(block.hash()), stateRoot: bytesToHex(block.header.stateRoot) };
}

export async function importChain(opts: ImportOptions): Promise<ImportResult> {
  const logger = opts.logger ?? silentLogger;
  const genesis = loadGenesis(opts.genesis);
  commonFromGenesis(genesis); // an unknown fork schedule fails here, before anything is written
  checkReadable(opts.blocksFile);

  const createdDir = !existsSync(opts.dataDir);
  mkdirSync(opts.dataDir, { recursive: true });
  const file = join(opts.dataDir, CHAIN_DB_FILE);
  const fresh = !existsSync(file);
  const ledger = await openFor(file, genesis, opts).catch((e: unknown) => {
    if (fresh) removeDb(file, createdDir ? opts.dataDir : null);
    throw e;
  });

  const started = Date.now();
  let imported = 0;
  let skipped = 0;
  let interrupted = false;
  let last = { at: started, count: 0 };
  const every = opts.progressEvery ?? 1000;
  const interval = opts.progressIntervalMs ?? 1000;
  const report = (done: boolean) => {
    const now = Date.now();
    if (!done && imported + skipped - last.count < every && now - last.at < interval) return;
    last = { at: now, count: imported + skipped };
    const elapsedMs = now - started;
    const blocksPerSecond = Math.round((imported / Math.max(elapsedMs / 1000, 0.001)) * 10) / 10;
    opts.onProgress?.({ imported, skipped, head: Number(ledger.head.header.number), blocksPerSecond, elapsedMs, done });
  };

  try {
    for await (const item of readBlockFile(opts.blocksFile)) {
      if (opts.signal?.aborted) {
        interrupted = true;
        break;
      }
      // number and hash from the raw header: a known block (or another chain's genesis,
      // which may not even decode under this chain's fork rules) needs no full decode
      const { number: n, hash } = peekHeader(item.bytes, item.index, item.offset);
      const head = ledger.head.header.number;
      if (n === 0n) {
        if (!equalsBytes(hash, ledger.genesisHash)) {
          throw new BuError('BAD_INPUT', `The export's genesis ${bytesToHex(hash)} is not this genesis file's ${bytesToHex(ledger.genesisHash)}.`);
        }
        skipped++;
      } else if (n <= head) {
        const known = ledger.db.canonical(Number(n));
        if (!known || !equalsBytes(known, hash)) {
          throw new BuError(
            'BAD_INPUT',
            `Block ${n} of the export (${bytesToHex(hash)}) is not block ${n} of the chain in ${opts.dataDir} (${known ? bytesToHex(known) : 'missing'}): that directory holds a different chain.`,
          );
        }
        skipped++;
      } else if (n > head + 1n) {
        throw new BuError('BAD_INPUT', `The export continues at block ${n} but the chain in ${opts.dataDir} ends at block ${head}: blocks ${head + 1n}–${n - 1n} are missing.`);
      } else {
        const block = decodeBlock(ledger, item.bytes, item.index, item.offset);
        const parent = ledger.head.header;
        checkBlobGas(block, parent);
        await ledger.importBlock(block).catch(async (e: unknown) => {
          throw await explainRefusal(ledger, block, parent, e);
        });
        imported++;
      }
      report(false);
    }
    report(true);
    const result = { imported, skipped, interrupted, head: headOf(ledger.head) };
    logger.info('chain import finished', { ...result.head, imported, skipped, interrupted });
    await ledger.close();
    return result;
  } catch (e) {
    logger.info('chain import stopped', { head: Number(ledger.head.header.number), imported, error: (e as Error).message });
    if (fresh && imported === 0) {
      await ledger.close();
      removeDb(file, createdDir ? opts.dataDir : null);
      throw e;
    }
    await ledger.close();
    throw e;
  }
}

function loadGenesis(g: string | GethGenesis): GethGenesis {
  if (typeof g !== 'string') return parseGenesis(g);
  let text: string;
  try {
    text = readFileSync(g, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new BuError('BAD_INPUT', err.code === 'ENOENT' ? `The genesis file ${g} does not exist.` : `Cannot read the genesis file ${g}: ${err.message}`);
  }
  return parseGenesis(text);
}

function checkReadable(file: string): void {
  let isFile: boolean;
  try {
    isFile = statSync(file).isFile();
  } catch {
    throw new BuError('BAD_INPUT', `The blocks file ${file} does not exist.`);
  }
  if (!isFile) throw new BuError('BAD_INPUT', `The blocks file ${file} is not a file.`);
}

/** The ledger at `file` for this genesis; the same genesis block under different JSON is accepted. */
async function openFor(file: string, genesis: GethGenesis, opts: ImportOptions): Promise<Ledger> {
  const base = { file, logger: opts.logger, nativeBinding: opts.nativeBinding };
  try {
    return await Ledger.open({ ...base, genesis });
  } catch (e) {
    if (!/different chain/.test((e as Error).message)) throw e;
  }
  const stored = await Ledger.open(base);
  const probe = await Ledger.open({ file: ':memory:', genesis, nativeBinding: opts.nativeBinding });
  const theirs = probe.genesisHash;
  await probe.close();
  if (equalsBytes(stored.genesisHash, theirs)) return stored;
  const ours = bytesToHex(stored.genesisHash);
  await stored.close();
  const name = typeof opts.genesis === 'string' ? basename(opts.genesis) : 'the genesis given';
  throw new BuError('BAD_INPUT', `${opts.dataDir} holds a different chain: its genesis is ${ours}, ${name}'s is ${bytesToHex(theirs)}.`);
}

function peekHeader(bytes: Uint8Array, index: number, offset: number): { number: bigint; hash: Uint8Array } {
  const bad = (why: string) => new BuError('BAD_INPUT', `Block ${index} of the blocks file (byte ${offset}) is not a valid block: ${why}`);
  let header: unknown;
  try {
    header = (RLP.decode(bytes) as unknown[])[0];
  } catch (e) {
    throw bad((e as Error).message);
  }
  if (!Array.isArray(header) || header.length < 15 || !(header[8] instanceof Uint8Array)) throw bad('its header is not a list of header fields');
  return { number: bytesToBigInt(header[8]), hash: keccak_256(RLP.encode(header as Uint8Array[])) };
}

function decodeBlock(ledger: Ledger, bytes: Uint8Array, index: number, offset: number): Block {
  try {
    return createBlockFromRLP(bytes, { common: ledger.common, setHardfork: true });
  } catch (e) {
    throw new BuError('BAD_INPUT', `Block ${index} of the blocks file (byte ${offset}) is not a valid block: ${(e as Error).message}`);
  }
}

/** EIP-4844 header fields against the parent (excess blob gas) and the body (blob gas used). */
function checkBlobGas(block: Block, parent: BlockHeader): void {
  if (!block.common.isActivatedEIP(4844)) return;
  try {
    block.validateBlobTransactions(parent);
  } catch (e) {
    const hash = bytesToHex(block.hash());
    throw new InvalidBlockError(`Block ${block.header.number} (${hash}) is invalid: ${(e as Error).message}`, block.header.number, hash);
  }
}

const ROOT_CHECKS = /invalid (receiptTrie|bloom|gasUsed|block stateRoot)/;

/** The ledger's refusal as an InvalidBlockError, with both values of every mismatching root. */
async function explainRefusal(ledger: Ledger, block: Block, parent: BlockHeader, e: unknown): Promise<Error> {
  const n = block.header.number;
  const hash = bytesToHex(block.hash());
  const raw = e instanceof Error ? e.message : String(e);
  const reason = raw.replace(/^Block \d+ is invalid: /, '').replace(/\s*\(vm hf=.*\)$/s, '');
  if (!ROOT_CHECKS.test(raw)) return new InvalidBlockError(`Block ${n} (${hash}) is invalid: ${reason}`, n, hash);
  let mismatches: HeaderMismatch[];
  try {
    mismatches = await reexecute(ledger, block, parent);
  } catch {
    return new InvalidBlockError(`Block ${n} (${hash}) is invalid: ${reason}`, n, hash);
  }
  const label = { stateRoot: 'state root', receiptsRoot: 'receipts root', logsBloom: 'logs bloom', gasUsed: 'gas used' };
  const parts = mismatches.map((m) => (m.field === 'logsBloom' ? 'the logs bloom differs' : `${label[m.field]} ${m.block} in the block, ${m.computed} when executed`));
  if (!mismatches.some((m) => m.field === 'stateRoot')) parts.push(`state root ${bytesToHex(block.header.stateRoot)} matches`);
  if (!mismatches.some((m) => m.field === 'receiptsRoot')) parts.push(`receipts root ${bytesToHex(block.header.receiptTrie)} matches`);
  return new InvalidBlockError(`Block ${n} (${hash}) is invalid: ${parts.join('; ')}.`, n, hash, mismatches);
}

/** Runs the block on a scratch copy of its parent's state and lists what differs from its header. */
async function reexecute(ledger: Ledger, block: Block, parent: BlockHeader): Promise<HeaderMismatch[]> {
  const vm = await ledger.vmAt(parent, block.header.number, block.header.timestamp);
  const r = await runBlock(vm, { block, generate: true, skipHeaderValidation: true, skipBlockValidation: true, setHardfork: true });
  const h = block.header;
  const out: HeaderMismatch[] = [];
  const bytesField = (field: HeaderMismatch['field'], claimed: Uint8Array, computed: Uint8Array) => {
    if (!equalsBytes(claimed, computed)) out.push({ field, block: bytesToHex(claimed), computed: bytesToHex(computed) });
  };
  bytesField('stateRoot', h.stateRoot, r.stateRoot);
  bytesField('receiptsRoot', h.receiptTrie, r.receiptsRoot);
  bytesField('logsBloom', h.logsBloom, r.logsBloom);
  if (h.gasUsed !== r.gasUsed) out.push({ field: 'gasUsed', block: String(h.gasUsed), computed: String(r.gasUsed) });
  return out;
}

/** Remove a database this import created and could not put a single block in. */
function removeDb(file: string, dirToRemove: string | null): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
  if (dirToRemove && existsSync(dirToRemove) && readdirSync(dirToRemove).length === 0) rmdirSync(dirToRemove);
}
