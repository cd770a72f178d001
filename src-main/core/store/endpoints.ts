/**
 * @module store/endpoints
 * Where a contact was last reachable (from an invite, a ping or an observed packet source),
 * most recent first. Each contact keeps at most MAX_ENDPOINTS_PER_CONTACT rows so a peer
 * that hops between NAT mappings cannot grow the table without bound.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import { BuError } from '../base';
import { addressKey, isForeignKeyError } from './address';

export type EndpointSource = 'invite' | 'ping' | 'observed';
export type EndpointRow = { host: string; port: number; source: EndpointSource; updatedAt: number };

export const MAX_ENDPOINTS_PER_CONTACT = 16;
const SOURCES: readonly EndpointSource[] = ['invite', 'ping', 'observed'];

type Raw = { host: string; port: number; source: EndpointSource; updated_at: number };

export class EndpointsRepo {
  private readonly sList: Database.Statement<[string], Raw>;
  private readonly sPut: Database.Statement<[string, string, number, string, number]>;
  private readonly sTrim: Database.Statement<[string, string, number]>;

  constructor(private readonly db: Database.Database) {
    this.sList = db.prepare(
      'SELECT host, port, source, updated_at FROM endpoints WHERE address_key = ? ORDER BY updated_at DESC, host, port',
    );
    this.sPut = db.prepare(
      `INSERT INTO endpoints (address_key, host, port, source, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (address_key, host, port) DO UPDATE SET
         source = excluded.source, updated_at = max(updated_at, excluded.updated_at)`,
    );
    this.sTrim = db.prepare(
      `DELETE FROM endpoints WHERE address_key = ? AND (host, port) NOT IN (
         SELECT host, port FROM endpoints WHERE address_key = ? ORDER BY updated_at DESC, host, port LIMIT ?)`,
    );
  }

  /** The contact's endpoints, most recent first. */
  list(address: string): EndpointRow[] {
    return this.sList.all(addressKey(address)).map((r) => ({ host: r.host, port: r.port, source: r.source, updatedAt: r.updated_at }));
  }

  /** Upserts host:port for a known contact (NOT_FOUND otherwise) and trims old entries. */
  put(address: string, host: string, port: number, source: EndpointSource, at: number): void {
    const key = addressKey(address);
    if (typeof host !== 'string' || host.length === 0 || host.length > 255) throw new BuError('BAD_INPUT', 'That host is not valid.');
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new BuError('BAD_INPUT', 'That port is not valid.');
    if (!SOURCES.includes(source)) throw new BuError('BAD_INPUT', `Unknown endpoint source ${String(source)}.`);
    if (!Number.isSafeInteger(at)) throw new BuError('BAD_INPUT', 'A timestamp must be an integer.');
    try {
      this.db.transaction(() => {
        this.sPut.run(key, host, port, source, at);
        this.sTrim.run(key, key, MAX_ENDPOINTS_PER_CONTACT);
      })();
    } catch (err) {
      if (isForeignKeyError(err)) throw new BuError('NOT_FOUND', 'That contact does not exist.', { cause: err });
      throw err;
    }
  }
}
