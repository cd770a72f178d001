/**
 * @module chain/ledger
 * The ledger: blocks, receipts and Merkle-Patricia state on disk (chain-db.ts, trie-db.ts),
 * executed by @ethereumjs/vm. It does not decide *which* blocks exist; a producer does
 * (the devnet's in-process producer now, POE sealing later) through two calls:
 *
 *   buildBlock({ txs, timestamp, coinbase, prevRandao, extraData })  → a candidate block,
 *       executed on top of the head, with receipts; nothing is stored yet
 *   commit(candidate)      → stores it and moves the head, in one SQLite transaction
 *   importBlock(block)     → re-executes someone else's block on top of the head and
 *       refuses it unless state root, receipts root, bloom and gas used all match
 *   checkBlock(block)      → the same checks without storing (a sealer's or voter's check)
 *
 * Producers may store their own data with a block in the same transaction (`aux`: POE keeps
 * the block's consensus body and finality certificate there). `readOnly` opens a reader of
 * another process's or thread's database (the sealing worker): it can check blocks against
 * the head it last `refresh()`ed, never write. `precompiles` adds the chain's own
 * precompiled contracts (POE's BLS verifier) to every VM the ledger makes.
 *
 * All writes go through one queue, so building, importing and committing never interleave.
 * Readers (RPC) use `stateAt(header)`: a private state manager over a scratch trie layer,
 * so eth_call and estimateGas never touch the head's state.
 */
import { createBlockFromRLP, type Block, type BlockHeader } from '@ethereumjs/block';
import type { Common } from '@ethereumjs/common';
import { MerklePatriciaTrie } from '@ethereumjs/mpt';
import { MerkleStateManager } from '@ethereumjs/statemanager';
import type { TypedTransaction } from '@ethereumjs/tx';
import { ValueEncoding, bytesToHex, type Address, type WithdrawalData } from '@ethereumjs/util';
import type { CustomPrecompile } from '@ethereumjs/evm';
import { buildBlock, createVM, runBlock, type TxReceipt, type VM } from '@ethereumjs/vm';
import { BuError, TypedEmitter, silentLogger, type Logger } from '../base';
import { ChainDb } from './chain-db';
import { commonFromGenesis, genesisBlock, genesisState, parseGenesis, type GethGenesis } from './genesis';
import { decodeReceipts, encodeReceipts, type StoredReceipt } from './receipts';
import { TrieDb } from './trie-db';
import { fastAdder } from './fast-add';
import { checkHeader } from './header-rules';

export { checkHeader };

export type LedgerOptions = {
  /** The database file (`<data>/chain/chain.db`), or ':memory:'. */
  file: string;
  /** Required for a new ledger; for an existing one it must match the stored genesis. */
  genesis?: GethGenesis;
  logger?: Logger;
  nativeBinding?: string;
  /** Open another writer's database to read and check blocks only (no genesis creation). */
  readOnly?: boolean;
  /** The chain's own precompiles, active in every VM of this ledger (building, importing, eth_call). */
  precompiles?: CustomPrecompile[];
};

/** Producer data stored with a block in its commit transaction (kind → bytes). */
export type BlockAux = Record<string, Uint8Array>;

export type BuildInput = {
  /** Candidates in the order to try; ones that do not fit or fail are left out. */
  txs: TypedTransaction[];
  timestamp: bigint;
  coinbase: Address;
  prevRandao: Uint8Array;
  extraData?: Uint8Array;
  gasLimit?: bigint;
  /** EIP-4895 withdrawals (POE pays its rewards this way); none by default. */
  withdrawals?: WithdrawalData[];
};

export type Candidate = {
  block: Block;
  receipts: TxReceipt[];
  /** Candidates that could not be included, with the reason (the pool drops or keeps them). */
  skipped: { tx: TypedTransaction; reason: string }[];
};

export type LedgerEvents = { head: Block };

/** Hook run inside the commit transaction (the mempool removes included transactions). */
export type CommitHook = (block: Block) => void;

export class Ledger {
  readonly events = new TypedEmitter<LedgerEvents>();
  private headBlock!: Block;
  private queue: Promise<unknown> = Promise.resolve();
  private commitHooks: CommitHook[] = [];
  private forkCommons = new Map<string, Common>();
  /** The block whose execution the trie overlay holds (null once the overlay was dropped). */
  private built: Block | null = null;

