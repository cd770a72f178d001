/**
 * @module store/messages
 * The message log and the outbox. Outgoing messages start 'sending' and stay in the outbox
 * (state 'sending' or 'sent') until a delivery receipt marks them 'delivered' or the chat
 * layer gives up ('failed'). Incoming messages are stored once per (peer, id), so a
 * retransmitted message is recognised instead of shown twice.
 *
 * A message is 'text' or 'payment' (migration 0003); a payment's JSON (`payment`) is an object
 * the chat layer owns — the store only keeps it, parses it back and finds rows by its `status`.
 * A 'call' (migration 0004) is a local record of a call, written only by `insertCall`: never in
 * the outbox, never marked delivered, its state fixed ('sent' ours, 'received' theirs), and
 * stored once per (peer, the call's `id` inside its JSON).
 *
 * Writes with RETURNING are read with `.all()`, never `.get()`: `.get()` stops after the
 * first row, and in autocommit mode the deferred foreign-key check then fails at the
 * implicit COMMIT without reporting it (the row silently vanishes).
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import { BuError } from '../base';
import { addressKey, displayAddress, isForeignKeyError } from './address';

export type MessageState = 'sending' | 'sent' | 'delivered' | 'received' | 'failed';
export type MessageKind = 'text' | 'payment' | 'call';
/** A call record's JSON as stored (the contract's CallRecord; the store reads only its `id`). */
export type CallJson = { id: string; [key: string]: unknown };
/** A payment's JSON as stored (its shape is the chat layer's business). */
export type PaymentJson = { [key: string]: unknown };
export type MessageRow = {
  id: string;
  peer: string;
  direction: 'in' | 'out';
  text: string;
  state: MessageState;
  sentAt: number;
  localAt: number;
  seq: number;
  attempts: number;
  nextAttemptAt: number;
  /** When the message was last handed to a router's mailbox (null: never). */
  mailboxedAt: number | null;
  kind: MessageKind;
  /** The payment's JSON (kind 'payment'), else null. */
  payment: PaymentJson | null;
  /** The call record (kind 'call'), else null. */
  call: CallJson | null;
};
export type NewMessage = {
  id: string;
  peer: string;
  text: string;
  sentAt: number;
  localAt: number;
  /** Default 'text'; 'payment' needs `payment` ('call' rows are written by insertCall only). */
  kind?: MessageKind;
  payment?: PaymentJson | null;
};
/** A call record to keep in the conversation (local only: it is never sent). */
export type NewCall = {
  /** The message id (16 random bytes as hex; not the call id). */
  id: string;
  peer: string;
  direction: 'in' | 'out';
  text: string;
  at: number;
  call: CallJson;
};

export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 1000;
const STATES: readonly MessageState[] = ['sending', 'sent', 'delivered', 'received', 'failed'];
const MESSAGE_ID = /^[0-9a-f]{32}$/;

/** A messages row as SQLite returns it (`MESSAGE_COLUMNS`). */
export type Raw = {
  seq: number;
  peer: string;
  id: string;
  direction: 'in' | 'out';
  text: string;
  state: MessageState;
  sent_at: number;
  local_at: number;
  attempts: number;
  next_attempt_at: number;
  mailboxed_at: number | null;
  kind: MessageKind;
  payment: string | null;
  call: string | null;
};

export const MESSAGE_COLUMNS = 'seq, peer, id, direction, text, state, sent_at, local_at, attempts, next_attempt_at, mailboxed_at, kind, payment, call';
/** Longest payment JSON kept (a body is well under 2 KiB). */
const MAX_PAYMENT_JSON = 8 * 1024;
/** Longest call record JSON kept (a record is about 150 bytes). */
const MAX_CALL_JSON = 2 * 1024;
const COLUMNS = MESSAGE_COLUMNS;
const OUTBOX = "direction = 'out' AND state IN ('sending', 'sent') AND kind <> 'call'";

export function toRow(r: Raw): MessageRow {
  return {
    id: r.id,
    peer: r.peer,
    direction: r.direction,
    text: r.text,
    state: r.state,
    sentAt: r.sent_at,
    localAt: r.local_at,
    seq: r.seq,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    mailboxedAt: r.mailboxed_at ?? null,
    kind: r.kind,
    payment: r.payment === null ? null : (JSON.parse(r.payment) as PaymentJson),
    call: r.call === null ? null : (JSON.parse(r.call) as CallJson),
  };
}

function paymentText(p: unknown): string {
  if (typeof p !== 'object' || p === null || Array.isArray(p)) throw new BuError('BAD_INPUT', 'A payment must be an object.');
  const json = JSON.stringify(p);
  if (json.length > MAX_PAYMENT_JSON) throw new BuError('BAD_INPUT', 'That payment is too large.');
  return json;
}

