/**
 * @module chat/chat-service
 * 1:1 chat over authenticated sessions, every payload in the seed's signed `Msg` envelope.
 *
 * Delivery: a message is committed to the store as `sending` before `send()` returns; the
 * outbox transmits it whenever a session to the peer is live (→ `sent`) and retransmits with
 * backoff until the peer's ACK arrives (→ `delivered`). The peer sends that ACK only after its
 * own database commit, and re-acks duplicates, so a crash on either side loses nothing and
 * never shows a message twice (receivers dedup by message id and by (ts, signature)).
 * Contacts: invite → REQUEST (retried while pending) → ACCEPT / DECLINE; blocked peers are
 * refused at the handshake; strangers get a session only within a small request budget, and
 * only their REQUEST is read. The contact list is backed up, sealed, at the routers and restored
 * into an empty profile (roster-backup.ts).
 */
import type { ContactT, MessageT } from '../../../src-preload/contract';
import { BuError, TypedEmitter, fromHex, toHex, type Logger } from '../base';
import { randomBytes, sameAddress } from '../crypto';
import type { Identity } from '../account';
import { encodeMsg, sealEnvelope } from '../envelope';
import { isArPayload } from '../ar';
import { RateLimiter, type Endpoint, endpointKey } from '../net';
import type { PeerInfo, SessionManager } from '../session';
import type { ContactRow, Store } from '../store';
import { backoffMs } from './backoff';
import { Connector, type Discovery, type LinkKind, type LinkReport, type Traversal } from './connector';
import { usableSavedEndpoints } from './endpoint-policy';
import { OfflineDelivery, type MailboxItem, type MailboxPort } from './mailbox';
import { handleInbound } from './inbound';
import { createInvite, parseInvite } from './invite';
import { toContact, toMessage } from './mappers';
import { Kind, encodePayload, type ChatPayload, type KindT } from './payload';
import { RosterBackup, type RosterPort, type RosterStatus } from './roster-backup';

export type ChatEvents = {
  contact: ContactT;
  messageAdded: MessageT;
  messageUpdated: MessageT;
  links: void;
  roster: RosterStatus;
};

export type ChatOptions = {
  store: Store;
  sessions: SessionManager;
  identity: Identity;
  getName: () => string;
  ownEndpoints: () => Endpoint[];
  logger: Logger;
  now?: () => number;
  /** How often due work is looked at (ms). */
  tickMs?: number;
  keepaliveMs?: number;
  /** Issue 3: the DHT and the routers, when the node has them. */
  discovery?: Discovery | null;
  traversal?: Traversal | null;
  mailbox?: MailboxPort | null;
  /** The routers' vault, for the contact-list backup. */
  roster?: RosterPort | null;
};

const MAX_TEXT_BYTES = 16 * 1024;
/** How long (ts, signature) pairs are remembered for replay dedup. */
const SEEN_WINDOW_MS = 14 * 24 * 3600 * 1000;

export class ChatService extends TypedEmitter<ChatEvents> {
  readonly store: Store;
  readonly sessions: SessionManager;
  readonly identity: Identity;
  readonly logger: Logger;
  readonly now: () => number;
  readonly strangerBudget = new RateLimiter({ ratePerSec: 10 / 60, burst: 10 });
  private connector: Connector;
  readonly offline: OfflineDelivery | null;
  readonly roster: RosterBackup | null;
  private depositing = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private unsubs: Array<() => void> = [];
  private lastRequestSent = new Map<string, number>();
  private lastPing = new Map<string, number>();
  private lastPrune = 0;
  private closed = false;

  constructor(private opts: ChatOptions) {
    super();
    this.store = opts.store;
    this.sessions = opts.sessions;
    this.identity = opts.identity;
    this.logger = opts.logger;
    this.now = opts.now ?? Date.now;
    this.connector = new Connector({ sessions: this.sessions, logger: this.logger, now: this.now, discovery: opts.discovery, traversal: opts.traversal });
    this.offline = opts.mailbox ? new OfflineDelivery(this, opts.mailbox, this.logger) : null;
    this.roster = opts.roster ? new RosterBackup(this, opts.roster, this.logger) : null;
  }

