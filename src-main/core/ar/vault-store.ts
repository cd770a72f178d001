/**
 * @module ar/vault-store
 * The router's vault: at most one opaque blob per client identity (the chat keeps its
 * encrypted, signed contact list there, chat/roster-blob.ts), so an account restored on a new
 * machine gets its friends back — seed 000's "mail follows the credential" for the contact list.
 *
 * A blob is keyed by the address the client proved in its session handshake, never by anything
 * in the request, so one client can neither read nor replace another's. The highest version
 * wins: a PUT whose version is not above the stored one changes nothing (an identical re-PUT of
 * the stored version only refreshes its expiry), which makes retries idempotent and rolls
 * nothing back. Blobs expire `ttlMs` after their last PUT; the number of blobs and their total
 * size are capped.
 *
 * Same SQLite database as the mailbox (a table of its own, `vault_blobs`), so it shares its
 * file, WAL journal and synchronous=FULL: VAULT_STORED is only sent once the blob is durable.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { BuError } from '../base';
import { sha256 } from '../crypto';

export type VaultLimits = { ttlMs: number; maxBlobBytes: number; maxEntries: number; maxBytes: number };

export type VaultEntry = { owner: string; version: number; blob: Uint8Array; storedAt: number; expiresAt: number };

export type VaultPutResult =
  /** `version` is what the router holds now; `changed` is false when the PUT was not newer. */
  | { ok: true; version: number; changed: boolean; refreshed: boolean }
  | { ok: false; code: 'TOO_LARGE' | 'FULL' };

type Row = { owner: string; version: number; stored_at: number; expires_at: number; size: number; digest: Buffer; blob: Buffer };

const SCHEMA = `
CREATE TABLE IF NOT EXISTS vault_blobs (
  owner TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  stored_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  size INTEGER NOT NULL,
  digest BLOB NOT NULL,
  blob BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS vault_by_expiry ON vault_blobs (expires_at);
`;

export class VaultStore {
  private entries: number;
  private bytes: number;
  private readonly q: {
    get: Database.Statement;
    upsert: Database.Statement;
    refresh: Database.Statement;
    purge: Database.Statement;
    usage: Database.Statement;
  };

  private constructor(
    private readonly db: Database.Database,
    private readonly limits: VaultLimits,
    private readonly owned: boolean,
  ) {
    db.exec(SCHEMA);
    this.q = {
      get: db.prepare('SELECT owner, version, stored_at, expires_at, size, digest, blob FROM vault_blobs WHERE owner = ?'),
      upsert: db.prepare(
        'INSERT INTO vault_blobs (owner, version, stored_at, expires_at, size, digest, blob) VALUES (?, ?, ?, ?, ?, ?, ?) ' +
          'ON CONFLICT (owner) DO UPDATE SET version = excluded.version, stored_at = excluded.stored_at, expires_at = excluded.expires_at, ' +
          'size = excluded.size, digest = excluded.digest, blob = excluded.blob',
      ),
      refresh: db.prepare('UPDATE vault_blobs SET expires_at = ? WHERE owner = ?'),
      purge: db.prepare('DELETE FROM vault_blobs WHERE expires_at <= ? RETURNING size'),
      usage: db.prepare('SELECT count(*) AS n, total(size) AS bytes FROM vault_blobs'),
    };
    const u = this.q.usage.get() as { n: number; bytes: number };
    this.entries = u.n;
    this.bytes = u.bytes;
  }

  /** The vault table inside an already open database (the mailbox's); closing it is the owner's job. */
  static attach(db: Database.Database, limits: VaultLimits): VaultStore {
    try {
      return new VaultStore(db, limits, false);
    } catch (e) {
      throw new BuError('INTERNAL', `The router vault could not be opened: ${(e as Error).message}`, { cause: e });
    }
  }

  /** A database of its own (tests), in memory. */
  static memory(limits: VaultLimits, opts: { nativeBinding?: string } = {}): VaultStore {
    return new VaultStore(new Database(':memory:', opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}), limits, true);
  }

  /** Keep `blob` as `owner`'s if `version` is newer than what is held (durable when this returns). */
  put(owner: string, version: number, blob: Uint8Array, now: number): VaultPutResult {
    if (blob.length === 0 || blob.length > this.limits.maxBlobBytes) return { ok: false, code: 'TOO_LARGE' };
    const key = owner.toLowerCase();
    return this.db
      .transaction((): VaultPutResult => {
        const old = this.live(key, now);
        const digest = sha256(blob);
        if (old && version <= old.version) {
          // a retry of what is held keeps it alive; anything older or different changes nothing
          const same = version === old.version && Buffer.compare(old.digest, digest) === 0;
          if (same) this.q.refresh.run(now + this.limits.ttlMs, key);
          return { ok: true, version: old.version, changed: false, refreshed: same };
        }
        // an expired row of this owner is still counted until purged: replacing it frees its bytes
        const fits = (p: Row | undefined) => this.entries + (p ? 0 : 1) <= this.limits.maxEntries && this.bytes - (p?.size ?? 0) + blob.length <= this.limits.maxBytes;
        let prior = this.q.get.get(key) as Row | undefined;
        if (!fits(prior)) {
          this.purgeExpired(now);
          prior = this.q.get.get(key) as Row | undefined;
          if (!fits(prior)) return { ok: false, code: 'FULL' };
        }
        this.q.upsert.run(key, version, now, now + this.limits.ttlMs, blob.length, digest, blob);
        if (prior) this.bytes -= prior.size;
        else this.entries++;
        this.bytes += blob.length;
        return { ok: true, version, changed: true, refreshed: true };
      })
      .immediate();
  }

  /** `owner`'s live blob, or null. */
  get(owner: string, now: number): VaultEntry | null {
    const r = this.live(owner.toLowerCase(), now);
    return r ? { owner: r.owner, version: r.version, blob: new Uint8Array(r.blob), storedAt: r.stored_at, expiresAt: r.expires_at } : null;
  }

  usage(): { entries: number; bytes: number } {
    return { entries: this.entries, bytes: this.bytes };
  }

  purgeExpired(now: number): number {
    const rows = this.q.purge.all(now) as { size: number }[];
    for (const r of rows) this.bytes -= r.size;
    this.entries -= rows.length;
    return rows.length;
  }

  close(): void {
    if (this.owned && this.db.open) this.db.close();
  }

  private live(key: string, now: number): Row | null {
    const r = this.q.get.get(key) as Row | undefined;
    return r && r.expires_at > now ? r : null;
  }
}
