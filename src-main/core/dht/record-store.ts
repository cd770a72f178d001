/**
 * @module dht/record-store
 * What a storing node keeps for others (BEP 44 "mutable items" in spirit). Every PUT passes the
 * cheap checks first and only then the one EC operation of `verifyRecord`:
 *   per-IP token bucket → size ≤ 1,000 B → strict decode → expiry in (now, now + 24 h] →
 *   key = H(address(publicKey) ‖ appId) → seq not below the stored one (equal seq: identical
 *   bytes are a refresh, anything else a conflict) → room (bounded store) → signature.
 * Storage is bounded by `maxRecords`; when full, the record that expires first makes room (if
 * the newcomer outlives it), expired records are dropped on access and by `sweep`.
 */
import { bytesEqual, toHex } from '../base';
import { RateLimiter } from '../net';
import { KEY_BYTES, MAX_RECORD_BYTES, MAX_RECORD_TTL_SEC, PUT_STATUS_NAMES, type PutStatusName } from './constants';
import { decodeRecord, recordAddress, recordKey, verifyRecord, type DhtRecord } from './record';
import { isDhtWireError } from './wire';

type Stored = { bytes: Uint8Array; record: DhtRecord };

export type RecordStoreOptions = {
  maxRecords: number;
  putRate: { ratePerSec: number; burst: number };
  /** ms clock (Date.now by default). */
  now?: () => number;
  /** The signature check (counted); injectable for tests. */
  verify?: (r: DhtRecord) => boolean;
};

export class RecordStore {
  private readonly map = new Map<string, Stored>();
  private readonly limiter: RateLimiter;
  private readonly now: () => number;
  private readonly verifyFn: (r: DhtRecord) => boolean;
  private readonly max: number;
  /** Number of signature verifications performed (the expensive step). */
  verifications = 0;
  readonly outcomes: Record<PutStatusName, number> = Object.fromEntries(PUT_STATUS_NAMES.map((n) => [n, 0])) as Record<PutStatusName, number>;

  constructor(opts: RecordStoreOptions) {
    this.max = Math.max(1, opts.maxRecords);
    this.now = opts.now ?? Date.now;
    this.verifyFn = opts.verify ?? verifyRecord;
    this.limiter = new RateLimiter({ ratePerSec: opts.putRate.ratePerSec, burst: opts.putRate.burst, maxKeys: 4096 });
  }

  get size(): number {
    return this.map.size;
  }

  /** Check and store; returns the PUT status name ('OK' when stored or refreshed). */
  put(key: Uint8Array, bytes: Uint8Array, fromIp: string): PutStatusName {
    const status = this.check(key, bytes, fromIp);
    this.outcomes[status]++;
    return status;
  }

  private check(key: Uint8Array, bytes: Uint8Array, fromIp: string): PutStatusName {
    const nowMs = this.now();
    if (!this.limiter.take(fromIp, nowMs)) return 'RATE_LIMITED';
    if (bytes.length > MAX_RECORD_BYTES) return 'TOO_LARGE';
    if (key.length !== KEY_BYTES) return 'MALFORMED';
    let record: DhtRecord;
    try {
      record = decodeRecord(bytes);
    } catch (e) {
      if (isDhtWireError(e)) return 'MALFORMED';
      throw e;
    }
    const nowSec = Math.floor(nowMs / 1000);
    if (record.expiresAt <= nowSec || record.expiresAt > nowSec + MAX_RECORD_TTL_SEC) return 'EXPIRED';
    const address = recordAddress(record);
    if (!address || !bytesEqual(recordKey(address, record.appId), key)) return 'WRONG_KEY';
    const hex = toHex(key);
    const old = this.live(hex, nowSec);
    if (old) {
      if (record.seq < old.record.seq) return 'STALE_SEQ';
      if (record.seq === old.record.seq) return bytesEqual(bytes, old.bytes) ? 'OK' : 'STALE_SEQ';
    }
    let victim: string | null = null;
    if (!old && this.map.size >= this.max) {
      this.sweep();
      if (this.map.size >= this.max) {
        victim = this.firstToExpire();
        if (victim === null || this.map.get(victim)!.record.expiresAt >= record.expiresAt) return 'FULL';
      }
    }
    this.verifications++;
    if (!this.verifyFn(record)) return 'BAD_SIGNATURE';
    if (victim !== null) this.map.delete(victim);
    this.map.set(hex, { bytes: Uint8Array.from(bytes), record });
    return 'OK';
  }

  /** The stored bytes for `key`, or null (expired records are dropped here). */
  get(key: Uint8Array): Uint8Array | null {
    return this.live(toHex(key), Math.floor(this.now() / 1000))?.bytes ?? null;
  }

  getRecord(key: Uint8Array): DhtRecord | null {
    return this.live(toHex(key), Math.floor(this.now() / 1000))?.record ?? null;
  }

  /** Drop every expired record; returns how many were dropped. */
  sweep(): number {
    const nowSec = Math.floor(this.now() / 1000);
    let n = 0;
    for (const [k, v] of this.map) {
      if (v.record.expiresAt <= nowSec) {
        this.map.delete(k);
        n++;
      }
    }
    return n;
  }

  private live(hex: string, nowSec: number): Stored | null {
    const s = this.map.get(hex);
    if (!s) return null;
    if (s.record.expiresAt <= nowSec) {
      this.map.delete(hex);
      return null;
    }
    return s;
  }

  private firstToExpire(): string | null {
    let best: string | null = null;
    let at = Infinity;
    for (const [k, v] of this.map) {
      if (v.record.expiresAt < at) {
        at = v.record.expiresAt;
        best = k;
      }
    }
    return best;
  }
}