  start(): void {
    this.roster?.start(this.store.contacts.list().length === 0);
    this.unsubs.push(
      this.sessions.on('message', (m) => {
        if (!isArPayload(m.data)) handleInbound(this, m);
      }),
      this.sessions.on('established', ({ peer }) => this.onEstablished(peer)),
      this.sessions.on('closed', ({ address }) => this.onLinkChange(address)),
    );
    this.timer = setInterval(() => this.tick(), this.opts.tickMs ?? 500);
    this.timer.unref?.();
    this.announce();
    this.tick();
  }

  /** On start, reach every friend at its saved endpoints so it learns where we are now (PING). */
  private announce(): void {
    for (const c of this.store.contacts.list()) if (c.state === 'friend') void this.connect(c);
  }

  stop(): void {
    this.closed = true;
    this.roster?.stop();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const u of this.unsubs.splice(0)) u();
  }

  /** Session policy: blocked never, contacts always, strangers within the request budget. */
  authorize(peer: PeerInfo): 'accept' | 'reject' {
    const c = this.store.contacts.get(peer.address);
    if (c?.state === 'blocked') return 'reject';
    if (c && c.state !== 'declined') return 'accept';
    return this.strangerBudget.take('strangers', this.now()) ? 'accept' : 'reject';
  }

  // ── contacts ────────────────────────────────────────────────────────────────

  invite(): string {
    return createInvite({ ...this.identity, name: this.opts.getName(), endpoints: this.opts.ownEndpoints() });
  }

  addInvite(link: string): ContactT {
    const inv = parseInvite(link);
    if (sameAddress(inv.address, this.identity.address)) throw new BuError('SELF_INVITE', 'that is your own invite');
    const existing = this.store.contacts.get(inv.address);
    if (existing?.state === 'blocked') throw new BuError('BLOCKED', 'this contact is blocked');
    if (existing?.state === 'friend') throw new BuError('ALREADY_FRIENDS', `you are already friends with ${existing.name}`);
    const at = this.now();
    const row = this.store.tx(() => {
      for (const e of inv.endpoints) this.store.endpoints.put(inv.address, e.host, e.port, 'invite', at);
      const state = existing?.state === 'pending_in' ? 'friend' : 'pending_out';
      return this.store.contacts.upsert({ address: inv.address, publicKey: inv.publicKey, name: existing?.name ?? (inv.name || 'Friend'), state });
    });
    this.connector.reset(row.address);
    this.lastRequestSent.delete(row.address.toLowerCase());
    if (row.state === 'friend') this.sendControl(row, Kind.ACCEPT);
    this.emitContact(row);
    this.tick();
    return this.contact(row);
  }

  accept(address: string): ContactT {
    const c = this.requireContact(address);
    if (c.state === 'blocked') throw new BuError('BLOCKED', 'this contact is blocked');
    const row = c.state === 'friend' ? c : this.store.contacts.setState(address, 'friend');
    this.sendControl(row, Kind.ACCEPT);
    this.emitContact(row);
    return this.contact(row);
  }

  decline(address: string): ContactT {
    const c = this.requireContact(address);
    const row = this.store.contacts.setState(address, 'declined');
    if (c.state === 'pending_in') this.sendControl(row, Kind.DECLINE);
    this.emitContact(row);
    return this.contact(row);
  }

  block(address: string): ContactT {
    this.requireContact(address);
    const row = this.store.contacts.setState(address, 'blocked');
    this.emitContact(row);
    return this.contact(row);
  }

  unblock(address: string): ContactT {
    const c = this.requireContact(address);
    if (c.state !== 'blocked') return this.contact(c);
    const row = this.store.contacts.setState(address, 'friend');
    this.emitContact(row);
    return this.contact(row);
  }

  rename(address: string, name: string): ContactT {
    this.requireContact(address);
    const row = this.store.contacts.rename(address, name);
    this.emitContact(row);
    return this.contact(row);
  }

  listContacts(): ContactT[] {
    return this.store.contacts.list().map((r) => this.contact(r));
  }

  contact(r: ContactRow): ContactT {
    return toContact(r, this.sessions.isConnected(r.address), this.store.messages.last(r.address));
  }

  emitContact(r: ContactRow): void {
    this.emit('contact', this.contact(r));
  }

  requireContact(address: string): ContactRow {
    const c = this.store.contacts.get(address);
    if (!c) throw new BuError('NOT_FOUND', `no contact ${address}`);
    return c;
  }

  // ── messages ────────────────────────────────────────────────────────────────

  send(address: string, text: string): MessageT {
    const c = this.requireContact(address);
    if (c.state === 'blocked') throw new BuError('BLOCKED', 'this contact is blocked');
    if (c.state !== 'friend') throw new BuError('NOT_FRIEND', `${c.name} has not accepted your request yet`);
    if (Buffer.byteLength(text, 'utf8') > MAX_TEXT_BYTES) throw new BuError('TOO_LONG', 'message is too long');
    const at = this.now();
    const row = this.store.messages.insertOutgoing({ id: toHex(randomBytes(16)), peer: c.address, text, sentAt: at, localAt: at });
    const msg = toMessage(row);
    this.emit('messageAdded', msg);
    this.emitContact(this.store.contacts.get(c.address)!);
    this.flushPeer(c);
    return msg;
  }

  list(address: string, opts: { beforeSeq?: number; limit?: number }): MessageT[] {
    this.requireContact(address);
    return this.store.messages.list(address, opts).map(toMessage);
  }

  markRead(address: string): void {
    const c = this.requireContact(address);
    if (c.unread === 0) return;
    this.store.contacts.clearUnread(address);
    this.emitContact(this.store.contacts.get(address)!);
  }

  // ── transmission ────────────────────────────────────────────────────────────

  /** Seal `payload` in a signed Msg envelope and hand it to the live session, if any. */
  transmit(peer: string, payload: Partial<ChatPayload> & { id: Uint8Array; kind: KindT }, ts?: number): boolean {
    const plaintext = encodePayload(payload);
    const envTs = ts ?? Math.floor(this.now() / 1000);
    return this.sessions.send(peer, (key) =>
      encodeMsg(sealEnvelope({ ts: envTs, signer: this.identity, dstAddr: peer, plaintext, key })),
    );
  }

  sendControl(c: ContactRow, kind: KindT): boolean {
    const ok = this.transmit(c.address, {
      id: randomBytes(16),
      kind,
      name: this.opts.getName(),
      endpoints: this.opts.ownEndpoints().map(endpointKey),
    });
    if (!ok) void this.connect(c);
    return ok;
  }

  /** Tell an authenticated stranger we have no contact for it (it may then send a REQUEST). */
  sendUnknown(peer: string): void {
    if (this.roster?.holdUnknown(peer)) return; // our contact list may be on its way back: no re-request yet
    this.transmit(peer, { id: randomBytes(16), kind: Kind.UNKNOWN, name: this.opts.getName() });
  }

  /** A friend no longer knows us (new machine): ask again, at most once a minute. */
  rerequest(c: ContactRow): void {
    const key = `re:${c.address.toLowerCase()}`;
    const last = this.lastRequestSent.get(key) ?? 0;
    if (this.now() - last < 60_000) return;
    this.lastRequestSent.set(key, this.now());
    this.sendControl(c, Kind.REQUEST);
  }

  /** Send everything pending for a friend right away (e.g. after it accepted us again). */
  flushNow(address: string): void {
    const c = this.store.contacts.get(address);
    if (c && c.state === 'friend') this.flushPeer(c, true);
  }

  sendAck(peer: string, ids: string[]): void {
    this.transmit(peer, { id: randomBytes(16), kind: Kind.ACK, acks: ids.map((i) => fromHex(i)) });
  }

  private connect(c: ContactRow, force = false): Promise<boolean> {
    const endpoints = usableSavedEndpoints(this.store.endpoints.list(c.address), this.now());
    return this.connector.ensure({ address: c.address, publicKey: c.publicKey }, endpoints, force);
  }

  /** Transmit every due outbox message of one contact (or connect first, or use its mailbox). */
  private flushPeer(c: ContactRow, all = false): void {
    if (!this.sessions.isConnected(c.address)) {
      void this.connect(c);
      this.depositOffline(c);
      return;
    }
    const now = this.now();
    for (const m of this.store.messages.dueOutboxFor(c.address, all ? Number.MAX_SAFE_INTEGER : now, 500)) {
      this.transmitMessage(m.peer, m.id, m.text, m.sentAt, m.attempts, m.state, now);
    }
  }

  private transmitMessage(peer: string, id: string, text: string, sentAt: number, attempts: number, state: string, now: number): void {
    const ok = this.transmit(peer, { id: fromHex(id), kind: Kind.TEXT, text, sentMs: sentAt }, Math.floor(sentAt / 1000));
    const row = this.store.tx(() => {
      this.store.messages.scheduleRetry(peer, id, attempts + 1, now + backoffMs(attempts, { baseMs: 1500, capMs: 30_000 }));
      return ok && state === 'sending' ? this.store.messages.setState(peer, id, 'sent') : null;
    });
    if (row) this.emit('messageUpdated', toMessage(row));
  }

  /** The friend could not be reached by any rung of the ladder: leave its messages in a mailbox. */
  private depositOffline(c: ContactRow): void {
    const record = this.connector.lastRecord.get(c.address.toLowerCase());
    if (!this.offline || !record || this.connector.failureCount(c.address) === 0) return;
    for (const m of this.store.messages.dueOutboxFor(c.address, Number.MAX_SAFE_INTEGER, 200)) {
      if (m.mailboxedAt !== null || this.depositing.has(m.id)) continue;
      this.depositing.add(m.id);
      this.offline
        .deposit(m, record)
        .then((ok) => {
          const row = ok && m.state === 'sending' ? this.store.messages.setState(m.peer, m.id, 'sent') : null;
          if (row) this.emit('messageUpdated', toMessage(row));
        })
        .catch((e: unknown) => this.logger.warn('mailbox deposit failed', { peer: c.address, error: String(e) }))
        .finally(() => this.depositing.delete(m.id));
    }
  }

  /** Items a router holds for us (pushed when we register). */
  collectMailbox(router: string, items: MailboxItem[]): void {
    this.offline?.collect(router, items);
  }

  /** Our current prekey bundle (rotated when due), for the DHT record. */
  prekeyBundle(): Uint8Array | null {
    return this.offline?.prekeyBundle() ?? null;
  }

  /** Periodic work: due outbox, pending requests, keepalives. Cheap when idle. */
  tick(): void {
    if (this.closed) return;
    const now = this.now();
    try {
      if (now - this.lastPrune > 10 * 60_000) {
        this.lastPrune = now;
        this.store.seen.prune(now - SEEN_WINDOW_MS);
      }
      const due = this.store.messages.dueOutbox(now, 200);
      const peers = new Set(due.map((m) => m.peer.toLowerCase()));
      for (const p of peers) {
        const c = this.store.contacts.get(p);
        if (c && c.state === 'friend') this.flushPeer(c);
      }
      for (const c of this.store.contacts.list()) {
        const key = c.address.toLowerCase();
        if (c.state === 'pending_out') {
          const last = this.lastRequestSent.get(key) ?? 0;
          if (now - last >= 5000) {
            this.lastRequestSent.set(key, now);
            this.sendControl(c, Kind.REQUEST);
          }
        } else if (c.state === 'friend' && this.sessions.isConnected(c.address)) {
          this.connector.maybeUpgrade(c);
          const last = this.lastPing.get(key) ?? 0;
          if (now - last >= (this.opts.keepaliveMs ?? 25_000)) {
            this.lastPing.set(key, now);
            this.sendControl(c, Kind.PING);
          }
        }
      }
    } catch (e) {
      if (!this.closed) this.logger.warn('chat tick failed', { error: String(e) });
    }
  }

  private onEstablished(peer: PeerInfo): void {
    const c = this.store.contacts.get(peer.address);
    if (!c) return;
    this.connector.reset(c.address);
    if (c.state === 'friend') {
      this.lastPing.set(c.address.toLowerCase(), this.now());
      this.sendControl(c, Kind.PING);
      this.flushPeer(c, true);
    } else if (c.state === 'pending_out') {
      this.lastRequestSent.set(c.address.toLowerCase(), this.now());
      this.sendControl(c, Kind.REQUEST);
    }
    this.onLinkChange(c.address);
  }

  /** How the live session with a friend was reached, why it is not direct, what was tried: for status. */
  linkOf(address: string): LinkKind | 'none' {
    return this.connector.linkOf(address);
  }
  linkReason(address: string): string | null {
    return this.connector.reason(address);
  }
  linkReport(address: string): LinkReport | null {
    return this.connector.report(address);
  }

  isRelayEndpoint(e: { host: string; port: number }): boolean {
    return this.opts.traversal?.isRelayEndpoint(e) ?? false;
  }

  /** A router introduced `address` to us and we are punching towards it. */
  notePunch(address: string): void {
    this.connector.noteLink(address, 'punched');
  }

  onLinkChange(address: string): void {
    const c = this.store.contacts.get(address);
    if (c) this.emitContact(c);
    this.emit('links', undefined);
  }
}
