/**
 * @module store/seen
 * Replay cache for envelopes (seed 000: "drops duplicates by (ts, signed hash)"): one row per
 * (source address, timestamp, signature). `add` is an atomic test-and-set, so two copies of
 * a message arriving together are still told apart. Callers prune entries older than the
 * envelope's accepted clock window.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import { BuError } from '../base';

export class SeenRepo {
  private readonly sAdd: Database.Statement<[string, number, Buffer, number]>;
  private readonly sPrune: Database.Statement<[number]>;

  constructor(db: Database.Database) {
    this.sAdd = db.prepare('INSERT INTO seen (src_key, ts, sig, seen_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');
    this.sPrune = db.prepare('DELETE FROM seen WHERE seen_at < ?');
  }

  /** Remembers (src, ts, sig); false if it was already there (a duplicate). */
  add(src: string, ts: number, sig: Uint8Array, at: number): boolean {
    if (typeof src !== 'string' || src.length === 0) throw new BuError('BAD_INPUT', 'A source address is required.');
    if (!Number.isSafeInteger(ts) || !Number.isSafeInteger(at)) throw new BuError('BAD_INPUT', 'Timestamps must be integers.');
    if (!(sig instanceof Uint8Array) || sig.length === 0) throw new BuError('BAD_INPUT', 'A signature is required.');
    return this.sAdd.run(src.toLowerCase(), ts, Buffer.from(sig.buffer, sig.byteOffset, sig.byteLength), at).changes === 1;
  }

  /** Forgets entries first seen before `olderThan`; returns how many were removed. */
  prune(olderThan: number): number {
    if (!Number.isSafeInteger(olderThan)) throw new BuError('BAD_INPUT', 'A timestamp must be an integer.');
    return this.sPrune.run(olderThan).changes;
  }
}
