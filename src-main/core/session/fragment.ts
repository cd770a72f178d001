/**
 * @module session/fragment
 * Payloads larger than one datagram are cut into FRAGMENT chunks, each sealed as its own
 * transport packet (so fragments are encrypted, authenticated and replay-protected like any
 * packet — IP-style fragmentation metadata never travels in clear). Reassembly is bounded:
 * at most MAX_REASSEMBLIES_PER_PEER messages in flight per peer (the oldest is dropped when a
 * new one starts), a timeout per message, every fragment but the last exactly FRAGMENT_CHUNK
 * bytes, and at most MAX_PAYLOAD bytes in total. Delivery stays datagram-like: a message with
 * a lost fragment is dropped whole when it times out (the chat layer retransmits).
 *
 * Fragment body: kind(0x02) msgId(4, BE) index(1) count(1) chunk
 */
import { FRAGMENT_CHUNK, FRAGMENT_HEADER, Kind, MAX_FRAGMENTS, MAX_PAYLOAD } from './constants';
import { readU32, writeU32 } from './handshake';

export function fragmentCount(payloadLength: number): number {
  return Math.ceil(payloadLength / FRAGMENT_CHUNK);
}

/** The 7-byte fragment prefix (kind, msgId, index, count). */
export function fragmentPrefix(out: Uint8Array, msgId: number, index: number, count: number): Uint8Array {
  out[0] = Kind.FRAGMENT;
  writeU32(out, 1, msgId);
  out[5] = index;
  out[6] = count;
  return out;
}

export type ParsedFragment = { msgId: number; index: number; count: number; chunk: Uint8Array };

/** Parse a decrypted FRAGMENT body (kind byte included); null if malformed. */
export function parseFragment(pt: Uint8Array): ParsedFragment | null {
  if (pt.length <= FRAGMENT_HEADER || pt[0] !== Kind.FRAGMENT) return null;
  const index = pt[5]!;
  const count = pt[6]!;
  const chunk = pt.subarray(FRAGMENT_HEADER);
  if (count < 2 || count > MAX_FRAGMENTS || index >= count) return null;
  if (index < count - 1 ? chunk.length !== FRAGMENT_CHUNK : chunk.length > FRAGMENT_CHUNK) return null;
  return { msgId: readU32(pt, 1), index, count, chunk };
}

type Entry<T> = { count: number; have: number; bytes: number; chunks: (Uint8Array | undefined)[]; startedAt: number; tag: T };

/** Reassembly state for one peer. `key` identifies (session, msgId); `tag` rides along (the session). */
export class Reassembler<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(private readonly limits: { maxInFlight: number; timeoutMs: number }) {}

  get inFlight(): number {
    return this.entries.size;
  }

  /** Add a fragment; returns the whole payload when the last one arrives. */
  add(key: string, f: ParsedFragment, tag: T, now: number): { payload: Uint8Array; tag: T } | null {
    let e = this.entries.get(key);
    if (!e) {
      if (this.entries.size >= this.limits.maxInFlight) {
        const oldest = this.entries.keys().next();
        if (!oldest.done) this.entries.delete(oldest.value);
      }
      e = { count: f.count, have: 0, bytes: 0, chunks: new Array<Uint8Array | undefined>(f.count), startedAt: now, tag };
      this.entries.set(key, e);
    } else if (e.count !== f.count || e.tag !== tag) {
      this.entries.delete(key); // inconsistent sender: give up on this message
      return null;
    }
    if (e.chunks[f.index]) return null; // duplicate fragment
    e.chunks[f.index] = f.chunk;
    e.have++;
    e.bytes += f.chunk.length;
    if (e.bytes > MAX_PAYLOAD) {
      this.entries.delete(key);
      return null;
    }
    if (e.have < e.count) return null;
    this.entries.delete(key);
    return { payload: Buffer.concat(e.chunks as Uint8Array[], e.bytes), tag: e.tag };
  }

  /** Drop reassemblies older than the timeout; returns how many were dropped. */
  expire(now: number): number {
    let dropped = 0;
    for (const [k, e] of this.entries) {
      if (now - e.startedAt > this.limits.timeoutMs) {
        this.entries.delete(k);
        dropped++;
      }
    }
    return dropped;
  }

  clear(): void {
    this.entries.clear();
  }
}