  private constructor(
    readonly db: ChainDb,
    readonly genesis: GethGenesis,
    readonly common: Common,
    private readonly trieDb: TrieDb,
    private readonly vm: VM,
    readonly genesisHash: Uint8Array,
    private readonly logger: Logger,
    private readonly precompiles: CustomPrecompile[] | undefined,
    readonly readOnly: boolean,
  ) {}

  static async open(opts: LedgerOptions): Promise<Ledger> {
    const logger = opts.logger ?? silentLogger;
    const db = new ChainDb(opts.file, { nativeBinding: opts.nativeBinding, readOnly: opts.readOnly });
    try {
      const stored = db.meta('genesis');
      if (opts.readOnly && !db.meta('genesis-hash')) throw new BuError('BAD_INPUT', `No chain in ${opts.file} yet.`);
      const genesis = opts.genesis ?? (stored ? parseGenesis(stored.toString('utf8')) : undefined);
      if (!genesis) throw new BuError('BAD_INPUT', `No chain in ${opts.file}: give a genesis file to create one.`);
      const common = commonFromGenesis(genesis);
      const trieDb = new TrieDb(db);
      const stateManager = new MerkleStateManager({ trie: newTrie(trieDb, common), common });
      const adapter = new ChainAdapter(db, common);
      const vm = await createVM({ common, stateManager, blockchain: adapter, evmOpts: evmOptions(opts.precompiles) });

      let genesisHash: Uint8Array;
      if (!db.meta('genesis-hash')) {
        await stateManager.generateCanonicalGenesis(genesisState(genesis));
        const g = genesisBlock(common, await stateManager.getStateRoot());
        genesisHash = g.hash();
        db.atomic(() => {
          trieDb.flush();
          db.putBlock(g.hash(), 0, g.serialize());
          db.setCanonical(0, g.hash());
          db.putReceipts(g.hash(), encodeReceipts([], []));
          db.setMeta('genesis', JSON.stringify(genesis));
          db.setMeta('genesis-hash', g.hash());
          db.setMeta('head', g.hash());
        });
        trieDb.clear();
        logger.info('chain created', { chainId: Number(common.chainId()), genesis: bytesToHex(g.hash()) });
      } else {
        genesisHash = new Uint8Array(db.meta('genesis-hash')!);
        if (opts.genesis && stored && !sameGenesis(opts.genesis, stored.toString('utf8'))) {
          throw new BuError('BAD_INPUT', `${opts.file} holds a different chain than this genesis file.`);
        }
      }
      const ledger = new Ledger(db, genesis, common, trieDb, vm, genesisHash, logger, opts.precompiles, opts.readOnly ?? false);
      adapter.ledger = ledger;
      const head = db.meta('head');
      ledger.headBlock = ledger.blockByHash(head!) ?? failCorrupt('head block missing');
      await stateManager.setStateRoot(ledger.headBlock.header.stateRoot);
      return ledger;
    } catch (err) {
      db.close();
      throw err;
    }
  }

  get chainId(): bigint {
    return this.common.chainId();
  }
  get head(): Block {
    return this.headBlock;
  }

  onCommit(hook: CommitHook): void {
    this.commitHooks.push(hook);
  }

  // ---- reads -------------------------------------------------------------------------

  blockByHash(hash: Uint8Array): Block | undefined {
    const row = this.db.block(hash);
    return row ? createBlockFromRLP(row.rlp, { common: this.commonAt(BigInt(row.number), undefined), setHardfork: true }) : undefined;
  }

  blockByNumber(n: bigint): Block | undefined {
    if (n < 0n || n > this.headBlock.header.number) return undefined;
    if (n === this.headBlock.header.number) return this.headBlock;
    const hash = this.db.canonical(Number(n));
    return hash ? this.blockByHash(hash) : undefined;
  }

  /** True when the block is on the canonical chain (not a stored side block). */
  isCanonical(block: Block): boolean {
    const h = this.db.canonical(Number(block.header.number));
    return !!h && Buffer.compare(h, block.hash()) === 0;
  }

  receipts(block: Block): StoredReceipt[] {
    const data = this.db.receipts(block.hash());
    return data ? decodeReceipts(data) : [];
  }

  txLocation(hash: Uint8Array): { block: Block; index: number } | undefined {
    const loc = this.db.tx(hash);
    if (!loc) return undefined;
    const block = this.blockByNumber(BigInt(loc.block_number));
    return block ? { block, index: loc.idx } : undefined;
  }

