/**
 * @module ar/messages
 * AR control messages: session payloads `[0xA7][type][body]` (layouts in README.md). Every
 * request carries a 32-bit request id echoed by its reply (or by ERROR), so one session can
 * have many requests in flight. Decoding is strict: unknown types, short bodies, trailing
 * bytes and invalid addresses/endpoints are rejected (`decodeArMessage` returns null).
 */
import type { Endpoint } from '../net';
import { MAX_PAYLOAD } from '../session';
import { AR_TAG, CID_BYTES, MAILBOX_MAX_BLOB, Msg, VAULT_MAX_BLOB } from './constants';
import { Reader, Writer } from './codec';

export type WireItem = { id: Uint8Array; receivedAt: number; sender: string; blob: Uint8Array };

export type ArMessage =
  | { t: typeof Msg.REGISTER; req: number; endpoints: Endpoint[] }
  | { t: typeof Msg.REGISTERED; req: number; observed: Endpoint; pending: number }
  | { t: typeof Msg.PING; req: number }
  | { t: typeof Msg.PONG; req: number }
  | { t: typeof Msg.INTRO_REQ; req: number; target: string; endpoints: Endpoint[] }
  | { t: typeof Msg.INTRO_OK; req: number; observed: Endpoint; endpoints: Endpoint[] }
  | { t: typeof Msg.INTRO; intro: number; peer: string; observed: Endpoint; endpoints: Endpoint[] }
  | { t: typeof Msg.INTRO_ACCEPT; intro: number }
  | { t: typeof Msg.RELAY_REQ; req: number; target: string }
  | { t: typeof Msg.RELAY_OK; req: number; cid: Uint8Array; ttlMs: number; bytesPerSec: number }
  | { t: typeof Msg.RELAY_OFFER; peer: string; cid: Uint8Array; ttlMs: number; bytesPerSec: number }
  | { t: typeof Msg.RELAY_RENEW; req: number; cid: Uint8Array }
  | { t: typeof Msg.RELAY_CLOSE; cid: Uint8Array; reason: number }
  | { t: typeof Msg.RELAY_ACCEPT; cid: Uint8Array }
  | { t: typeof Msg.MAILBOX_PUT; req: number; recipient: string; blob: Uint8Array }
  | { t: typeof Msg.MAILBOX_STORED; req: number; id: Uint8Array; expiresAt: number }
  | { t: typeof Msg.MAILBOX_ITEMS; items: WireItem[] }
  | { t: typeof Msg.MAILBOX_ACK; ids: Uint8Array[] }
  | { t: typeof Msg.VAULT_PUT; req: number; version: number; blob: Uint8Array }
  | { t: typeof Msg.VAULT_STORED; req: number; version: number }
  | { t: typeof Msg.VAULT_GET; req: number }
  | { t: typeof Msg.VAULT; req: number; version: number; blob: Uint8Array }
  | { t: typeof Msg.ERROR; req: number; code: number };

/** True for AR control payloads (chat payloads are protobuf `Msg` and start with 0x08). */
export function isArPayload(data: Uint8Array): boolean {
  return data.length >= 2 && data[0] === AR_TAG;
}

const ITEM_HEADER = 16 + 8 + 20 + 4;
/** [A7][type][count u16] */
const ITEMS_HEADER = 4;

