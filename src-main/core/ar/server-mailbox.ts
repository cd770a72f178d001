/**
 * @module ar/server-mailbox
 * The router side of mailbox delivery: stores MAILBOX_PUTs, pushes a registered recipient's
 * items as MAILBOX_ITEMS (at most `mailboxPushWindowBytes` unacknowledged at a time, again after
 * `mailboxRetryMs` if no ack came), and deletes items on MAILBOX_ACK. Delivery is at-least-once;
 * the recipient acknowledges only after its own durable commit and deduplicates, so every
 * message is applied exactly once.
 */
import { fromHex, toHex, type Logger } from '../base';
import { ArErr, Msg, type ArLimits } from './constants';
import type { MailboxStore } from './mailbox-store';
import { encodeItemBatches, type ArMessage } from './messages';

type Inflight = { bytes: number; at: number };

export type MailboxStats = { stored: number; duplicates: number; refused: number; pushed: number; acked: number; expired: number };

export class MailboxService {
  /** Per recipient (lowercase): items pushed and not yet acknowledged. */
  private readonly inflight = new Map<string, Map<string, Inflight>>();
  readonly stats: MailboxStats = { stored: 0, duplicates: 0, refused: 0, pushed: 0, acked: 0, expired: 0 };

  constructor(
    readonly store: MailboxStore,
    private readonly limits: ArLimits,
    private readonly sendRaw: (address: string, payload: Uint8Array) => boolean,
    private readonly isOnline: (address: string) => boolean,
    private readonly now: () => number,
    private readonly logger: Logger,
  ) {}

  /** Handles a PUT; returns the reply for the sender. */
  put(sender: string, m: Extract<ArMessage, { t: typeof Msg.MAILBOX_PUT }>): ArMessage {
    let r;
    try {
      r = this.store.put(m.recipient, sender, m.blob, this.now());
    } catch (e) {
      this.logger.warn('ar: mailbox store failed', { error: String(e) });
      return { t: Msg.ERROR, req: m.req, code: ArErr.INTERNAL };
    }
    if (!r.ok) {
      this.stats.refused++;
      return { t: Msg.ERROR, req: m.req, code: r.code === 'QUOTA' ? ArErr.QUOTA : ArErr.LIMIT };
    }
    if (r.duplicate) this.stats.duplicates++;
    else this.stats.stored++;
    if (this.isOnline(m.recipient)) queueMicrotask(() => this.push(m.recipient));
    return { t: Msg.MAILBOX_STORED, req: m.req, id: fromHex(r.id), expiresAt: r.expiresAt };
  }

  ack(recipient: string, ids: readonly Uint8Array[]): void {
    const hex = ids.map((id) => toHex(id));
    try {
      this.stats.acked += this.store.ack(recipient, hex);
    } catch (e) {
      this.logger.warn('ar: mailbox ack failed', { error: String(e) });
    }
    const f = this.inflight.get(recipient.toLowerCase());
    if (f) for (const id of hex) f.delete(id);
    this.push(recipient);
  }

  /** Send the recipient what fits in its push window. */
  push(recipient: string): void {
    if (!this.isOnline(recipient)) return;
    const key = recipient.toLowerCase();
    let f = this.inflight.get(key);
    if (!f) this.inflight.set(key, (f = new Map()));
    const now = this.now();
    let used = 0;
    for (const [id, x] of f) {
      if (now - x.at >= this.limits.mailboxRetryMs) f.delete(id);
      else used += x.bytes;
    }
    const room = this.limits.mailboxPushWindowBytes - used;
    if (room <= 0) return;
    let items;
    try {
      items = this.store.pending(recipient, now, { exclude: new Set(f.keys()), maxBytes: room });
    } catch (e) {
      this.logger.warn('ar: mailbox read failed', { error: String(e) });
      return;
    }
    if (items.length === 0) return;
    for (const it of items) f.set(it.id, { bytes: it.blob.length, at: now });
    const batches = encodeItemBatches(items.map((it) => ({ id: fromHex(it.id), receivedAt: it.receivedAt, sender: it.sender, blob: it.blob })));
    for (const b of batches) this.sendRaw(recipient, b);
    this.stats.pushed += items.length;
  }

  /** The recipient went away: what was in flight will be pushed again on its next REGISTER. */
  forget(recipient: string): void {
    this.inflight.delete(recipient.toLowerCase());
  }

  /** Periodic: retry unacknowledged pushes, purge expired items. */
  tick(online: Iterable<string>, purge: boolean): void {
    const now = this.now();
    for (const address of online) {
      const f = this.inflight.get(address.toLowerCase());
      if (!f || f.size === 0) continue;
      for (const x of f.values()) {
        if (now - x.at >= this.limits.mailboxRetryMs) {
          this.push(address);
          break;
        }
      }
    }
    if (purge) {
      try {
        this.stats.expired += this.store.purgeExpired(now);
      } catch (e) {
        this.logger.warn('ar: mailbox purge failed', { error: String(e) });
      }
    }
  }

  pendingCount(recipient: string): number {
    try {
      return this.store.usage(recipient, this.now()).items;
    } catch {
      return 0;
    }
  }

  close(): void {
    this.inflight.clear();
    this.store.close();
  }
}
