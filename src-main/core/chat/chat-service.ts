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
 * into an empty profile (roster-backup.ts). Payments and the profile wallet: payments.ts.
 */
import type { ContactT, MessageT } from '../../../src-preload/contract';
import { BuError, TypedEmitter, fromHex, isCallPayload, isDappPayload, toHex, type Logger } from '../base';
import { randomBytes, sameAddress } from '../crypto';
import type { Identity } from '../account';
import { encodeMsg, sealEnvelope } from '../envelope';
import { isArPayload } from '../ar';
import { RateLimiter, type Endpoint, endpointKey } from '../net';
import type { PeerInfo, SessionManager } from '../session';
import type { ContactRow, MessageRow, Store } from '../store';
import { Connector, type Discovery, type LinkKind, type LinkReport, type Traversal } from './connector';
import { usableSavedEndpoints } from './endpoint-policy';
import { OfflineDelivery, type MailboxItem, type MailboxPort } from './mailbox';
import { handleInbound } from './inbound';
import { Outbox } from './outbox';
import { Pacer, periodicWork, type Paces } from './periodic';
import { createInvite, parseInvite } from './invite';
import { toContact, toMessage } from './mappers';
import { recordCall, type CallRecordT } from './call-records';
import { Kind, encodePayload, type ChatPayload, type KindT } from './payload';
import type { PaymentBody } from './payment-body';
import * as pay from './payments';
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
  /** Our wallet's EIP-55 address and its proof (wallet-proof.ts) for our profile; null while locked. */
  wallet?: () => { address: string; proof: string } | null;
};

const MAX_TEXT_BYTES = 16 * 1024;

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
  private readonly outbox: Outbox;
  private timer: NodeJS.Timeout | null = null;
  private unsubs: Array<() => void> = [];
  private readonly paces: Paces = { requests: new Pacer(), pings: new Pacer(), prune: new Pacer() };
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
    this.outbox = new Outbox(this, this.connector, (c) => this.connect(c));
  }

  start(): void {
    this.roster?.start(this.store.contacts.list().length === 0);
    this.unsubs.push(
      this.sessions.on('message', (m) => {
        if (!isArPayload(m.data) && !isCallPayload(m.data) && !isDappPayload(m.data)) handleInbound(this, m);
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
    this.paces.requests.forget(row.address.toLowerCase());
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
    return this.added(c, this.store.messages.insertOutgoing({ id: toHex(randomBytes(16)), peer: c.address, text, sentAt: at, localAt: at }));
  }

  /** A new outgoing message is stored: tell the UI, and send it. */
  private added(c: ContactRow, row: MessageRow): MessageT {
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

  /** Keeps a finished call in the conversation (call-records.ts): local only, never sent. */
  recordCall(peer: string, record: CallRecordT, at: number): MessageT { return recordCall(this, peer, record, at); }

  markRead(address: string): void {
    const c = this.requireContact(address);
    if (c.unread === 0) return;
    this.store.contacts.clearUnread(address);
    this.emitContact(this.store.contacts.get(address)!);
  }

  // ── payments (payments.ts) ──────────────────────────────────────────────────

  /** A payment (send: its transaction is out already) or a request, to a friend; delivered like a text. */
  sendPayment(address: string, body: PaymentBody): MessageT {
    const c = this.requireContact(address);
    if (c.state !== 'friend') throw new BuError('NOT_FRIEND', `${c.name} is not your friend`);
    return this.added(c, pay.storeOutgoingPayment(this, c, body));
  }
  setPaymentStatus(address: string, id: string, patch: pay.PaymentPatch): MessageT {
    return pay.setPaymentStatus(this, address, id, patch);
  }
  getMessage(address: string, id: string): MessageT | null {
    const r = this.store.messages.get(address, id);
    return r ? toMessage(r) : null;
  }
  paymentMessages(filter?: { status?: string[] }): MessageT[] {
    return pay.paymentMessages(this, filter);
  }
  /** Our profile changed (e.g. the wallet opened): PING every connected friend now, not at the next keepalive. */
  announceProfile(): void {
    for (const c of this.store.contacts.list()) {
      if (c.state === 'friend' && this.sessions.isConnected(c.address)) {
        this.paces.pings.mark(c.address.toLowerCase(), this.now());
        this.sendControl(c, Kind.PING);
      }
    }
  }
  /** The wallet of a contact's signed profile (proven), or null. */
  contactWallet(address: string): string | null {
    return this.store.contacts.get(address)?.wallet ?? null;
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
      ...pay.walletFields(this.opts.wallet),
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
    if (this.paces.requests.due(`re:${c.address.toLowerCase()}`, this.now(), 60_000)) this.sendControl(c, Kind.REQUEST);
  }

  /** Send everything pending for a friend right away (e.g. after it accepted us again). */
  flushNow(address: string): void {
    const c = this.store.contacts.get(address);
    if (c && c.state === 'friend') this.flushPeer(c, true);
  }

  /** Make sure a session to a friend exists or is being set up (direct, punched or relayed). */
  ensureLink(address: string): void {
    const c = this.store.contacts.get(address);
    if (c && c.state === 'friend') void this.connect(c);
  }

  sendAck(peer: string, ids: string[]): void {
    this.transmit(peer, { id: randomBytes(16), kind: Kind.ACK, acks: ids.map((i) => fromHex(i)) });
  }

  private connect(c: ContactRow, force = false): Promise<boolean> {
    const endpoints = usableSavedEndpoints(this.store.endpoints.list(c.address), this.now());
    return this.connector.ensure({ address: c.address, publicKey: c.publicKey }, endpoints, force);
  }

  /** Transmit every due outbox message of one contact (outbox.ts); `all`: ignore backoff. */
  flushPeer(c: ContactRow, all = false): void {
    this.outbox.flush(c, all);
  }

  /** Items a router holds for us (pushed when we register). */
  collectMailbox(router: string, items: MailboxItem[]): void {
    this.offline?.collect(router, items);
  }

  /** Our current prekey bundle (rotated when due), for the DHT record. */
  prekeyBundle(): Uint8Array | null {
    return this.offline?.prekeyBundle() ?? null;
  }

  /** Periodic work (periodic.ts): due outbox, pending requests, keepalives. Cheap when idle. */
  tick(): void {
    if (this.closed) return;
    try {
      periodicWork(this, this.paces, this.connector, this.opts.keepaliveMs ?? 25_000);
    } catch (e) {
      if (!this.closed) this.logger.warn('chat tick failed', { error: String(e) });
    }
  }

  private onEstablished(peer: PeerInfo): void {
    const c = this.store.contacts.get(peer.address);
    if (!c) return;
    this.connector.reset(c.address);
    if (c.state === 'friend') {
      this.paces.pings.mark(c.address.toLowerCase(), this.now());
      this.sendControl(c, Kind.PING);
      this.flushPeer(c, true);
    } else if (c.state === 'pending_out') {
      this.paces.requests.mark(c.address.toLowerCase(), this.now());
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