export function encodeArMessage(m: ArMessage): Uint8Array {
  const w = new Writer(m.t === Msg.MAILBOX_PUT || m.t === Msg.VAULT_PUT || m.t === Msg.VAULT ? m.blob.length + 32 : 64).u8(AR_TAG).u8(m.t);
  switch (m.t) {
    case Msg.REGISTER:
      return w.u32(m.req).endpoints(m.endpoints).finish();
    case Msg.REGISTERED:
      return w.u32(m.req).endpoint(m.observed).u32(m.pending).finish();
    case Msg.PING:
    case Msg.PONG:
      return w.u32(m.req).finish();
    case Msg.INTRO_REQ:
      return w.u32(m.req).address(m.target).endpoints(m.endpoints).finish();
    case Msg.INTRO_OK:
      return w.u32(m.req).endpoint(m.observed).endpoints(m.endpoints).finish();
    case Msg.INTRO:
      return w.u32(m.intro).address(m.peer).endpoint(m.observed).endpoints(m.endpoints).finish();
    case Msg.INTRO_ACCEPT:
      return w.u32(m.intro).finish();
    case Msg.RELAY_REQ:
      return w.u32(m.req).address(m.target).finish();
    case Msg.RELAY_OK:
      return w.u32(m.req).bytes(cid(m.cid)).u32(m.ttlMs).u32(m.bytesPerSec).finish();
    case Msg.RELAY_OFFER:
      return w.address(m.peer).bytes(cid(m.cid)).u32(m.ttlMs).u32(m.bytesPerSec).finish();
    case Msg.RELAY_RENEW:
      return w.u32(m.req).bytes(cid(m.cid)).finish();
    case Msg.RELAY_CLOSE:
      return w.bytes(cid(m.cid)).u8(m.reason).finish();
    case Msg.RELAY_ACCEPT:
      return w.bytes(cid(m.cid)).finish();
    case Msg.MAILBOX_PUT:
      if (m.blob.length > MAILBOX_MAX_BLOB) throw new RangeError('mailbox blob too large');
      return w.u32(m.req).address(m.recipient).bytes(m.blob).finish();
    case Msg.MAILBOX_STORED:
      return w.u32(m.req).bytes(m.id).u64(m.expiresAt).finish();
    case Msg.MAILBOX_ITEMS:
      w.u16(m.items.length);
      for (const it of m.items) w.bytes(it.id).u64(it.receivedAt).address(it.sender).u32(it.blob.length).bytes(it.blob);
      return w.finish();
    case Msg.MAILBOX_ACK:
      w.u16(m.ids.length);
      for (const id of m.ids) w.bytes(id);
      return w.finish();
    case Msg.VAULT_PUT:
    case Msg.VAULT:
      if (m.blob.length === 0 || m.blob.length > VAULT_MAX_BLOB) throw new RangeError('vault blob must be 1..VAULT_MAX_BLOB bytes');
      return w.u32(m.req).u64(m.version).bytes(m.blob).finish();
    case Msg.VAULT_STORED:
      return w.u32(m.req).u64(m.version).finish();
    case Msg.VAULT_GET:
      return w.u32(m.req).finish();
    case Msg.ERROR:
      return w.u32(m.req).u8(m.code).finish();
  }
}

function cid(b: Uint8Array): Uint8Array {
  if (b.length !== CID_BYTES) throw new RangeError('circuit id must be 8 bytes');
  return b;
}

/** The message, or null if `data` is not a well-formed AR payload. */
export function decodeArMessage(data: Uint8Array): ArMessage | null {
  if (!isArPayload(data)) return null;
  try {
    const r = new Reader(data, 2);
    const m = decodeBody(data[1]!, r);
    if (m) r.end();
    return m;
  } catch {
    return null;
  }
}

