/**
 * @module chain/chain-db
 * The ledger's own SQLite database (`<data>/chain/chain.db`), separate from the encrypted
 * message store: chain data is public, and `bitunicom chain serve --data DIR` must open it
 * without a password. Tables follow reth's split of concerns rather than one blob store:
 *
 *   meta        key → value (genesis hash, head hash, chain config)
 *   trie_nodes  Merkle-Patricia node hash → node (and code hash → code); never deleted, so
 *               every historical state root stays readable (archive node)
 *   blocks      hash → number, RLP of the whole block
 *   canonical   number → hash (the chosen chain; a reorg rewrites rows above the fork)
 *   receipts    block hash → RLP list of compact receipts [type, status|root, cumGas, logs]
 *               (blooms are recomputed on read: 256 bytes a receipt saved)
 *   tx_index    tx hash → (block number, index)
 *   logs        (block number, log index) → address, topic0..3: the index eth_getLogs uses
 *   mempool     accepted, not yet included transactions (the pool's journal)
 *   block_aux   (block hash, kind) → bytes a producer stores with a block in its commit
 *               transaction (POE: the block's consensus body and finality certificate)
 *
 * Writes of one block happen in one IMMEDIATE transaction together with the head pointer,
 * with synchronous=FULL in WAL mode: after a crash the head is either the old block with
 * its state, or the new one with all of its rows; never a mix.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { BuError } from '../base';
import { migrate, type Migration } from '../store';

const SCHEMA: readonly Migration[] = [
  {
    version: 1,
    name: 'chain-initial',
    up(db) {
      db.exec(`
        CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
        CREATE TABLE trie_nodes (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
        CREATE TABLE blocks (hash BLOB PRIMARY KEY, number INTEGER NOT NULL, rlp BLOB NOT NULL) WITHOUT ROWID;
        CREATE TABLE canonical (number INTEGER PRIMARY KEY, hash BLOB NOT NULL);
        CREATE TABLE receipts (block_hash BLOB PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID;
        CREATE TABLE tx_index (hash BLOB PRIMARY KEY, block_number INTEGER NOT NULL, idx INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE logs (
          block_number INTEGER NOT NULL, log_index INTEGER NOT NULL, address BLOB NOT NULL,
          topic0 BLOB, topic1 BLOB, topic2 BLOB, topic3 BLOB,
          PRIMARY KEY (block_number, log_index)) WITHOUT ROWID;
        CREATE INDEX logs_by_address ON logs(address, block_number);
        CREATE INDEX logs_by_topic0 ON logs(topic0, block_number);
        CREATE TABLE mempool (
          hash BLOB PRIMARY KEY, sender BLOB NOT NULL, nonce INTEGER NOT NULL,
          raw BLOB NOT NULL, seq INTEGER NOT NULL) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 2,
    name: 'chain-block-aux',
    up(db) {
      db.exec('CREATE TABLE block_aux (hash BLOB NOT NULL, kind TEXT NOT NULL, value BLOB NOT NULL, PRIMARY KEY (hash, kind)) WITHOUT ROWID;');
    },
  },
];

export type LogRow = {
  block_number: number;
  log_index: number;
  address: Buffer;
  topic0: Buffer | null;
  topic1: Buffer | null;
  topic2: Buffer | null;
  topic3: Buffer | null;
};
export type LogQuery = { from: number; to: number; addresses: Uint8Array[]; topics: (Uint8Array[] | null)[] };
export type MempoolRow = { hash: Buffer; sender: Buffer; nonce: number; raw: Buffer; seq: number };

export type ChainDbOptions = {
  nativeBinding?: string;
  /** A reader (e.g. the sealing worker's thread) beside the process that writes: no schema changes, no writes. */
  readOnly?: boolean;
};

/** Trie nodes kept in memory (content-addressed, so a cached node is never stale). */
const NODE_CACHE_ENTRIES = 200_000;

export class ChainDb {
  readonly db: Database.Database;
  private readonly st;
  private readonly nodeCache = new Map<string, Buffer>();