  /**
   * A Common set to the fork active at a block. Shared per fork (copying a Common deep-copies
   * its parameters, ~ms each): callers must not change it; ethereumjs copies it for itself.
   */
  commonAt(number: bigint, timestamp: bigint | undefined): Common {
    const fork = this.common.getHardforkBy({ blockNumber: number, timestamp });
    let c = this.forkCommons.get(fork);
    if (!c) {
      c = this.common.copy();
      c.setHardfork(fork);
      this.forkCommons.set(fork, c);
    }
    return c;
  }

  /** A private state manager at a header's state root (reads never see later writes). */
  stateAt(header: BlockHeader): MerkleStateManager {
    const common = this.commonAt(header.number, header.timestamp);
    const trie = newTrie(this.trieDb.scratch(), common, header.stateRoot);
    return new MerkleStateManager({ trie, common });
  }

  /** A VM for read-only execution (eth_call, estimateGas, access lists) on top of `header`. */
  async vmAt(header: BlockHeader, forNumber = header.number + 1n, forTimestamp = header.timestamp + 1n): Promise<VM> {
    const common = this.commonAt(forNumber, forTimestamp);
    const stateManager = this.stateAt(header);
    return createVM({ common, stateManager, blockchain: new ChainAdapter(this.db, common, this), evmOpts: evmOptions(this.precompiles) });
  }

  /** Data a producer stored with a block (see commit/importBlock `aux`). */
  aux(blockHash: Uint8Array, kind: string): Uint8Array | undefined {
    return this.db.aux(blockHash, kind);
  }

  /** A reader catches up with the writer's head (a no-op for the writer itself). */
  refresh(): Promise<Block> {
    return this.exclusive(async () => {
      const hash = this.db.meta('head');
      if (hash && !equalBytes(hash, this.headBlock.hash())) {
        this.headBlock = this.blockByHash(hash) ?? failCorrupt('head block missing');
        await this.resetToHead();
      }
      return this.headBlock;
    });
  }

  // ---- writes ------------------------------------------------------------------------

  /** Execute candidates on top of the head into a new block (not stored; see commit). */
  buildBlock(input: BuildInput): Promise<Candidate> {
    return this.exclusive(async () => {
      if (this.built) await this.resetToHead(); // an earlier candidate's state: build on the head's
      const parent = this.headBlock;
      const number = parent.header.number + 1n;
      this.vm.common.setHardforkBy({ blockNumber: number, timestamp: input.timestamp });
      const builder = await buildBlock(this.vm, {
        parentBlock: parent,
        headerData: {
          number,
          timestamp: input.timestamp,
          coinbase: input.coinbase,
          mixHash: input.prevRandao,
          extraData: input.extraData,
          gasLimit: input.gasLimit ?? parent.header.gasLimit,
          parentBeaconBlockRoot: this.vm.common.isActivatedEIP(4788) ? new Uint8Array(32) : undefined,
        },
        blockOpts: { putBlockIntoBlockchain: false, setHardfork: true, calcDifficultyFromHeader: parent.header },
        withdrawals: this.vm.common.isActivatedEIP(4895) ? (input.withdrawals ?? []) : undefined,
      });
      const skipped: Candidate['skipped'] = [];
      const add = fastAdder(this.vm, builder);
      try {
        for (const tx of input.txs) {
          if (builder.gasUsed + tx.gasLimit > parent.header.gasLimit) {
            skipped.push({ tx, reason: 'block full' });
            continue;
          }
          try {
            await add(tx);
          } catch (err) {
            skipped.push({ tx, reason: (err as Error).message });
          }
        }
        const { block } = await builder.build();
        this.built = block;
        return { block, receipts: builder.transactionReceipts, skipped };
      } catch (err) {
        await this.resetToHead();
        throw err;
      }
    });
  }

  /** Store a candidate from buildBlock() and make it the head. */
  commit(candidate: Candidate, aux?: BlockAux): Promise<Block> {
    return this.exclusive(async () => {
      this.writable();
      if (!equalBytes(candidate.block.header.parentHash, this.headBlock.hash())) {
        await this.resetToHead();
        throw new BuError('INTERNAL', 'The candidate block no longer extends the head.');
      }
      // Other work since buildBlock (a checkBlock, another build) dropped its overlay: re-execute.
      const receipts = this.built === candidate.block ? candidate.receipts : await this.execute(candidate.block);
      this.persist(candidate.block, receipts, aux);
      return candidate.block;
    });
  }

  /** Execute a block produced elsewhere on top of the head and store it if it checks out. */
  importBlock(block: Block, aux?: BlockAux): Promise<Block> {
    return this.exclusive(async () => {
      this.writable();
      const receipts = await this.execute(block);
      this.persist(block, receipts, aux);
      return block;
    });
  }