function decodeBody(t: number, r: Reader): ArMessage | null {
  switch (t) {
    case Msg.REGISTER:
      return { t, req: r.u32(), endpoints: r.endpoints() };
    case Msg.REGISTERED:
      return { t, req: r.u32(), observed: r.endpoint(), pending: r.u32() };
    case Msg.PING:
    case Msg.PONG:
      return { t, req: r.u32() };
    case Msg.INTRO_REQ:
      return { t, req: r.u32(), target: r.address(), endpoints: r.endpoints() };
    case Msg.INTRO_OK:
      return { t, req: r.u32(), observed: r.endpoint(), endpoints: r.endpoints() };
    case Msg.INTRO:
      return { t, intro: r.u32(), peer: r.address(), observed: r.endpoint(), endpoints: r.endpoints() };
    case Msg.INTRO_ACCEPT:
      return { t, intro: r.u32() };
    case Msg.RELAY_REQ:
      return { t, req: r.u32(), target: r.address() };
    case Msg.RELAY_OK:
      return { t, req: r.u32(), cid: r.bytes(CID_BYTES).slice(), ttlMs: r.u32(), bytesPerSec: r.u32() };
    case Msg.RELAY_OFFER:
      return { t, peer: r.address(), cid: r.bytes(CID_BYTES).slice(), ttlMs: r.u32(), bytesPerSec: r.u32() };
    case Msg.RELAY_RENEW:
      return { t, req: r.u32(), cid: r.bytes(CID_BYTES).slice() };
    case Msg.RELAY_CLOSE:
      return { t, cid: r.bytes(CID_BYTES).slice(), reason: r.u8() };
    case Msg.RELAY_ACCEPT:
      return { t, cid: r.bytes(CID_BYTES).slice() };
    case Msg.MAILBOX_PUT: {
      const req = r.u32();
      const recipient = r.address();
      const blob = r.rest();
      if (blob.length > MAILBOX_MAX_BLOB) return null;
      return { t, req, recipient, blob };
    }
    case Msg.MAILBOX_STORED:
      return { t, req: r.u32(), id: r.bytes(16).slice(), expiresAt: r.u64() };
    case Msg.MAILBOX_ITEMS: {
      const n = r.u16();
      const items: WireItem[] = [];
      for (let i = 0; i < n; i++) {
        const id = r.bytes(16).slice();
        const receivedAt = r.u64();
        const sender = r.address();
        const len = r.u32();
        if (len > MAILBOX_MAX_BLOB) return null;
        items.push({ id, receivedAt, sender, blob: r.bytes(len).slice() });
      }
      return { t, items };
    }
    case Msg.MAILBOX_ACK: {
      const n = r.u16();
      if (n * 16 !== r.remaining) return null;
      const ids: Uint8Array[] = [];
      for (let i = 0; i < n; i++) ids.push(r.bytes(16).slice());
      return { t, ids };
    }
    case Msg.VAULT_PUT:
    case Msg.VAULT:
      return { t, req: r.u32(), version: r.u64(), blob: r.blob(VAULT_MAX_BLOB).slice() };
    case Msg.VAULT_STORED:
      return { t, req: r.u32(), version: r.u64() };
    case Msg.VAULT_GET:
      return { t, req: r.u32() };
    case Msg.ERROR:
      return { t, req: r.u32(), code: r.u8() };
    default:
      return null;
  }
}

/** Splits mailbox items into MAILBOX_ITEMS payloads that each fit one session payload. */
export function encodeItemBatches(items: readonly WireItem[], maxPayload = MAX_PAYLOAD): Uint8Array[] {
  const out: Uint8Array[] = [];
  let batch: WireItem[] = [];
  let size = ITEMS_HEADER;
  for (const it of items) {
    const k = ITEM_HEADER + it.blob.length;
    if (batch.length > 0 && (size + k > maxPayload || batch.length === 0xffff)) {
      out.push(encodeArMessage({ t: Msg.MAILBOX_ITEMS, items: batch }));
      batch = [];
      size = ITEMS_HEADER;
    }
    batch.push(it);
    size += k;
  }
  if (batch.length) out.push(encodeArMessage({ t: Msg.MAILBOX_ITEMS, items: batch }));
  return out;
}

/** MAILBOX_ACK payloads of at most `perMessage` ids each. */
export function encodeAckBatches(ids: readonly Uint8Array[], perMessage = 1024): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < ids.length; i += perMessage) out.push(encodeArMessage({ t: Msg.MAILBOX_ACK, ids: ids.slice(i, i + perMessage) }));
  return out;
}