  constructor(readonly file: string, opts: ChainDbOptions = {}) {
    try {
      if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
      this.db = new Database(file, {
        ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
        ...(opts.readOnly ? { readonly: true, fileMustExist: true } : {}),
      });
    } catch (err) {
      throw new BuError('INTERNAL', `The chain database could not be opened: ${(err as Error).message}`, { cause: err });
    }
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('cache_size = -65536'); // 64 MiB page cache: trie reads dominate execution
    if (!opts.readOnly) {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      migrate(this.db, SCHEMA);
    }
    const d = this.db;
    this.st = {
      metaGet: d.prepare<[string], { value: Buffer }>('SELECT value FROM meta WHERE key = ?'),
      metaPut: d.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
      nodeGet: d.prepare<[Buffer], { value: Buffer }>('SELECT value FROM trie_nodes WHERE key = ?'),
      nodePut: d.prepare('INSERT OR IGNORE INTO trie_nodes (key, value) VALUES (?, ?)'),
      blockGet: d.prepare<[Buffer], { number: number; rlp: Buffer }>('SELECT number, rlp FROM blocks WHERE hash = ?'),
      blockPut: d.prepare('INSERT OR IGNORE INTO blocks (hash, number, rlp) VALUES (?, ?, ?)'),
      canonGet: d.prepare<[number], { hash: Buffer }>('SELECT hash FROM canonical WHERE number = ?'),
      canonPut: d.prepare('INSERT INTO canonical (number, hash) VALUES (?, ?) ON CONFLICT(number) DO UPDATE SET hash = excluded.hash'),
      canonDropAbove: d.prepare('DELETE FROM canonical WHERE number > ?'),
      receiptsGet: d.prepare<[Buffer], { data: Buffer }>('SELECT data FROM receipts WHERE block_hash = ?'),
      receiptsPut: d.prepare('INSERT OR REPLACE INTO receipts (block_hash, data) VALUES (?, ?)'),
      txGet: d.prepare<[Buffer], { block_number: number; idx: number }>('SELECT block_number, idx FROM tx_index WHERE hash = ?'),
      txPut: d.prepare('INSERT OR REPLACE INTO tx_index (hash, block_number, idx) VALUES (?, ?, ?)'),
      logPut: d.prepare(
        'INSERT OR REPLACE INTO logs (block_number, log_index, address, topic0, topic1, topic2, topic3) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      logsDropAbove: d.prepare('DELETE FROM logs WHERE block_number > ?'),
      poolAll: d.prepare<[], MempoolRow>('SELECT hash, sender, nonce, raw, seq FROM mempool ORDER BY seq'),
      poolPut: d.prepare('INSERT OR REPLACE INTO mempool (hash, sender, nonce, raw, seq) VALUES (?, ?, ?, ?, ?)'),
      poolDel: d.prepare('DELETE FROM mempool WHERE hash = ?'),
      poolClear: d.prepare('DELETE FROM mempool'),
      counts: d.prepare<[], { n: number }>('SELECT count(*) AS n FROM trie_nodes'),
      auxGet: d.prepare<[Buffer, string], { value: Buffer }>('SELECT value FROM block_aux WHERE hash = ? AND kind = ?'),
      auxPut: opts.readOnly ? null : d.prepare('INSERT OR REPLACE INTO block_aux (hash, kind, value) VALUES (?, ?, ?)'),
    };
  }

  /** Run `fn` in one IMMEDIATE transaction (all its writes land together or not at all). */
  atomic<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  meta(key: string): Buffer | undefined {
    return this.st.metaGet.get(key)?.value;
  }
  setMeta(key: string, value: Uint8Array | string): void {
    this.st.metaPut.run(key, typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value));
  }

  node(key: Uint8Array): Buffer | undefined {
    const k = asBuf(key);
    const id = k.toString('latin1');
    const hit = this.nodeCache.get(id);
    if (hit) {
      // Refresh its place in the LRU order.
      this.nodeCache.delete(id);
      this.nodeCache.set(id, hit);
      return hit;
    }
    const v = this.st.nodeGet.get(k)?.value;
    if (v) this.cacheNode(id, v);
    return v;
  }
  putNode(key: Uint8Array, value: Uint8Array): void {
    const v = asBuf(value);
    this.st.nodePut.run(asBuf(key), v);
    this.cacheNode(asBuf(key).toString('latin1'), Buffer.from(v));
  }
  private cacheNode(id: string, v: Buffer): void {
    this.nodeCache.set(id, v);
    if (this.nodeCache.size > NODE_CACHE_ENTRIES) this.nodeCache.delete(this.nodeCache.keys().next().value!);
  }
  nodeCount(): number {
    return this.st.counts.get()?.n ?? 0;
  }

