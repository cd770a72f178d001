/** Store rows → bridge contract shapes. The only place that decides what the UI sees. */
import type { ContactT, MessageT } from '../../../src-preload/contract';
import type { ContactRow, MessageRow } from '../store';

export function toMessage(r: MessageRow): MessageT {
  return {
    id: r.id,
    peer: r.peer,
    direction: r.direction,
    text: r.text,
    state: r.state,
    sentAt: r.sentAt,
    localAt: r.localAt,
    seq: r.seq,
    payment: null,
  };
}

export function toContact(r: ContactRow, online: boolean, last: MessageRow | null): ContactT {
  return {
    address: r.address,
    name: r.name,
    state: r.state,
    unread: r.unread,
    online,
    lastMessage: last ? { text: last.text.slice(0, 200), at: last.localAt, direction: last.direction } : null,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    wallet: null,
  };
}
