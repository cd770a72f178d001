/**
 * @module chat/outbox
 * Sending what the store holds for a friend: every due outgoing message (TEXT or PAYMENT) over
 * the live session, each attempt recorded with its backoff before the next (→ 'sent' once a
 * session took it); with no session, connect, and when every rung of the ladder failed, leave
 * the messages in one of the friend's router mailboxes. A message leaves the outbox only with
 * the friend's ACK ('delivered'), so a retransmission is always safe (receivers dedup by id).
 */
import { fromHex } from '../base';
import type { ContactRow, MessageRow } from '../store';
import { backoffMs } from './backoff';
import type { ChatService } from './chat-service';
import type { Connector } from './connector';
import { toMessage } from './mappers';
import { payloadOfRow } from './payments';

export class Outbox {
  private depositing = new Set<string>();

  constructor(
    private readonly chat: ChatService,
    private readonly connector: Connector,
    private readonly connect: (c: ContactRow) => Promise<boolean>,
  ) {}

  /** Transmit every due outbox message of one contact (or connect first, or use its mailbox); `all`: ignore backoff. */
  flush(c: ContactRow, all = false): void {
    if (!this.chat.sessions.isConnected(c.address)) {
      void this.connect(c);
      this.depositOffline(c);
      return;
    }
    const now = this.chat.now();
    for (const m of this.chat.store.messages.dueOutboxFor(c.address, all ? Number.MAX_SAFE_INTEGER : now, 500)) this.transmit(m, now);
  }

  private transmit(m: MessageRow, now: number): void {
    const { store } = this.chat;
    const { peer, id, attempts } = m;
    const ok = this.chat.transmit(peer, payloadOfRow(m, fromHex(id)), Math.floor(m.sentAt / 1000));
    const row = store.tx(() => {
      store.messages.scheduleRetry(peer, id, attempts + 1, now + backoffMs(attempts, { baseMs: 1500, capMs: 30_000 }));
      return ok && m.state === 'sending' ? store.messages.setState(peer, id, 'sent') : null;
    });
    if (row) this.chat.emit('messageUpdated', toMessage(row));
  }

  /** The friend could not be reached by any rung of the ladder: leave its messages in a mailbox. */
  private depositOffline(c: ContactRow): void {
    const { offline, store } = this.chat;
    const record = this.connector.lastRecord.get(c.address.toLowerCase());
    if (!offline || !record || this.connector.failureCount(c.address) === 0) return;
    for (const m of store.messages.dueOutboxFor(c.address, Number.MAX_SAFE_INTEGER, 200)) {
      if (m.mailboxedAt !== null || this.depositing.has(m.id)) continue;
      this.depositing.add(m.id);
      offline
        .deposit(m, record)
        .then((ok) => {
          const row = ok && m.state === 'sending' ? store.messages.setState(m.peer, m.id, 'sent') : null;
          if (row) this.chat.emit('messageUpdated', toMessage(row));
        })
        .catch((e: unknown) => this.chat.logger.warn('mailbox deposit failed', { peer: c.address, error: String(e) }))
        .finally(() => this.depositing.delete(m.id));
    }
  }
}