/** Message ids are 16 bytes as lowercase hex; upper case is accepted and folded. */
function messageId(id: string): string {
  const v = typeof id === 'string' ? id.toLowerCase() : '';
  if (!MESSAGE_ID.test(v)) throw new BuError('BAD_INPUT', 'A message id must be 16 bytes of hex.');
  return v;
}

function time(n: number, what: string): number {
  if (!Number.isSafeInteger(n)) throw new BuError('BAD_INPUT', `${what} must be an integer timestamp.`);
  return n;
}

function checkNew(m: NewMessage): { key: string; peer: string; id: string; kind: MessageKind; payment: string | null } {
  if (typeof m.text !== 'string') throw new BuError('BAD_INPUT', 'A message text must be text.');
  time(m.sentAt, 'sentAt');
  time(m.localAt, 'localAt');
  const kind = m.kind ?? 'text';
  if (kind === 'call') throw new BuError('BAD_INPUT', 'A call is recorded with insertCall, never sent.');
  if (kind !== 'text' && kind !== 'payment') throw new BuError('BAD_INPUT', `Unknown message kind ${String(kind)}.`);
  const has = m.payment !== undefined && m.payment !== null;
  if (has !== (kind === 'payment')) throw new BuError('BAD_INPUT', 'A payment message needs its payment, and only it has one.');
  const payment = has ? paymentText(m.payment) : null;
  return { key: addressKey(m.peer), peer: displayAddress(m.peer), id: messageId(m.id), kind, payment };
}

function callText(c: unknown): string {
  if (typeof c !== 'object' || c === null || Array.isArray(c)) throw new BuError('BAD_INPUT', 'A call record must be an object.');
  const id = (c as { id?: unknown }).id;
  if (typeof id !== 'string' || id.length === 0) throw new BuError('BAD_INPUT', 'A call record needs its call id.');
  const json = JSON.stringify(c);
  if (json.length > MAX_CALL_JSON) throw new BuError('BAD_INPUT', 'That call record is too large.');
  return json;
}

function rethrow(err: unknown): never {
  if (isForeignKeyError(err)) throw new BuError('NOT_FOUND', 'That contact does not exist.', { cause: err });
  throw err;
}

export class MessagesRepo {
  private readonly sInsert: Database.Statement<[string, string, string, string, string, string, number, number, number, string, string | null], Raw>;
  private readonly sInsertIncoming: Database.Statement<[string, string, string, string, number, number, string, string | null], Raw>;
  private readonly sInsertCall: Database.Statement<[string, string, string, string, string, string, number, number, string], Raw>;
  private readonly sGetCall: Database.Statement<[string, string], Raw>;
  private readonly sSetPayment: Database.Statement<[string, string, string], Raw>;
  private readonly sPayments: Database.Statement<[], Raw>;
  private readonly sPaymentsBy: Database.Statement<[string], Raw>;
  private readonly sGet: Database.Statement<[string, string], Raw>;
  private readonly sList: Database.Statement<[string, number, number], Raw>;
  private readonly sLast: Database.Statement<[string], Raw>;
  private readonly sSetState: Database.Statement<[string, string, string, string], Raw>;
  private readonly sDeliver: Database.Statement<[string, string], Raw>;
  private readonly sDue: Database.Statement<[number, number], Raw>;
  private readonly sDueFor: Database.Statement<[string, number, number], Raw>;
  private readonly sRetry: Database.Statement<[number, number, string, string]>;
  private readonly sMailboxed: Database.Statement<[number, string, string]>;
  private readonly sPending: Database.Statement<[], { n: number }>;

