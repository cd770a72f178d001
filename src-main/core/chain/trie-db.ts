/**
 * @module chain/trie-db
 * The key/value DB the Merkle-Patricia trie (@ethereumjs/mpt) writes its nodes to. Writes
 * go to an in-memory overlay until the ledger commits a block; `flush()` then writes them
 * inside that block's SQLite transaction. So a block's state is on disk exactly when the
 * block and the head pointer are, and a crash in the middle of execution leaves nothing.
 * Nodes are content-addressed (key = keccak of the node), so an overlay left over from a
 * discarded block is harmless; `discard()` just frees it.
 *
 * Keys arrive as unprefixed hex strings (the trie's KeyEncoding.String) and are stored as
 * bytes. Values are requested as bytes (the ledger opens the trie with ValueEncoding.Bytes).
 */
import type { BatchDBOp, DB, EncodingOpts } from '@ethereumjs/util';
import type { ChainDb } from './chain-db';

type Key = string | Uint8Array;
type Val = string | Uint8Array;

export class TrieDb implements DB<string, Val> {
  private overlay: Map<string, Uint8Array>;

  constructor(
    private readonly chain: ChainDb,
    overlay?: Map<string, Uint8Array>,
    private readonly parent?: TrieDb,
  ) {
    this.overlay = overlay ?? new Map();
  }

  async get(key: Key, opts?: EncodingOpts): Promise<Val | undefined> {
    const k = keyHex(key);
    const v = this.lookup(k);
    if (v === undefined) return undefined;
    return opts?.valueEncoding === 'string' ? Buffer.from(v).toString('hex') : new Uint8Array(v);
  }

  async put(key: Key, val: Val): Promise<void> {
    this.overlay.set(keyHex(key), typeof val === 'string' ? Buffer.from(val, 'hex') : val);
  }

  /** Nodes are never deleted: older state roots stay readable (pruning is a later concern). */
  async del(): Promise<void> {}

  async batch(ops: BatchDBOp<string, Val>[]): Promise<void> {
    for (const op of ops) if (op.type === 'put') await this.put(op.key, op.value as Val);
  }

  private lookup(k: string): Uint8Array | undefined {
    return this.overlay.get(k) ?? (this.parent ? this.parent.lookup(k) : this.chain.node(Buffer.from(k, 'hex')));
  }

  /** Shares the overlay and the database: the trie's storage sub-tries. */
  shallowCopy(): TrieDb {
    return new TrieDb(this.chain, this.overlay, this.parent);
  }

  /**
   * A throw-away layer for read-only work (eth_call, estimateGas, proofs): reads see this
   * DB's overlay and the disk, writes stay in the scratch layer and are never flushed.
   */
  scratch(): TrieDb {
    return new TrieDb(this.chain, new Map(), this);
  }

  async open(): Promise<void> {}

  get pending(): number {
    return this.overlay.size;
  }

  /** Write the overlay to SQLite. Call inside the block's ChainDb.atomic() transaction. */
  flush(): void {
    for (const [k, v] of this.overlay) this.chain.putNode(Buffer.from(k, 'hex'), v);
  }

  /** Forget the overlay: after flush() committed, or when a block is discarded. */
  clear(): void {
    this.overlay.clear();
  }
}

function keyHex(key: Key): string {
  return typeof key === 'string' ? (key.startsWith('0x') ? key.slice(2) : key) : Buffer.from(key).toString('hex');
}