  /**
   * importBlock's checks (header rules against the head, re-execution, state and receipt
   * roots, bloom, gas) without storing anything. Throws BAD_INPUT when the block is invalid.
   */
  checkBlock(block: Block | Uint8Array): Promise<TxReceipt[]> {
    return this.exclusive(async () => {
      const b = block instanceof Uint8Array ? this.decodeBlock(block) : block;
      try {
        return await this.execute(b);
      } finally {
        await this.resetToHead();
      }
    });
  }

  /** Decode a block's RLP with the fork rules of its number (BAD_INPUT when malformed). */
  decodeBlock(rlp: Uint8Array): Block {
    try {
      const number = this.headBlock.header.number + 1n;
      return createBlockFromRLP(rlp, { common: this.commonAt(number, undefined), setHardfork: true });
    } catch (err) {
      throw new BuError('BAD_INPUT', `Malformed block: ${(err as Error).message}`);
    }
  }

  private async execute(block: Block): Promise<TxReceipt[]> {
    const parent = this.headBlock;
    checkHeader(block.header, parent.header);
    const result = await runBlock(this.vm, {
      block,
      root: parent.header.stateRoot,
      setHardfork: true,
      skipHeaderValidation: true,
    }).catch(async (err: Error) => {
      await this.resetToHead();
      throw new BuError('BAD_INPUT', `Block ${block.header.number} is invalid: ${err.message}`);
    });
    return result.receipts;
  }

  private writable(): void {
    if (this.readOnly) throw new BuError('INTERNAL', 'This ledger is open read-only.');
  }

  /** Let queued writes finish (shutdown, tests). */
  async idle(): Promise<void> {
    await this.queue.catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.idle();
    this.db.close();
  }

  private persist(block: Block, receipts: TxReceipt[], aux?: BlockAux): void {
    const hash = block.hash();
    const number = Number(block.header.number);
    this.db.atomic(() => {
      this.trieDb.flush();
      this.db.putBlock(hash, number, block.serialize());
      this.db.setCanonical(number, hash);
      this.db.putReceipts(hash, encodeReceipts(receipts, block.transactions.map((t) => t.type)));
      let logIndex = 0;
      block.transactions.forEach((tx, i) => {
        this.db.putTx(tx.hash(), number, i);
        for (const [address, topics] of receipts[i]?.logs ?? []) this.db.putLog(number, logIndex++, address, topics);
      });
      for (const [kind, value] of Object.entries(aux ?? {})) this.db.putAux(hash, kind, value);
      this.db.setMeta('head', hash);
      for (const hook of this.commitHooks) hook(block);
    });
    this.trieDb.clear();
    this.built = null;
    this.headBlock = block;
    this.logger.debug('block committed', { number, txs: block.transactions.length });
    this.events.emit('head', block);
  }

  private async resetToHead(): Promise<void> {
    this.built = null;
    this.trieDb.clear();
    await this.vm.stateManager.setStateRoot(this.headBlock.header.stateRoot, true);
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function evmOptions(precompiles: CustomPrecompile[] | undefined): { customPrecompiles: CustomPrecompile[] } | undefined {
  return precompiles && precompiles.length > 0 ? { customPrecompiles: precompiles } : undefined;
}

function newTrie(db: TrieDb, common: Common, root?: Uint8Array): MerklePatriciaTrie {
  return new MerklePatriciaTrie({ db, root, useKeyHashing: true, valueEncoding: ValueEncoding.Bytes, common, cacheSize: 0 });
}

function sameGenesis(a: GethGenesis, storedJson: string): boolean {
  return JSON.stringify(a) === storedJson;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
}

function failCorrupt(what: string): never {
  throw new BuError('INTERNAL', `The chain database is damaged (${what}).`);
}

/** What the EVM needs of a blockchain: BLOCKHASH lookups by number. */
class ChainAdapter {
  constructor(
    private readonly db: ChainDb,
    private readonly common: Common,
    public ledger?: Ledger,
  ) {}
  async getBlock(id: number | bigint | Uint8Array): Promise<Block> {
    const block = id instanceof Uint8Array ? this.ledger?.blockByHash(id) : this.ledger?.blockByNumber(BigInt(id));
    if (!block) throw new Error(`block ${String(id)} not found`);
    return block;
  }
  async putBlock(): Promise<void> {}
  shallowCopy(): ChainAdapter {
    return this;
  }
}
