/**
 * @module call/signal
 * Call signalling messages: one session payload each, first byte 0xB0 (base/payload-tags),
 * version 1, then a small JSON object. The friend session already authenticates the sender
 * and encrypts the bytes, so this layer only has to be strict about shape: `decodeSignal`
 * refuses anything it does not know exactly (BAD_ENVELOPE), and the service drops it.
 *
 * Every message but `ack` carries a number `n`, unique per sender and call, and is repeated
 * until the friend acknowledges it (`ack` with the same call id and `n`): signalling is
 * reliable, media (media-packet.ts) is not.
 */
import { BuError, PAYLOAD_TAG } from '../base';

export const SIGNAL_VERSION = 1;
const MAX_SIGNAL = 1024;

export type SignalBody =
  /** The caller rings: its ephemeral X25519 key for this call, and whether it wants video. */
  | { t: 'offer'; video: boolean; key: string }
  /** The callee's phone rings (sent once the offer arrived). */
  | { t: 'ringing' }
  /** The callee took the call: its ephemeral key. */
  | { t: 'answer'; video: boolean; key: string }
  | { t: 'decline'; reason: 'declined' | 'busy' }
  /** The caller gave up before an answer (or its ring timed out). */
  | { t: 'cancel'; reason: 'cancelled' | 'no-answer' }
  | { t: 'hangup' }
  /** Our microphone or camera changed. */
  | { t: 'media'; muted: boolean; camera: boolean };

export type Signal = ({ id: string; n: number } & SignalBody) | { t: 'ack'; id: string; n: number };

const ID = /^[0-9a-f]{32}$/;
const KEY = /^[0-9a-f]{64}$/;

export function encodeSignal(s: Signal): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(s));
  const out = new Uint8Array(2 + json.length);
  out[0] = PAYLOAD_TAG.CALL_SIGNAL;
  out[1] = SIGNAL_VERSION;
  out.set(json, 2);
  return out;
}

function bad(why: string): never {
  throw new BuError('BAD_ENVELOPE', `call signal: ${why}`);
}

function only(o: Record<string, unknown>, keys: string[]): void {
  for (const k of Object.keys(o)) if (!keys.includes(k)) bad(`unexpected field ${k}`);
  for (const k of keys) if (!(k in o)) bad(`missing field ${k}`);
}

export function decodeSignal(data: Uint8Array): Signal {
  if (data.length < 3 || data.length > MAX_SIGNAL) bad('size');
  if (data[0] !== PAYLOAD_TAG.CALL_SIGNAL) bad('not a signal');
  if (data[1] !== SIGNAL_VERSION) bad(`version ${data[1]}`);
  let v: unknown;
  try {
    v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data.subarray(2)));
  } catch {
    bad('not JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) bad('not an object');
  const o = v as Record<string, unknown>;
  if (typeof o.id !== 'string' || !ID.test(o.id)) bad('call id');
  if (typeof o.n !== 'number' || !Number.isSafeInteger(o.n) || o.n < 0) bad('message number');
  const bool = (k: string) => typeof o[k] === 'boolean' || bad(`${k} must be true or false`);
  switch (o.t) {
    case 'offer':
    case 'answer':
      only(o, ['t', 'id', 'n', 'video', 'key']);
      bool('video');
      if (typeof o.key !== 'string' || !KEY.test(o.key)) bad('key');
      break;
    case 'decline':
      only(o, ['t', 'id', 'n', 'reason']);
      if (o.reason !== 'declined' && o.reason !== 'busy') bad('reason');
      break;
    case 'cancel':
      only(o, ['t', 'id', 'n', 'reason']);
      if (o.reason !== 'cancelled' && o.reason !== 'no-answer') bad('reason');
      break;
    case 'media':
      only(o, ['t', 'id', 'n', 'muted', 'camera']);
      bool('muted');
      bool('camera');
      break;
    case 'ringing':
    case 'hangup':
    case 'ack':
      only(o, ['t', 'id', 'n']);
      break;
    default:
      bad('unknown type');
  }
  return o as Signal;
}
