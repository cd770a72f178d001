/**
 * @module chat/payments
 * Payment messages (issue 10 item 7) and the profile wallet, on top of the chat's store and
 * outbox. A payment is a message of kind 'payment': the signed body (payment-body.ts) plus the
 * local status, which only this side changes (the node's on-chain verifier, through
 * `setPaymentStatus`). It travels as ChatPayload kind PAYMENT through the same outbox, ACK and
 * dedup path as TEXT, so it survives crashes and offline peers and is stored once.
 */
import type { MessageT, PaymentStatusT } from '../../../src-preload/contract';
import { BuError, toHex } from '../base';
import { randomBytes } from '../crypto';
import type { ContactRow, MessageRow } from '../store';
import type { ChatService } from './chat-service';
import { storedPayment, toMessage, type StoredPayment } from './mappers';
import { checkPaymentBody, paymentSummary, type PaymentBody } from './payment-body';
import { Kind, type ChatPayload, type KindT } from './payload';
import { checksumWallet, verifyWalletProof } from './wallet-proof';

type Effect = () => void;
export type PaymentPatch = { status: PaymentStatusT; detail?: string | null; paidBy?: string | null };

const STATUSES: readonly PaymentStatusT[] = ['requested', 'pending', 'confirmed', 'failed', 'paid', 'unverified'];
const TX_HASH = /^0x[0-9a-fA-F]{64}$/;
const MAX_DETAIL = 200;

/** The JSON stored for a new payment: the body and its first status. */
export function newPaymentJson(body: PaymentBody): StoredPayment {
  return { ...body, status: body.type === 'send' ? 'pending' : 'requested', detail: null, paidBy: null };
}

/** The signed body of a stored payment (what is (re)transmitted). */
export function bodyOf(p: StoredPayment): PaymentBody {
  const { type, chainId, networkName, token, symbol, decimals, amount, to, from, txHash, note, requestId } = p;
  return { type, chainId, networkName, token, symbol, decimals, amount, to, from, txHash, note, requestId };
}

/** The payload that carries a stored outgoing message (TEXT or PAYMENT), for the outbox and the mailbox. */
export function payloadOfRow(m: MessageRow, id: Uint8Array): Partial<ChatPayload> & { id: Uint8Array; kind: KindT } {
  const p = storedPayment(m);
  return p ? { id, kind: Kind.PAYMENT, payment: bodyOf(p), sentMs: m.sentAt } : { id, kind: Kind.TEXT, text: m.text, sentMs: m.sentAt };
}

/** Stores an outgoing payment message ('sending') and returns it; the caller emits and flushes. */
export function storeOutgoingPayment(chat: ChatService, c: ContactRow, body: PaymentBody): MessageRow {
  const checked = checkPaymentBody(body, 'BAD_INPUT');
  const at = chat.now();
  return chat.store.messages.insertOutgoing({
    id: toHex(randomBytes(16)),
    peer: c.address,
    text: paymentSummary(checked, 'out'),
    sentAt: at,
    localAt: at,
    kind: 'payment',
    payment: newPaymentJson(checked),
  });
}

/** Stores a received PAYMENT once (inside the inbound transaction). */
export function storeIncomingPayment(chat: ChatService, c: ContactRow, p: ChatPayload): { row: MessageRow; inserted: boolean } {
  const body = p.payment!;
  return chat.store.messages.insertIncoming({
    id: toHex(p.id),
    peer: c.address,
    text: paymentSummary(body, 'in'),
    sentAt: p.sentMs,
    localAt: chat.now(),
    kind: 'payment',
    payment: newPaymentJson(body),
  });
}

/** Updates the local status of a payment message; emits 'messageUpdated' only if something changed. */
export function setPaymentStatus(chat: ChatService, peer: string, id: string, patch: PaymentPatch): MessageT {
  const row = chat.store.messages.get(peer, id);
  const cur = row && storedPayment(row);
  if (!row || !cur) throw new BuError('NOT_FOUND', 'There is no payment with that id in this conversation.');
  if (!STATUSES.includes(patch.status)) throw new BuError('BAD_INPUT', `Unknown payment status ${String(patch.status)}.`);
  const detail = patch.detail === undefined ? cur.detail : patch.detail;
  const paidBy = patch.paidBy === undefined ? cur.paidBy : patch.paidBy;
  if (detail !== null && (typeof detail !== 'string' || detail.length > MAX_DETAIL)) throw new BuError('BAD_INPUT', 'A payment detail is a short sentence.');
  if (paidBy !== null && (typeof paidBy !== 'string' || !TX_HASH.test(paidBy))) throw new BuError('BAD_INPUT', 'paidBy must be a transaction hash.');
  if (cur.status === patch.status && cur.detail === detail && cur.paidBy === paidBy) return toMessage(row);
  const updated = chat.store.messages.setPayment(peer, id, { ...cur, status: patch.status, detail, paidBy })!;
  const msg = toMessage(updated);
  chat.emit('messageUpdated', msg);
  return msg;
}

/** Every payment message (all conversations), oldest first, optionally only those with one of `status`. */
export function paymentMessages(chat: ChatService, filter: { status?: string[] } = {}): MessageT[] {
  return chat.store.messages.payments(filter.status).map(toMessage);
}

/** Our wallet and its proof, for REQUEST / ACCEPT / PING (nothing while the wallet is locked). */
export function walletFields(get: (() => { address: string; proof: string } | null) | undefined): Pick<ChatPayload, 'wallet' | 'walletProof'> | null {
  const w = get?.();
  if (!w) return null;
  const hex = w.proof.startsWith('0x') ? w.proof.slice(2) : w.proof;
  return { wallet: w.address, walletProof: new Uint8Array(Buffer.from(hex, 'hex')) };
}

/**
 * A profile wallet in a REQUEST / ACCEPT / PING from `address` (the authenticated sender):
 * stored if its proof binds it to that identity and it is new; a bad proof is logged and ignored.
 */
export function saveWallet(chat: ChatService, address: string, p: ChatPayload, after: Effect[]): void {
  if (!p.wallet) return;
  const c = chat.store.contacts.get(address);
  if (!c || c.wallet?.toLowerCase() === p.wallet.toLowerCase()) return;
  if (!verifyWalletProof(c.address, p.wallet, p.walletProof)) {
    chat.logger.warn('wallet proof does not match the sender; ignored', { peer: c.address, wallet: p.wallet });
    return;
  }
  chat.store.contacts.setWallet(c.address, checksumWallet(p.wallet));
  // read again after the commit: the newest row, whatever else this payload changed
  after.push(() => {
    const row = chat.store.contacts.get(address);
    if (row) chat.emitContact(row);
  });
}
