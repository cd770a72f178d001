/**
 * @module chat/mailbox
 * Offline delivery through routers' mailboxes (seed 000: "AR can provide extra services,
 * caching the message … When AR receives connection request from B, AR redirects the encrypted
 * messages to B"), with forward secrecy (issue 3 item 6): the envelope's `encrypted_data` is a
 * Double Ratchet message (scheme 2) started by X3DH from the friend's published prekey bundle,
 * so neither the router nor a later thief of a long-term key can read what waited there.
 *
 *   deposit: ratchet-encrypt → persist the advanced state (before anything leaves) → put on one
 *            of the friend's routers → mark the message mailboxed (the live outbox keeps retrying
 *            until the friend's ACK, which dedups by id).
 *   collect: router pushes items when we register → decrypt + verify + store in one
 *            transaction together with the new ratchet state → ack the router after the commit.
 */
import { BuError, fromHex, type Logger } from '../base';
import type { Identity } from '../account';
import { SCHEME_RATCHET, decodeMsg, encodeMsg, openEnvelopeWith, sealEnvelopeWith } from '../envelope';
import type { Endpoint } from '../net';
import {
  decodeBundle,
  decodePrekeySecret,
  deserializeState,
  encodeBundle,
  encodePrekeySecret,
  initiateSession,
  ratchetDecrypt,
  ratchetEncrypt,
  rotatePrekeys,
  serializeState,
  verifyBundle,
  type RatchetState,
} from '../ratchet';
import type { MessageRow, Store } from '../store';
import type { ChatService } from './chat-service';
import { applyOpened } from './inbound';
import { encodePayload } from './payload';
import { payloadOfRow } from './payments';

/** What the chat needs from the routers' mailbox service (implemented by core/ar's client). */
export type MailboxPort = {
  put(recipient: string, blob: Uint8Array, via: Endpoint[]): Promise<boolean>;
  ack(router: string, ids: string[]): void;
};

export type MailboxItem = { id: string; blob: Uint8Array };

export class OfflineDelivery {
  private bundleBytes: Uint8Array | null = null;
  private rotationCheckedAt = 0;

  constructor(
    private chat: ChatService,
    private port: MailboxPort,
    private logger: Logger,
  ) {}

  private get store(): Store {
    return this.chat.store;
  }

  private get identity(): Identity {
    return this.chat.identity;
  }

  /** Rotate our signed prekey when due; returns the encoded bundle to publish (DHT record extra). */
  prekeyBundle(now = this.chat.now()): Uint8Array {
    // Rotation is weekly: look at the stored prekeys (and sign a bundle) at most hourly.
    if (this.bundleBytes && now - this.rotationCheckedAt < 3_600_000) return this.bundleBytes;
    this.rotationCheckedAt = now;
    const stored = this.store.ratchets.prekeys().map((p) => decodePrekeySecret(p.secret));
    const r = rotatePrekeys(this.identity, stored, { now });
    if (r.rotated || !this.bundleBytes) {
      const bundle = encodeBundle(r.bundle);
      this.store.tx(() => {
        const newest = r.secrets[0]!;
        this.store.ratchets.addPrekey({ id: newest.id, secret: encodePrekeySecret(newest), bundle, createdAt: newest.createdAt });
        this.store.ratchets.keepOnlyPrekeys(r.secrets.map((s) => s.id));
      });
      this.bundleBytes = bundle;
    }
    return this.bundleBytes;
  }