  block(hash: Uint8Array): { number: number; rlp: Buffer } | undefined {
    return this.st.blockGet.get(asBuf(hash));
  }
  putBlock(hash: Uint8Array, number: number, rlp: Uint8Array): void {
    this.st.blockPut.run(asBuf(hash), number, asBuf(rlp));
  }
  canonical(number: number): Buffer | undefined {
    return this.st.canonGet.get(number)?.hash;
  }
  setCanonical(number: number, hash: Uint8Array): void {
    this.st.canonPut.run(number, asBuf(hash));
  }
  /** Forget the canonical chain (and its log index) above `number`: used by a reorg or reset. */
  truncateAbove(number: number): void {
    this.st.canonDropAbove.run(number);
    this.st.logsDropAbove.run(number);
  }

  receipts(blockHash: Uint8Array): Buffer | undefined {
    return this.st.receiptsGet.get(asBuf(blockHash))?.data;
  }
  putReceipts(blockHash: Uint8Array, data: Uint8Array): void {
    this.st.receiptsPut.run(asBuf(blockHash), asBuf(data));
  }
  tx(hash: Uint8Array): { block_number: number; idx: number } | undefined {
    return this.st.txGet.get(asBuf(hash));
  }
  putTx(hash: Uint8Array, blockNumber: number, idx: number): void {
    this.st.txPut.run(asBuf(hash), blockNumber, idx);
  }
  putLog(blockNumber: number, logIndex: number, address: Uint8Array, topics: Uint8Array[]): void {
    const t = (i: number) => (topics[i] ? asBuf(topics[i]) : null);
    this.st.logPut.run(blockNumber, logIndex, asBuf(address), t(0), t(1), t(2), t(3));
  }

  /**
   * Candidate log positions for an eth_getLogs filter: addresses OR-ed, each topic position
   * an OR-list (null = any). Ordered by (block, log index).
   */
  findLogs(q: LogQuery, limit: number): LogRow[] {
    const where: string[] = ['block_number BETWEEN ? AND ?'];
    const args: unknown[] = [q.from, q.to];
    if (q.addresses.length > 0) {
      where.push(`address IN (${q.addresses.map(() => '?').join(',')})`);
      args.push(...q.addresses.map(asBuf));
    }
    q.topics.slice(0, 4).forEach((alts, i) => {
      if (!alts || alts.length === 0) return;
      where.push(`topic${i} IN (${alts.map(() => '?').join(',')})`);
      args.push(...alts.map(asBuf));
    });
    const sql = `SELECT * FROM logs WHERE ${where.join(' AND ')} ORDER BY block_number, log_index LIMIT ${limit + 1}`;
    return this.db.prepare<unknown[], LogRow>(sql).all(...args);
  }

  /** Producer data stored with a block (see block_aux). */
  aux(blockHash: Uint8Array, kind: string): Buffer | undefined {
    return this.st.auxGet.get(asBuf(blockHash), kind)?.value;
  }
  putAux(blockHash: Uint8Array, kind: string, value: Uint8Array): void {
    if (!this.st.auxPut) throw new BuError('INTERNAL', 'The chain database is open read-only.');
    this.st.auxPut.run(asBuf(blockHash), kind, asBuf(value));
  }

  mempool(): MempoolRow[] {
    return this.st.poolAll.all();
  }
  putPoolTx(hash: Uint8Array, sender: Uint8Array, nonce: bigint, raw: Uint8Array, seq: number): void {
    this.st.poolPut.run(asBuf(hash), asBuf(sender), Number(nonce), asBuf(raw), seq);
  }
  dropPoolTx(hash: Uint8Array): void {
    this.st.poolDel.run(asBuf(hash));
  }
  clearPool(): void {
    this.st.poolClear.run();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function asBuf(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}
