/**
 * @module store/ratchets
 * Persistence for offline delivery: one serialized Double Ratchet state per peer, and our
 * signed prekeys (secret + the published bundle). Blobs are opaque here (core/ratchet owns
 * their format); the database itself is encrypted.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import { addressKey } from './address';

export type PrekeyRow = { id: number; secret: Uint8Array; bundle: Uint8Array; createdAt: number };

export class RatchetsRepo {
  private readonly sGet: Database.Statement<[string], { state: Buffer }>;
  private readonly sPut: Database.Statement<[string, Buffer, number]>;
  private readonly sPrekeys: Database.Statement<[], { id: number; secret: Buffer; bundle: Buffer; created_at: number }>;
  private readonly sAddPrekey: Database.Statement<[number, Buffer, Buffer, number]>;
  private readonly sPrunePrekeys: Database.Statement<[number]>;
  private readonly sDeletePrekey: Database.Statement<[number]>;

  constructor(db: Database.Database) {
    this.sGet = db.prepare('SELECT state FROM ratchets WHERE peer_key = ?');
    this.sPut = db.prepare(
      'INSERT INTO ratchets (peer_key, state, updated_at) VALUES (?, ?, ?) ON CONFLICT (peer_key) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at',
    );
    this.sPrekeys = db.prepare('SELECT id, secret, bundle, created_at FROM prekeys ORDER BY created_at DESC, id DESC');
    this.sAddPrekey = db.prepare('INSERT OR REPLACE INTO prekeys (id, secret, bundle, created_at) VALUES (?, ?, ?, ?)');
    this.sPrunePrekeys = db.prepare('DELETE FROM prekeys WHERE created_at < ?');
    this.sDeletePrekey = db.prepare('DELETE FROM prekeys WHERE id = ?');
  }

  get(peer: string): Uint8Array | null {
    const r = this.sGet.get(addressKey(peer));
    return r ? new Uint8Array(r.state) : null;
  }

  put(peer: string, state: Uint8Array, at: number): void {
    this.sPut.run(addressKey(peer), Buffer.from(state), at);
  }

  /** Newest first. */
  prekeys(): PrekeyRow[] {
    return this.sPrekeys.all().map((r) => ({ id: r.id, secret: new Uint8Array(r.secret), bundle: new Uint8Array(r.bundle), createdAt: r.created_at }));
  }

  addPrekey(p: PrekeyRow): void {
    this.sAddPrekey.run(p.id, Buffer.from(p.secret), Buffer.from(p.bundle), p.createdAt);
  }

  prunePrekeys(olderThan: number): number {
    return this.sPrunePrekeys.run(olderThan).changes;
  }

  /** Delete every prekey whose id is not in `keep` (after a rotation). */
  keepOnlyPrekeys(keep: number[]): number {
    let n = 0;
    for (const p of this.prekeys()) if (!keep.includes(p.id)) n += this.sDeletePrekey.run(p.id).changes;
    return n;
  }
}
