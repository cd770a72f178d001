/**
 * @module store/contacts
 * The contact list. A contact's public key must hash to its address (the seed's rule that a
 * message's key must match its source address starts here), and is stored compressed.
 * RETURNING statements are read with `.all()` so the statement (and any implicit COMMIT)
 * always runs to completion. `wallet` is the wallet address of the contact's signed profile
 * (migration 0003), which the chat layer stores only after checking its proof.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import { BuError } from '../base';
import { addressOf, normalizePublicKey } from '../crypto';
import { addressKey } from './address';

export type ContactState = 'pending_out' | 'pending_in' | 'friend' | 'declined' | 'blocked';
export const CONTACT_STATES: readonly ContactState[] = ['pending_out', 'pending_in', 'friend', 'declined', 'blocked'];

export type ContactRow = {
  address: string;
  publicKey: Uint8Array;
  name: string;
  state: ContactState;
  unread: number;
  createdAt: number;
  updatedAt: number;
  lastSeenAt: number | null;
  /** EIP-55 wallet address from the contact's signed profile, or null until shared. */
  wallet: string | null;
};

type Raw = {
  address: string;
  public_key: Buffer;
  name: string;
  state: ContactState;
  unread: number;
  created_at: number;
  updated_at: number;
  last_seen_at: number | null;
  wallet: string | null;
};

const COLUMNS = 'address, public_key, name, state, unread, created_at, updated_at, last_seen_at, wallet';
const WALLET = /^0x[0-9a-fA-F]{40}$/;

function toRow(r: Raw): ContactRow {
  return {
    address: r.address,
    publicKey: new Uint8Array(r.public_key),
    name: r.name,
    state: r.state,
    unread: r.unread,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastSeenAt: r.last_seen_at,
    wallet: r.wallet ?? null,
  };
}

function checkState(state: ContactState): void {
  if (!CONTACT_STATES.includes(state)) throw new BuError('BAD_INPUT', `Unknown contact state ${String(state)}.`);
}

function notFound(): BuError {
  return new BuError('NOT_FOUND', 'That contact does not exist.');
}

export class ContactsRepo {
  private readonly sGet: Database.Statement<[string], Raw>;
  private readonly sList: Database.Statement<[], Raw>;
  private readonly sUpsert: Database.Statement<[string, string, Buffer, string, string, number, number], Raw>;
  private readonly sSetState: Database.Statement<[string, number, string], Raw>;
  private readonly sRename: Database.Statement<[string, number, string], Raw>;
  private readonly sTouch: Database.Statement<[number, string, number]>;
  private readonly sAddUnread: Database.Statement<[number, string]>;
  private readonly sClearUnread: Database.Statement<[string]>;
  private readonly sSetWallet: Database.Statement<[string | null, string], Raw>;

  constructor(
    db: Database.Database,
    private readonly now: () => number,
  ) {
    this.sGet = db.prepare(`SELECT ${COLUMNS} FROM contacts WHERE address_key = ?`);
    this.sList = db.prepare(`SELECT ${COLUMNS} FROM contacts ORDER BY updated_at DESC, address_key`);
    this.sUpsert = db.prepare(
      `INSERT INTO contacts (address_key, address, public_key, name, state, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (address_key) DO UPDATE SET
         address = excluded.address, public_key = excluded.public_key, name = excluded.name,
         state = excluded.state, updated_at = excluded.updated_at
       RETURNING ${COLUMNS}`,
    );
    this.sSetState = db.prepare(`UPDATE contacts SET state = ?, updated_at = ? WHERE address_key = ? RETURNING ${COLUMNS}`);
    this.sRename = db.prepare(`UPDATE contacts SET name = ?, updated_at = ? WHERE address_key = ? RETURNING ${COLUMNS}`);
    this.sTouch = db.prepare('UPDATE contacts SET last_seen_at = ? WHERE address_key = ? AND (last_seen_at IS NULL OR last_seen_at < ?)');
    this.sAddUnread = db.prepare('UPDATE contacts SET unread = unread + ? WHERE address_key = ?');
    this.sClearUnread = db.prepare('UPDATE contacts SET unread = 0 WHERE address_key = ?');
    this.sSetWallet = db.prepare(`UPDATE contacts SET wallet = ? WHERE address_key = ? RETURNING ${COLUMNS}`);
  }

  get(address: string): ContactRow | null {
    const r = this.sGet.get(addressKey(address));
    return r ? toRow(r) : null;
  }

  /** All contacts, most recently updated first. */
  list(): ContactRow[] {
    return this.sList.all().map(toRow);
  }

  /** Inserts or replaces key, name and state (unread, createdAt and lastSeenAt are kept). */
  upsert(row: { address: string; publicKey: Uint8Array; name: string; state: ContactState }): ContactRow {
    const key = addressKey(row.address);
    checkState(row.state);
    if (typeof row.name !== 'string') throw new BuError('BAD_INPUT', 'A contact name must be text.');
    let pub: Uint8Array;
    try {
      pub = normalizePublicKey(row.publicKey);
    } catch {
      throw new BuError('BAD_INPUT', 'That is not a valid secp256k1 public key.');
    }
    const display = addressOf(pub);
    if (display.toLowerCase() !== key) throw new BuError('BAD_INPUT', 'The public key does not belong to that address.');
    const at = this.now();
    return toRow(this.sUpsert.all(key, display, Buffer.from(pub), row.name, row.state, at, at)[0]!);
  }

  setState(address: string, state: ContactState): ContactRow {
    checkState(state);
    const r = this.sSetState.all(state, this.now(), addressKey(address))[0];
    if (!r) throw notFound();
    return toRow(r);
  }

  rename(address: string, name: string): ContactRow {
    if (typeof name !== 'string') throw new BuError('BAD_INPUT', 'A contact name must be text.');
    const r = this.sRename.all(name, this.now(), addressKey(address))[0];
    if (!r) throw notFound();
    return toRow(r);
  }

  /** Records that the contact was seen at `at` (never moves lastSeenAt backwards). No-op for unknown contacts. */
  touch(address: string, at: number): void {
    if (!Number.isSafeInteger(at)) throw new BuError('BAD_INPUT', 'A timestamp must be an integer.');
    this.sTouch.run(at, addressKey(address), at);
  }

  addUnread(address: string, n: number): void {
    if (!Number.isSafeInteger(n) || n < 0) throw new BuError('BAD_INPUT', 'An unread count must be a non-negative integer.');
    this.sAddUnread.run(n, addressKey(address));
  }

  clearUnread(address: string): void {
    this.sClearUnread.run(addressKey(address));
  }

  /**
   * Sets (or, with null, clears) the contact's profile wallet address as given (the caller
   * passes the EIP-55 form). `updatedAt` is kept: a profile refresh is not conversation activity.
   */
  setWallet(address: string, wallet: string | null): ContactRow {
    if (wallet !== null && (typeof wallet !== 'string' || !WALLET.test(wallet))) {
      throw new BuError('BAD_INPUT', 'A wallet address is 0x followed by 40 hex digits.');
    }
    const r = this.sSetWallet.all(wallet, addressKey(address))[0];
    if (!r) throw notFound();
    return toRow(r);
  }
}
