/**
 * @module ar/mailbox-store
 * The router's store-and-forward mailbox (seed 000: "AR can provide extra services, caching the
 * message for a period of time … when AR receives connection request from B, AR redirects the
 * encrypted messages to B and empties the queue"). Items are opaque ciphertext blobs for one
 * recipient, kept until acknowledged or expired (TTL), under per-recipient, per-sender and
 * total quotas.
 *
 * Storage is SQLite (better-sqlite3-multiple-ciphers, already the app's database library),
 * unencrypted — the blobs are end-to-end ciphertext — with WAL and synchronous=FULL so a
 * MAILBOX_STORED reply is only sent after the item is durable; `:memory:` when no file is given.
 * A retried PUT of the same blob for the same recipient returns the stored item (UNIQUE digest).
 */
import { closeSync, openSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { BuError, toHex } from '../base';
import { randomBytes, sha256 } from '../crypto';

export type MailboxLimits = {
  ttlMs: number;
  maxItemsPerRecipient: number;
  maxBytesPerRecipient: number;
  maxItemsPerSender: number;
  maxBytesPerSender: number;
  maxBytes: number;
};

export type MailboxItem = { id: string; recipient: string; sender: string; receivedAt: number; expiresAt: number; blob: Uint8Array };

export type PutResult = { ok: true; id: string; expiresAt: number; duplicate: boolean } | { ok: false; code: 'QUOTA' | 'FULL' };

type Row = { id: string; recipient: string; sender: string; received_at: number; expires_at: number; size: number; blob: Buffer };

const SCHEMA = `
CREATE TABLE IF NOT EXISTS mailbox_items (
  id TEXT PRIMARY KEY,
  recipient TEXT NOT NULL,
  sender TEXT NOT NULL,
  digest BLOB NOT NULL,
  received_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  size INTEGER NOT NULL,
  blob BLOB NOT NULL,
  UNIQUE (recipient, digest)
);
CREATE INDEX IF NOT EXISTS mailbox_by_recipient ON mailbox_items (recipient, received_at);
CREATE INDEX IF NOT EXISTS mailbox_by_sender ON mailbox_items (sender);
CREATE INDEX IF NOT EXISTS mailbox_by_expiry ON mailbox_items (expires_at);
`;

export class MailboxStore {
  private total: number;
  private readonly q: {
    byDigest: Database.Statement;
    usageOfRecipient: Database.Statement;
    usageOfSender: Database.Statement;
    insert: Database.Statement;
    pending: Database.Statement;
    del: Database.Statement;
    purge: Database.Statement;
    total: Database.Statement;
  };

  private constructor(
    private readonly db: Database.Database,
    private readonly limits: MailboxLimits,
  ) {
    db.exec(SCHEMA);
    this.q = {
      byDigest: db.prepare('SELECT id, expires_at FROM mailbox_items WHERE recipient = ? AND digest = ?'),
      usageOfRecipient: db.prepare('SELECT count(*) AS n, total(size) AS bytes FROM mailbox_items WHERE recipient = ? AND expires_at > ?'),
      usageOfSender: db.prepare('SELECT count(*) AS n, total(size) AS bytes FROM mailbox_items WHERE sender = ? AND expires_at > ?'),
      insert: db.prepare(
        'INSERT INTO mailbox_items (id, recipient, sender, digest, received_at, expires_at, size, blob) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ' +
          'ON CONFLICT (recipient, digest) DO UPDATE SET id = excluded.id, sender = excluded.sender, received_at = excluded.received_at, expires_at = excluded.expires_at',
      ),
      pending: db.prepare('SELECT id, recipient, sender, received_at, expires_at, size, blob FROM mailbox_items WHERE recipient = ? AND expires_at > ? ORDER BY received_at, rowid'),
      del: db.prepare('DELETE FROM mailbox_items WHERE recipient = ? AND id = ? RETURNING size'),
      purge: db.prepare('DELETE FROM mailbox_items WHERE expires_at <= ? RETURNING size'),
      total: db.prepare('SELECT total(size) AS bytes FROM mailbox_items'),
    };
    this.total = (this.q.total.get() as { bytes: number }).bytes;
  }

  /** Opens (creating, mode 0600) the mailbox database, or an in-memory one when `file` is null. */
  static open(file: string | null, limits: MailboxLimits, opts: { nativeBinding?: string } = {}): MailboxStore {
    let db: Database.Database;
    try {
      if (file) closeSync(openSync(file, 'a', 0o600));
      db = new Database(file ?? ':memory:', opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
      if (file) {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = FULL');
      }
      db.pragma('busy_timeout = 5000');
      return new MailboxStore(db, limits);
    } catch (e) {
      throw new BuError('INTERNAL', `The router mailbox could not be opened: ${(e as Error).message}`, { cause: e });
    }
  }

  /** The open database (the router's vault keeps its own table in the same file). */
  get database(): Database.Database {
    return this.db;
  }

  /** Store a blob for `recipient` (durable when this returns, for a file-backed store). */
  put(recipient: string, sender: string, blob: Uint8Array, now: number): PutResult {
    return this.db
      .transaction((): PutResult => {
        const digest = sha256(blob);
        const twin = this.q.byDigest.get(recipient, digest) as { id: string; expires_at: number } | undefined;
        if (twin && twin.expires_at > now) return { ok: true, id: twin.id, expiresAt: twin.expires_at, duplicate: true };
        const r = this.q.usageOfRecipient.get(recipient, now) as { n: number; bytes: number };
        if (r.n + 1 > this.limits.maxItemsPerRecipient || r.bytes + blob.length > this.limits.maxBytesPerRecipient) return { ok: false, code: 'QUOTA' };
        const s = this.q.usageOfSender.get(sender, now) as { n: number; bytes: number };
        if (s.n + 1 > this.limits.maxItemsPerSender || s.bytes + blob.length > this.limits.maxBytesPerSender) return { ok: false, code: 'QUOTA' };
        if (this.total + blob.length > this.limits.maxBytes) {
          this.purgeExpired(now);
          if (this.total + blob.length > this.limits.maxBytes) return { ok: false, code: 'FULL' };
        }
        const id = toHex(randomBytes(16));
        const expiresAt = now + this.limits.ttlMs;
        // an expired twin (same digest, so same size) is replaced by the upsert: total unchanged
        this.q.insert.run(id, recipient, sender, digest, now, expiresAt, blob.length, blob);
        if (!twin) this.total += blob.length;
        return { ok: true, id, expiresAt, duplicate: false };
      })
      .immediate();
  }

  /**
   * The recipient's live items, oldest first, skipping `exclude`, until `maxBytes` (at least one
   * item is returned if any is pending) or `limit` items.
   */
  pending(recipient: string, now: number, opts: { exclude?: ReadonlySet<string>; maxBytes?: number; limit?: number } = {}): MailboxItem[] {
    const out: MailboxItem[] = [];
    let bytes = 0;
    const maxBytes = opts.maxBytes ?? Infinity;
    const limit = opts.limit ?? Infinity;
    for (const row of this.q.pending.iterate(recipient, now) as Iterable<Row>) {
      if (opts.exclude?.has(row.id)) continue;
      if (out.length >= limit || (out.length > 0 && bytes + row.size > maxBytes)) break;
      bytes += row.size;
      out.push(toItem(row));
    }
    return out;
  }

  /** Delete acknowledged items of `recipient` (ids of other recipients are ignored). */
  ack(recipient: string, ids: readonly string[]): number {
    return this.db.transaction(() => {
      let n = 0;
      for (const id of ids) {
        for (const r of this.q.del.all(recipient, id) as { size: number }[]) {
          this.total -= r.size;
          n++;
        }
      }
      return n;
    })();
  }

  usage(recipient: string, now: number): { items: number; bytes: number } {
    const r = this.q.usageOfRecipient.get(recipient, now) as { n: number; bytes: number };
    return { items: r.n, bytes: r.bytes };
  }

  totalBytes(): number {
    return this.total;
  }

  purgeExpired(now: number): number {
    const rows = this.q.purge.all(now) as { size: number }[];
    for (const r of rows) this.total -= r.size;
    return rows.length;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function toItem(r: Row): MailboxItem {
  return { id: r.id, recipient: r.recipient, sender: r.sender, receivedAt: r.received_at, expiresAt: r.expires_at, blob: new Uint8Array(r.blob) };
}
