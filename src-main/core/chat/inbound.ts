/**
 * @module chat/inbound
 * What happens to one decrypted session payload. Order of checks (cheapest first, nothing
 * stored before the envelope is proven): decode `Msg` → open (decrypt, dst must be us,
 * signature must recover src) → src must be the authenticated session peer → (ts, signature)
 * dedup → contact policy (blocked: drop; stranger: only a rate-limited REQUEST) → apply.
 * All store changes for one payload happen in one transaction; every effect that leaves the
 * process (ACK, ACCEPT, UI events) is queued in `after` and runs only once that transaction has
 * committed (synchronous=FULL) — so a TEXT or PAYMENT is acked only when it is durable.
 * REQUEST / ACCEPT / PING also carry the sender's profile: endpoints and a proven wallet.
 */
import { isBuError, toHex } from '../base';
import { bytesEqual } from '../base';
import { sameAddress } from '../crypto';
import { decodeMsg, openEnvelope, type Msg } from '../envelope';
import { parseEndpoint, type Endpoint } from '../net';
import type { PeerInfo } from '../session';
import type { ContactRow } from '../store';
import type { ChatService } from './chat-service';
import { toMessage } from './mappers';
import { Kind, decodePayload, type ChatPayload } from './payload';
import { saveWallet, storeIncomingPayment } from './payments';

type Effect = () => void;

/** Who sent a payload: the authenticated session peer, or (mailbox) the verified envelope signer. */
export type Sender = { address: string; publicKey: Uint8Array; endpoint: Endpoint | null };

export function handleInbound(chat: ChatService, m: { peer: PeerInfo; data: Uint8Array; envelopeKey: Uint8Array }): void {
  try {
    const msg = decodeMsg(m.data);
    const opened = openEnvelope(msg, { key: m.envelopeKey, selfAddress: chat.identity.address });
    if (!sameAddress(msg.srcAddr, m.peer.address) || !bytesEqual(opened.signerPublicKey, m.peer.publicKey)) {
      chat.logger.warn('envelope source differs from session peer; dropped', { peer: m.peer.address });
      return;
    }
    applyOpened(chat, m.peer, msg, opened.plaintext);
  } catch (e) {
    if (isBuError(e, 'BAD_ENVELOPE')) chat.logger.debug('bad envelope dropped', { peer: m.peer.address, error: e.message });
    else chat.logger.warn('inbound handling failed', { peer: m.peer.address, error: String(e) });
  }
}

/**
 * Apply one opened, signature-checked payload from `sender` in a single transaction. `inTx`
 * runs inside that transaction (the mailbox persists its ratchet state there); effects that
 * leave the process run after the commit, then `afterCommit`.
 */
export function applyOpened(chat: ChatService, sender: Sender, msg: Msg, plaintext: Uint8Array, inTx?: () => void, afterCommit?: Effect): void {
  const payload = decodePayload(plaintext);
  const after: Effect[] = [];
  chat.store.tx(() => {
    inTx?.();
    const fresh = chat.store.seen.add(msg.srcAddr, msg.ts, msg.signedDataHash, chat.now());
    const contact = chat.store.contacts.get(msg.srcAddr);
    if (contact?.state === 'blocked') return;
    if (!contact || contact.state !== 'friend') {
      onNonFriend(chat, sender, contact, payload, fresh, after);
      return;
    }
    chat.store.contacts.touch(contact.address, chat.now());
    onFriend(chat, sender, contact, payload, fresh, after);
  });
  for (const effect of after) effect();
  afterCommit?.();
}