  /** Put one outgoing message in a router mailbox of its (offline) recipient. */
  async deposit(m: MessageRow, record: { routers: Endpoint[]; prekeys: Uint8Array | null }): Promise<boolean> {
    if (!record.prekeys || record.routers.length === 0) return false;
    const peer = m.peer;
    let state: RatchetState;
    const saved = this.store.ratchets.get(peer);
    const prior = saved ? deserializeState(saved) : null;
    const bundle = () => {
      const b = decodeBundle(record.prekeys!);
      if (b.address.toLowerCase() !== peer.toLowerCase() || !verifyBundle(b)) throw new BuError('BAD_ENVELOPE', 'the friend published an invalid prekey bundle');
      return b;
    };
    if (!prior) state = initiateSession(this.identity, bundle());
    else {
      // The friend never answered in this session and no longer publishes the prekey it started
      // from (rotated, or the account moved to a new machine, which holds none of the old
      // prekeys): start afresh from the current bundle, or nothing we leave could ever be opened.
      const started = prior.current.pendingInitial?.prekeyId;
      let restarted: RatchetState | null = null;
      try {
        const current = started === undefined ? null : bundle();
        if (current && current.signedPrekeyId !== started) restarted = initiateSession(this.identity, current, { previous: prior });
      } catch (e) {
        this.logger.debug('mailbox: kept the ratchet session (current bundle unusable)', { peer, error: String(e) });
      }
      state = restarted ?? prior;
    }
    let next: RatchetState | null = null;
    const msg = sealEnvelopeWith({
      ts: Math.floor(m.sentAt / 1000),
      signer: this.identity,
      dstAddr: peer,
      plaintext: encodePayload(payloadOfRow(m, fromHex(m.id))), // TEXT or PAYMENT
      scheme: SCHEME_RATCHET,
      encrypt: (plaintext, header) => {
        const r = ratchetEncrypt(state, plaintext, header);
        next = r.state;
        return r.message;
      },
    });
    // The advanced chain must be durable before its ciphertext leaves: never reuse a message key.
    this.store.ratchets.put(peer, serializeState(next!), this.chat.now());
    const ok = await this.port.put(peer, encodeMsg(msg), record.routers);
    if (ok) this.store.messages.markMailboxed(peer, m.id, this.chat.now());
    return ok;
  }

  /** Items a router pushed to us: open, store, then let the router delete them. */
  collect(router: string, items: MailboxItem[]): void {
    const done: string[] = [];
    for (const item of items) {
      try {
        this.openOne(item.blob);
      } catch (e) {
        // Undecryptable (e.g. sealed to the prekeys of a machine this account used before: forward
        // secrecy). The sender's outbox still holds the message and re-sends it over a live session,
        // so the copy is acknowledged (or the router would push it forever) and dropped, with a trace.
        this.logger.debug('mailbox item dropped', { router, id: item.id, error: e instanceof Error ? e.message : String(e) });
      }
      done.push(item.id);
    }
    if (done.length) this.port.ack(router, done);
  }

  private openOne(blob: Uint8Array): void {
    const msg = decodeMsg(blob);
    if (msg.scheme !== SCHEME_RATCHET) throw new BuError('BAD_ENVELOPE', 'mailbox item is not a ratchet envelope');
    const saved = this.store.ratchets.get(msg.srcAddr);
    const prior = saved ? deserializeState(saved) : null;
    const prekeys = this.store.ratchets.prekeys().map((p) => decodePrekeySecret(p.secret));
    let next: RatchetState | null = null;
    let from = '';
    const opened = openEnvelopeWith(msg, {
      selfAddress: this.identity.address,
      decrypt: (data, header) => {
        try {
          const r = ratchetDecrypt(prior, data, header, { identity: this.identity, prekeys });
          next = r.state;
          from = r.peerAddress;
          return r.plaintext;
        } catch {
          return null;
        }
      },
    });
    if (from.toLowerCase() !== msg.srcAddr.toLowerCase()) throw new BuError('BAD_ENVELOPE', 'ratchet peer differs from the envelope source');
    applyOpened(this.chat, { address: msg.srcAddr, publicKey: opened.signerPublicKey, endpoint: null }, msg, opened.plaintext, () => {
      if (next && this.store.contacts.get(msg.srcAddr)) this.store.ratchets.put(msg.srcAddr, serializeState(next), this.chat.now());
    });
  }
}
