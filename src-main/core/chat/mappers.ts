/**
 * @module chat/mappers
 * Store rows → bridge contract shapes. The only place that decides what the UI sees. A call
 * message (kind 'call') carries its record as `call`; its text is the summary stored with it.
 */
import type { CallRecordT, ContactT, MessageT, PaymentStatusT, PaymentT } from '../../../src-preload/contract';
import type { ContactRow, MessageRow } from '../store';
import { formatPaymentAmount, paymentSummary, type PaymentBody } from './payment-body';

/** A payment message's JSON as stored: the signed body plus what this side knows about it. */
export type StoredPayment = PaymentBody & { status: PaymentStatusT; detail: string | null; paidBy: string | null };

export function storedPayment(r: MessageRow): StoredPayment | null {
  return r.kind === 'payment' && r.payment ? (r.payment as StoredPayment) : null;
}

export function toPayment(p: StoredPayment): PaymentT {
  return {
    type: p.type,
    chainId: p.chainId,
    networkName: p.networkName,
    token: p.token,
    amount: { amount: p.amount, formatted: formatPaymentAmount(p), symbol: p.symbol, decimals: p.decimals },
    to: p.to,
    from: p.from,
    txHash: p.txHash,
    note: p.note,
    status: p.status,
    paidBy: p.paidBy,
    requestId: p.requestId,
    detail: p.detail,
  };
}

export function toMessage(r: MessageRow): MessageT {
  const p = storedPayment(r);
  const call = r.kind === 'call' && r.call ? (r.call as CallRecordT) : null;
  return {
    id: r.id,
    peer: r.peer,
    direction: r.direction,
    text: p ? paymentSummary(p, r.direction) : r.text,
    state: r.state,
    sentAt: r.sentAt,
    localAt: r.localAt,
    seq: r.seq,
    payment: p ? toPayment(p) : null,
    // Only call messages carry the field (it is optional in the contract).
    ...(call ? { call } : {}),
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
    wallet: r.wallet,
  };
}