function onNonFriend(chat: ChatService, peer: Sender, contact: ContactRow | null, p: ChatPayload, fresh: boolean, after: Effect[]): void {
  if (p.kind === Kind.REQUEST) {
    if (!fresh) return;
    if (contact?.state === 'pending_out') {
      // Both sides added each other: that is mutual consent.
      const row = chat.store.contacts.setState(contact.address, 'friend');
      after.push(() => chat.sendControl(row, Kind.ACCEPT), () => chat.emitContact(row));
      saveProfile(chat, row.address, peer, p, after);
      return;
    }
    if (contact?.state === 'pending_in') {
      saveProfile(chat, contact.address, peer, p, after);
      return;
    }
    if (contact?.state === 'declined') return;
    if (!chat.strangerBudget.take('requests', chat.now())) return;
    const row = chat.store.contacts.upsert({
      address: peer.address,
      publicKey: peer.publicKey,
      name: p.name.trim() || 'Unknown',
      state: 'pending_in',
    });
    after.push(() => chat.emitContact(row));
    saveProfile(chat, row.address, peer, p, after);
    return;
  }
  if (!contact || contact.state === 'pending_in') {
    // An authenticated peer talks to us as a friend but we have no such friend (this account
    // moved to a new machine, or lost its data): say so, and it will ask again with a REQUEST.
    if ((p.kind === Kind.TEXT || p.kind === Kind.PAYMENT || p.kind === Kind.PING) && fresh && chat.strangerBudget.take(`unknown:${peer.address.toLowerCase()}`, chat.now())) {
      after.push(() => chat.sendUnknown(peer.address));
    }
    return;
  }
  if (p.kind === Kind.ACCEPT && contact.state === 'pending_out') {
    const row = chat.store.contacts.setState(contact.address, 'friend');
    after.push(() => chat.emitContact(row), () => chat.tick());
    saveProfile(chat, row.address, peer, p, after);
  } else if (p.kind === Kind.DECLINE && contact.state === 'pending_out') {
    const row = chat.store.contacts.setState(contact.address, 'declined');
    after.push(() => chat.emitContact(row));
  }
}

function onFriend(chat: ChatService, peer: Sender, contact: ContactRow, p: ChatPayload, fresh: boolean, after: Effect[]): void {
  switch (p.kind) {
    case Kind.TEXT:
    case Kind.PAYMENT: {
      const id = toHex(p.id);
      const at = chat.now();
      const { row, inserted } =
        p.kind === Kind.PAYMENT
          ? storeIncomingPayment(chat, contact, p)
          : chat.store.messages.insertIncoming({ id, peer: contact.address, text: p.text, sentAt: p.sentMs, localAt: at });
      if (inserted) chat.store.contacts.addUnread(contact.address, 1);
      // After the commit (and on every duplicate) the sender may learn it was delivered.
      after.push(() => chat.sendAck(contact.address, [id]));
      if (inserted) after.push(() => chat.emit('messageAdded', toMessage(row)), () => chat.emitContact(chat.store.contacts.get(contact.address)!));
      return;
    }
    case Kind.ACK: {
      const changed = chat.store.messages.markDelivered(contact.address, p.acks.map((a) => toHex(a)));
      after.push(() => {
        for (const r of changed) chat.emit('messageUpdated', toMessage(r));
      });
      return;
    }
    case Kind.PING:
      if (fresh) saveProfile(chat, contact.address, peer, p, after);
      return;
    case Kind.REQUEST:
      // They lost our ACCEPT (or their state): confirm again.
      after.push(() => chat.sendControl(contact, Kind.ACCEPT));
      saveProfile(chat, contact.address, peer, p, after);
      return;
    case Kind.ACCEPT:
      // (Re)accepted — e.g. by our friend's new machine: deliver what waited, now.
      after.push(() => chat.flushNow(contact.address));
      saveProfile(chat, contact.address, peer, p, after);
      return;
    case Kind.UNKNOWN:
      if (fresh) after.push(() => chat.rerequest(contact));
      return;
    default:
      return;
  }
}

/** What a REQUEST / ACCEPT / PING says about its sender: where it listens, and its wallet. */
function saveProfile(chat: ChatService, address: string, peer: Sender, p: ChatPayload, after: Effect[]): void {
  saveEndpoints(chat, address, peer, p);
  saveWallet(chat, address, p, after);
}

/** Seed 000: a friend's PING updates its saved IP:port; we also keep the endpoints it lists. */
function saveEndpoints(chat: ChatService, address: string, peer: Sender, p: ChatPayload): void {
  const at = chat.now();
  const seen = peer.endpoint && !chat.isRelayEndpoint(peer.endpoint) ? peer.endpoint : null;
  if (seen) chat.store.endpoints.put(address, seen.host, seen.port, 'ping', at);
  for (const s of p.endpoints.slice(0, 8)) {
    try {
      const e = parseEndpoint(s);
      // self-reported (even when it is also where the packet came from: a public host), so
      // the ladder can tell it from a NAT mapping that only lives while the NAT keeps it
      chat.store.endpoints.put(address, e.host, e.port, 'observed', at);
    } catch {
      /* ignore a malformed endpoint */
    }
  }
}
