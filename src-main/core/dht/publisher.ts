/**
 * @module dht/publisher
 * Owner side of records: sign with seq = max(previous + 1, now ms) (a restart never goes
 * backwards as long as the clock does not), store on the k closest nodes that gave us a write
 * token, and republish at ~3/4 of the TTL (BEP 44 asks owners to refresh items before they
 * expire; we re-sign with a new seq and expiry rather than re-send the old bytes).
 */
import { BuError, toHex, type Logger } from '../base';
import type { Endpoint } from '../net';
import { DEFAULT_RECORD_TTL_SEC, MAX_EXTRA_BYTES, MAX_RECORD_BYTES, MAX_RECORD_TTL_SEC, type PutStatusName } from './constants';
import { encodeRecord, recordKey, signRecord, type DhtIdentity, type RecordEntry } from './record';

export type PublishOptions = { ttlSec?: number; extra?: Uint8Array };
export type PublishResult = { key: Uint8Array; seq: number; expiresAt: number; stored: number; rounds: number };

export type PublisherDeps = {
  now(): number;
  logger: Logger;
  storeLocal(key: Uint8Array, bytes: Uint8Array): void;
  closestWithTokens(key: Uint8Array): Promise<{ nodes: { endpoint: Endpoint; token: Uint8Array }[]; rounds: number }>;
  put(to: Endpoint, key: Uint8Array, token: Uint8Array, bytes: Uint8Array): Promise<PutStatusName | null>;
};

type Published = {
  identity: DhtIdentity;
  appId: number;
  entries: RecordEntry[];
  opts: PublishOptions;
  seq: number;
  timer: ReturnType<typeof setTimeout> | null;
};

export class Publisher {
  private readonly items = new Map<string, Published>();
  private closed = false;

  constructor(private readonly deps: PublisherDeps) {}

  async publish(identity: DhtIdentity, appId: number, entries: RecordEntry[], opts: PublishOptions = {}): Promise<PublishResult> {
    if (this.closed) throw new BuError('NOT_RUNNING', 'DHT node is closed');
    const ttl = Math.floor(opts.ttlSec ?? DEFAULT_RECORD_TTL_SEC);
    if (!(ttl >= 10 && ttl <= MAX_RECORD_TTL_SEC)) throw new BuError('BAD_INPUT', `ttlSec must be 10…${MAX_RECORD_TTL_SEC}`);
    if (opts.extra && opts.extra.length > MAX_EXTRA_BYTES) throw new BuError('TOO_LONG', `extra is limited to ${MAX_EXTRA_BYTES} bytes`);
    const key = recordKey(identity.address, appId);
    const hex = toHex(key);
    const prev = this.items.get(hex);
    if (prev?.timer) clearTimeout(prev.timer);
    const nowMs = this.deps.now();
    const seq = Math.max((prev?.seq ?? 0) + 1, Math.floor(nowMs));
    const expiresAt = Math.floor(nowMs / 1000) + ttl;
    const record = signRecord(identity, {
      publicKey: identity.publicKey,
      appId,
      seq,
      expiresAt,
      entries: entries.map((e) => ({ ...e })),
      ...(opts.extra && opts.extra.length ? { extra: Uint8Array.from(opts.extra) } : {}),
    });
    const bytes = encodeRecord(record);
    if (bytes.length > MAX_RECORD_BYTES) throw new BuError('TOO_LONG', `record is ${bytes.length} bytes (max ${MAX_RECORD_BYTES})`);
    const item: Published = { identity, appId, entries, opts, seq, timer: null };
    this.items.set(hex, item);
    this.deps.storeLocal(key, bytes);
    const { nodes, rounds } = await this.deps.closestWithTokens(key);
    const results = await Promise.all(nodes.map((n) => this.deps.put(n.endpoint, key, n.token, bytes)));
    const stored = results.filter((r) => r === 'OK').length;
    if (!this.closed && this.items.get(hex) === item) {
      item.timer = setTimeout(() => {
        item.timer = null;
        this.publish(identity, appId, entries, opts).catch((e) => this.deps.logger.warn('dht republish failed', { error: String(e) }));
      }, ttl * 750);
      item.timer.unref?.();
    }
    return { key, seq, expiresAt, stored, rounds };
  }

  /** Stop republishing `address`/`appId` (the record stays until it expires). */
  forget(key: Uint8Array): void {
    const hex = toHex(key);
    const item = this.items.get(hex);
    if (item?.timer) clearTimeout(item.timer);
    this.items.delete(hex);
  }

  close(): void {
    this.closed = true;
    for (const item of this.items.values()) if (item.timer) clearTimeout(item.timer);
    this.items.clear();
  }
}
