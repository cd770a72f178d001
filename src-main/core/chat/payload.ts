/**
 * @module chat/payload
 * The chat application's plaintext, carried inside the seed's `Msg.encrypted_data`
 * (see core/envelope). A small protobuf so new fields can be added at new numbers:
 *
 *   message ChatPayload {
 *     bytes  id        = 1;  // 16 random bytes, the message id (dedup + acks)
 *     int32  kind      = 2;  // Kind below (7 = UNKNOWN: the receiver has no such contact)
 *     string text      = 3;  // TEXT
 *     repeated bytes acks = 4;  // ACK: ids being acknowledged (after the receiver's commit)
 *     string name      = 5;  // REQUEST / ACCEPT / PING: the sender's display name
 *     repeated string endpoints = 6; // REQUEST / ACCEPT / PING: "host:port" the sender listens on
 *     double sent_ms   = 7;  // sender clock, ms
 *     string wallet    = 8;  // REQUEST / ACCEPT / PING: our wallet address (EIP-55), "" = none
 *     bytes  wallet_proof = 9; // its 65-byte EIP-191 signature over walletProofText(identity)
 *     bytes  payment   = 10; // PAYMENT: a PaymentBody (payment-body.ts)
 *   }
 *
 * Unknown fields are skipped by older decoders; an unknown kind is refused (BAD_ENVELOPE).
 * `wallet`/`wallet_proof` are only length-checked here: a bad proof must not cost the PING
 * (inbound.ts verifies it and ignores a bad one).
 */
import protobuf from 'protobufjs';
import { BuError } from '../base';
import { decodePaymentBody, encodePaymentBody, type PaymentBody } from './payment-body';

export const Kind = {
  TEXT: 1,
  ACK: 2,
  REQUEST: 3,
  ACCEPT: 4,
  DECLINE: 5,
  PING: 6,
  /** "I do not know you": a node that lost its contacts (e.g. a new machine) got our payload. */
  UNKNOWN: 7,
  /** A payment sent or requested (`payment`); stored and acknowledged like TEXT. */
  PAYMENT: 8,
} as const;
export type KindT = (typeof Kind)[keyof typeof Kind];

export type ChatPayload = {
  id: Uint8Array;
  kind: KindT;
  text: string;
  acks: Uint8Array[];
  name: string;
  endpoints: string[];
  sentMs: number;
  wallet: string;
  walletProof: Uint8Array;
  /** Set for (and only for) PAYMENT. */
  payment: PaymentBody | null;
};

const T = new protobuf.Type('ChatPayload')
  .add(new protobuf.Field('id', 1, 'bytes'))
  .add(new protobuf.Field('kind', 2, 'int32'))
  .add(new protobuf.Field('text', 3, 'string'))
  .add(new protobuf.Field('acks', 4, 'bytes', 'repeated'))
  .add(new protobuf.Field('name', 5, 'string'))
  .add(new protobuf.Field('endpoints', 6, 'string', 'repeated'))
  .add(new protobuf.Field('sentMs', 7, 'double'))
  .add(new protobuf.Field('wallet', 8, 'string'))
  .add(new protobuf.Field('walletProof', 9, 'bytes'))
  .add(new protobuf.Field('payment', 10, 'bytes'));

const KINDS = new Set<number>(Object.values(Kind));
const MAX_ACKS = 256;
const MAX_ENDPOINTS = 16;

export function encodePayload(p: Partial<ChatPayload> & { id: Uint8Array; kind: KindT }): Uint8Array {
  return T.encode({
    id: p.id,
    kind: p.kind,
    text: p.text ?? '',
    acks: p.acks ?? [],
    name: p.name ?? '',
    endpoints: p.endpoints ?? [],
    sentMs: p.sentMs ?? Date.now(),
    wallet: p.wallet ?? '',
    walletProof: p.walletProof ?? new Uint8Array(0),
    payment: p.payment ? encodePaymentBody(p.payment) : new Uint8Array(0),
  }).finish();
}

export function decodePayload(bytes: Uint8Array): ChatPayload {
  let m: Record<string, unknown>;
  try {
    m = T.toObject(T.decode(bytes), { defaults: true, arrays: true }) as Record<string, unknown>;
  } catch (e) {
    throw new BuError('BAD_ENVELOPE', 'malformed chat payload', { cause: e });
  }
  const id = m.id as Uint8Array;
  const kind = m.kind as number;
  const acks = m.acks as Uint8Array[];
  const endpoints = m.endpoints as string[];
  if (!(id instanceof Uint8Array) || id.length !== 16) throw new BuError('BAD_ENVELOPE', 'chat payload id must be 16 bytes');
  if (!KINDS.has(kind)) throw new BuError('BAD_ENVELOPE', `unknown chat payload kind ${kind}`);
  if (acks.length > MAX_ACKS || acks.some((a) => a.length !== 16)) throw new BuError('BAD_ENVELOPE', 'bad acks');
  if (endpoints.length > MAX_ENDPOINTS) throw new BuError('BAD_ENVELOPE', 'too many endpoints');
  const paymentBytes = m.payment as Uint8Array;
  if ((kind === Kind.PAYMENT) !== paymentBytes.length > 0) throw new BuError('BAD_ENVELOPE', 'a PAYMENT needs its payment, and only it has one');
  const wallet = String(m.wallet ?? '');
  const walletProof = m.walletProof as Uint8Array;
  const hasWallet = wallet.length === 42 && walletProof.length === 65;
  return {
    id: new Uint8Array(id),
    kind: kind as KindT,
    text: String(m.text ?? ''),
    acks: acks.map((a) => new Uint8Array(a)),
    name: String(m.name ?? '').slice(0, 64),
    endpoints,
    sentMs: Number(m.sentMs ?? 0),
    wallet: hasWallet ? wallet : '',
    walletProof: hasWallet ? new Uint8Array(walletProof) : new Uint8Array(0),
    payment: kind === Kind.PAYMENT ? decodePaymentBody(paymentBytes) : null,
  };
}