  constructor(private readonly db: Database.Database) {
    this.sInsert = db.prepare(
      `INSERT INTO messages (peer_key, peer, id, direction, text, state, sent_at, local_at, next_attempt_at, kind, payment)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
    );
    this.sInsertIncoming = db.prepare(
      `INSERT INTO messages (peer_key, peer, id, direction, text, state, sent_at, local_at, next_attempt_at, kind, payment)
       VALUES (?, ?, ?, 'in', ?, 'received', ?, ?, 0, ?, ?)
       ON CONFLICT (peer_key, id) DO NOTHING RETURNING ${COLUMNS}`,
    );
    this.sInsertCall = db.prepare(
      `INSERT INTO messages (peer_key, peer, id, direction, text, state, sent_at, local_at, next_attempt_at, kind, call)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 'call', ?)
       ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
    );
    this.sGetCall = db.prepare(`SELECT ${COLUMNS} FROM messages WHERE peer_key = ? AND kind = 'call' AND json_extract(call, '$.id') = ?`);
    this.sGet = db.prepare(`SELECT ${COLUMNS} FROM messages WHERE peer_key = ? AND id = ?`);
    this.sList = db.prepare(
      `SELECT * FROM (SELECT ${COLUMNS} FROM messages WHERE peer_key = ? AND seq < ? ORDER BY seq DESC LIMIT ?) ORDER BY seq ASC`,
    );
    this.sLast = db.prepare(`SELECT ${COLUMNS} FROM messages WHERE peer_key = ? ORDER BY seq DESC LIMIT 1`);
    // A delivered outgoing message never falls back to 'sending'/'sent' (a receipt may race a send result).
    this.sSetState = db.prepare(
      `UPDATE messages SET state = ? WHERE peer_key = ? AND id = ? AND kind <> 'call'
         AND NOT (state = 'delivered' AND ? IN ('sending', 'sent'))
       RETURNING ${COLUMNS}`,
    );
    this.sDeliver = db.prepare(
      `UPDATE messages SET state = 'delivered'
       WHERE peer_key = ? AND id = ? AND direction = 'out' AND state <> 'delivered' AND kind <> 'call' RETURNING ${COLUMNS}`,
    );
    this.sDue = db.prepare(`SELECT ${COLUMNS} FROM messages WHERE ${OUTBOX} AND next_attempt_at <= ? ORDER BY seq ASC LIMIT ?`);
    this.sDueFor = db.prepare(`SELECT ${COLUMNS} FROM messages WHERE peer_key = ? AND ${OUTBOX} AND next_attempt_at <= ? ORDER BY seq ASC LIMIT ?`);
    this.sMailboxed = db.prepare(`UPDATE messages SET mailboxed_at = ? WHERE peer_key = ? AND id = ? AND direction = 'out'`);
    this.sRetry = db.prepare(`UPDATE messages SET attempts = ?, next_attempt_at = ? WHERE peer_key = ? AND id = ? AND direction = 'out'`);
    this.sPending = db.prepare(`SELECT count(*) AS n FROM messages WHERE ${OUTBOX}`);
    this.sSetPayment = db.prepare(`UPDATE messages SET payment = ? WHERE peer_key = ? AND id = ? AND kind = 'payment' RETURNING ${COLUMNS}`);
    this.sPayments = db.prepare(`SELECT ${COLUMNS} FROM messages WHERE kind = 'payment' ORDER BY seq ASC`);
    this.sPaymentsBy = db.prepare(
      `SELECT ${COLUMNS} FROM messages WHERE kind = 'payment'
         AND json_extract(payment, '$.status') IN (SELECT value FROM json_each(?)) ORDER BY seq ASC`,
    );
  }

  /** Stores a message we are about to send: state 'sending', due immediately (nextAttemptAt = localAt). */
  insertOutgoing(m: NewMessage): MessageRow {
    const { key, peer, id, kind, payment } = checkNew(m);
    try {
      return toRow(this.sInsert.all(key, peer, id, 'out', m.text, 'sending', m.sentAt, m.localAt, m.localAt, kind, payment)[0]!);
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new BuError('BAD_INPUT', 'A message with that id already exists.', { cause: err });
      }
      rethrow(err);
    }
  }

  /** Stores a received message once; a repeat of (peer, id) returns the stored row with inserted=false. */
  insertIncoming(m: NewMessage): { row: MessageRow; inserted: boolean } {
    const { key, peer, id, kind, payment } = checkNew(m);
    try {
      const r = this.sInsertIncoming.all(key, peer, id, m.text, m.sentAt, m.localAt, kind, payment)[0];
      if (r) return { row: toRow(r), inserted: true };
    } catch (err) {
      rethrow(err);
    }
    return { row: toRow(this.sGet.get(key, id)!), inserted: false };
  }

  /**
   * Keeps a call record in the conversation: ours (direction 'out') as 'sent', theirs as
   * 'received', outside the outbox. The same call (its JSON `id`) recorded again for the same
   * peer returns the stored row with inserted=false; a message id already taken is BAD_INPUT.
   */
  insertCall(m: NewCall): { row: MessageRow; inserted: boolean } {
    if (typeof m.text !== 'string') throw new BuError('BAD_INPUT', 'A call summary must be text.');
    if (m.direction !== 'in' && m.direction !== 'out') throw new BuError('BAD_INPUT', 'A call is ours (out) or theirs (in).');
    time(m.at, 'at');
    const json = callText(m.call);
    const key = addressKey(m.peer);
    const id = messageId(m.id);
    const state = m.direction === 'out' ? 'sent' : 'received';
    let r: Raw | undefined;
    try {
      r = this.sInsertCall.all(key, displayAddress(m.peer), id, m.direction, m.text, state, m.at, m.at, json)[0];
    } catch (err) {
      rethrow(err);
    }
    if (r) return { row: toRow(r), inserted: true };
    const same = this.sGetCall.get(key, m.call.id);
    if (!same) throw new BuError('BAD_INPUT', 'A message with that id already exists.');
    return { row: toRow(same), inserted: false };
  }

  get(peer: string, id: string): MessageRow | null {
    const r = this.sGet.get(addressKey(peer), messageId(id));
    return r ? toRow(r) : null;
  }

  /** The newest `limit` (default 100, at most 1000) messages with seq < beforeSeq, in ascending seq order. */
  list(peer: string, opts: { beforeSeq?: number; limit?: number } = {}): MessageRow[] {
    const before = opts.beforeSeq ?? Number.MAX_SAFE_INTEGER;
    const limit = opts.limit ?? DEFAULT_PAGE;
    if (!Number.isSafeInteger(before)) throw new BuError('BAD_INPUT', 'beforeSeq must be an integer.');
    if (!Number.isSafeInteger(limit) || limit < 0) throw new BuError('BAD_INPUT', 'limit must be a non-negative integer.');
    return this.sList.all(addressKey(peer), before, Math.min(limit, MAX_PAGE)).map(toRow);
  }

  last(peer: string): MessageRow | null {
    const r = this.sLast.get(addressKey(peer));
    return r ? toRow(r) : null;
  }

  /**
   * Sets the state and returns the row, or null if there is no such message. A 'delivered'
   * message asked to become 'sending' or 'sent' stays delivered (the unchanged row is returned).
   */
  setState(peer: string, id: string, state: MessageState): MessageRow | null {
    if (!STATES.includes(state)) throw new BuError('BAD_INPUT', `Unknown message state ${String(state)}.`);
    const key = addressKey(peer);
    const mid = messageId(id);
    const r = this.sSetState.all(state, key, mid, state)[0] ?? this.sGet.get(key, mid);
    return r ? toRow(r) : null;
  }

  /** Marks our messages to `peer` as delivered; returns only the rows that changed. */
  markDelivered(peer: string, ids: string[]): MessageRow[] {
    const key = addressKey(peer);
    const unique = [...new Set(ids.map(messageId))];
    return this.db.transaction(() => unique.map((id) => this.sDeliver.all(key, id)[0]).filter((r): r is Raw => r !== undefined))().map(toRow);
  }

  /** Outgoing messages still to (re)send whose nextAttemptAt has come, oldest (lowest seq) first. */
  dueOutbox(now: number, limit = DEFAULT_PAGE): MessageRow[] {
    time(now, 'now');
    if (!Number.isSafeInteger(limit) || limit < 0) throw new BuError('BAD_INPUT', 'limit must be a non-negative integer.');
    return this.sDue.all(now, Math.min(limit, MAX_PAGE)).map(toRow);
  }

  /** The same, for one peer only (uses the per-peer index). */
  dueOutboxFor(peer: string, now: number, limit = DEFAULT_PAGE): MessageRow[] {
    time(now, 'now');
    if (!Number.isSafeInteger(limit) || limit < 0) throw new BuError('BAD_INPUT', 'limit must be a non-negative integer.');
    return this.sDueFor.all(addressKey(peer), now, Math.min(limit, MAX_PAGE)).map(toRow);
  }

  /** Records a send attempt and when to try next (no-op for unknown or incoming messages). */
  scheduleRetry(peer: string, id: string, attempts: number, nextAttemptAt: number): void {
    if (!Number.isSafeInteger(attempts) || attempts < 0) throw new BuError('BAD_INPUT', 'attempts must be a non-negative integer.');
    time(nextAttemptAt, 'nextAttemptAt');
    this.sRetry.run(attempts, nextAttemptAt, addressKey(peer), messageId(id));
  }

  /** Records that the message was stored in a router's mailbox for the offline peer. */
  markMailboxed(peer: string, id: string, at: number): void {
    time(at, 'at');
    this.sMailboxed.run(at, addressKey(peer), messageId(id));
  }

  /** Replaces a payment message's JSON; returns the row, or null if there is no such payment message. */
  setPayment(peer: string, id: string, payment: PaymentJson): MessageRow | null {
    const r = this.sSetPayment.all(paymentText(payment), addressKey(peer), messageId(id))[0];
    return r ? toRow(r) : null;
  }

  /** Every payment message (all peers), oldest first; with `statuses`, only those whose JSON `status` is one of them. */
  payments(statuses?: readonly string[]): MessageRow[] {
    if (!statuses) return this.sPayments.all().map(toRow);
    if (!Array.isArray(statuses) || statuses.some((x) => typeof x !== 'string')) throw new BuError('BAD_INPUT', 'Payment statuses are a list of names.');
    return this.sPaymentsBy.all(JSON.stringify(statuses)).map(toRow);
  }

  /** Number of outgoing messages not yet delivered nor failed. */
  pendingCount(): number {
    return this.sPending.get()!.n;
  }
}
