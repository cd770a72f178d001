/**
 * @module dht/routing-table
 * Kademlia k-buckets (Maymounkov & Mazières 2002, §2.2): 256 buckets indexed by the number of
 * leading bits a contact shares with our id, each holding at most k contacts in
 * least-recently-seen order (index 0 = oldest). When a proven contact arrives for a full
 * bucket, the oldest contact is PINGed: if it answers it stays (moved to the tail) and the
 * newcomer is parked in the bucket's replacement cache; only if it fails is it evicted and the
 * newest replacement promoted. Long-lived nodes are thereby preferred, as the paper argues.
 */
import { toHex } from '../base';
import { endpointKey, type Endpoint } from '../net';
import type { NodeInfo } from './messages';
import { commonPrefixBits, compareXor } from './node-id';

export type Contact = { id: Uint8Array; hex: string; endpoint: Endpoint; key: string; router: boolean; lastSeen: number };
type Bucket = { nodes: Contact[]; replacements: Contact[]; touchedAt: number; pinging: boolean };

export type AddResult = 'added' | 'updated' | 'pending' | 'self';

export type RoutingTableOptions = {
  selfId: Uint8Array;
  k: number;
  /** Liveness probe of the least-recently-seen contact of a full bucket. */
  ping: (c: Contact) => Promise<boolean>;
  now?: () => number;
};

export class RoutingTable {
  private selfId: Uint8Array;
  private readonly k: number;
  private readonly ping: (c: Contact) => Promise<boolean>;
  private readonly now: () => number;
  private buckets: Bucket[] = [];
  private byId = new Map<string, Contact>();
  /** Counters for tests and stats. */
  readonly counters = { lruPings: 0, evictions: 0, parked: 0 };

  constructor(opts: RoutingTableOptions) {
    this.selfId = opts.selfId;
    this.k = opts.k;
    this.ping = opts.ping;
    this.now = opts.now ?? Date.now;
    this.reset();
  }

  private reset(): void {
    // touchedAt = last lookup aimed into the bucket's range (Kademlia §2.3 refresh); never, at first
    this.buckets = Array.from({ length: 256 }, () => ({ nodes: [], replacements: [], touchedAt: -Infinity, pinging: false }));
    this.byId = new Map();
  }

  get id(): Uint8Array {
    return this.selfId;
  }

  get size(): number {
    return this.byId.size;
  }

  bucketIndex(id: Uint8Array): number {
    return commonPrefixBits(this.selfId, id);
  }

  has(id: Uint8Array): boolean {
    return this.byId.has(toHex(id));
  }

  get(id: Uint8Array): Contact | undefined {
    return this.byId.get(toHex(id));
  }

  all(): Contact[] {
    return [...this.byId.values()];
  }

  bucketContents(index: number): { nodes: Contact[]; replacements: Contact[] } {
    const b = this.buckets[index]!;
    return { nodes: [...b.nodes], replacements: [...b.replacements] };
  }

  bucketFull(index: number): boolean {
    return (this.buckets[index]?.nodes.length ?? 0) >= this.k;
  }

  /** True when `id` would go to a bucket with free room (or is already known). */
  hasRoomFor(id: Uint8Array): boolean {
    const i = this.bucketIndex(id);
    return i < 256 && (this.byId.has(toHex(id)) || this.buckets[i]!.nodes.length < this.k);
  }

  /** Insert or refresh a contact that has just proven itself (answered us). */
  add(info: NodeInfo): AddResult {
    const idx = this.bucketIndex(info.id);
    if (idx >= 256) return 'self';
    const bucket = this.buckets[idx]!;
    const hex = toHex(info.id);
    const now = this.now();
    const known = this.byId.get(hex);
    if (known) {
      const at = bucket.nodes.indexOf(known);
      if (at >= 0) bucket.nodes.splice(at, 1);
      bucket.nodes.push(known);
      known.lastSeen = now;
      known.router = info.router;
      known.endpoint = info.endpoint;
      known.key = endpointKey(info.endpoint);
      return 'updated';
    }
    const contact: Contact = { id: info.id, hex, endpoint: info.endpoint, key: endpointKey(info.endpoint), router: info.router, lastSeen: now };
    if (bucket.nodes.length < this.k) {
      bucket.nodes.push(contact);
      this.byId.set(hex, contact);
      return 'added';
    }
    this.park(bucket, contact);
    if (!bucket.pinging) this.checkOldest(bucket);
    return 'pending';
  }

  private park(bucket: Bucket, c: Contact): void {
    const at = bucket.replacements.findIndex((r) => r.hex === c.hex);
    if (at >= 0) bucket.replacements.splice(at, 1);
    bucket.replacements.push(c);
    if (bucket.replacements.length > this.k) bucket.replacements.shift();
    this.counters.parked++;
  }

  private checkOldest(bucket: Bucket): void {
    const oldest = bucket.nodes[0];
    if (!oldest) return;
    bucket.pinging = true;
    this.counters.lruPings++;
    const done = (alive: boolean) => {
      bucket.pinging = false;
      const at = bucket.nodes.indexOf(oldest);
      if (at < 0) return; // removed meanwhile
      if (alive) {
        bucket.nodes.splice(at, 1);
        bucket.nodes.push(oldest);
        oldest.lastSeen = this.now();
      } else {
        this.removeFrom(bucket, at);
      }
    };
    let p: Promise<boolean>;
    try {
      p = this.ping(oldest);
    } catch {
      p = Promise.resolve(false);
    }
    p.then(done, () => done(false));
  }

  private removeFrom(bucket: Bucket, at: number): void {
    const [gone] = bucket.nodes.splice(at, 1);
    if (gone) this.byId.delete(gone.hex);
    this.counters.evictions++;
    const promoted = bucket.replacements.pop();
    if (promoted && !this.byId.has(promoted.hex)) {
      bucket.nodes.push(promoted);
      this.byId.set(promoted.hex, promoted);
    }
  }

  /** A contact failed to answer: drop it and promote the newest replacement. */
  fail(id: Uint8Array): boolean {
    const hex = toHex(id);
    const c = this.byId.get(hex);
    const bucket = this.buckets[this.bucketIndex(id)];
    if (!bucket) return false;
    const r = bucket.replacements.findIndex((x) => x.hex === hex);
    if (r >= 0) bucket.replacements.splice(r, 1);
    if (!c) return false;
    this.removeFrom(bucket, bucket.nodes.indexOf(c));
    return true;
  }

  /**
   * Up to `n` contacts closest to `target` by XOR distance, closest first. Walks buckets in
   * distance order instead of sorting the whole table: with b = the target's bucket, contacts
   * of bucket b are closest, then those of all deeper buckets (distance's top bit = b), then
   * buckets b−1, b−2, … 0; only each group is sorted.
   */
  closest(target: Uint8Array, n: number, filter?: (c: Contact) => boolean): Contact[] {
    const b = Math.min(255, this.bucketIndex(target));
    const out: Contact[] = [];
    const group: Contact[] = [];
    const byDistance = (x: Contact, y: Contact) => compareXor(x.id, y.id, target);
    const collect = (i: number) => {
      const ns = this.buckets[i]!.nodes;
      for (let j = 0; j < ns.length; j++) if (!filter || filter(ns[j]!)) group.push(ns[j]!);
    };
    const flush = () => {
      if (group.length > 1) group.sort(byDistance);
      for (let j = 0; j < group.length && out.length < n; j++) out.push(group[j]!);
      group.length = 0;
    };
    collect(b);
    flush();
    if (out.length < n) {
      for (let i = b + 1; i < 256; i++) collect(i);
      flush();
    }
    for (let i = b - 1; i >= 0 && out.length < n; i--) {
      collect(i);
      flush();
    }
    return out;
  }

  touch(index: number): void {
    const b = this.buckets[index];
    if (b) b.touchedAt = this.now();
  }

  /**
   * Indices of buckets up to the one holding our closest neighbour that no lookup touched since
   * `before` (deeper buckets are empty: nobody shares more bits with us). `notFull` keeps only
   * buckets with fewer than k contacts (the join-time refresh).
   */
  staleBuckets(before: number, notFull = false): number[] {
    let deepest = -1;
    for (let i = 255; i >= 0; i--) {
      if (this.buckets[i]!.nodes.length) {
        deepest = i;
        break;
      }
    }
    const out: number[] = [];
    for (let i = 0; i <= deepest; i++) {
      const b = this.buckets[i]!;
      if (b.touchedAt < before && (!notFull || b.nodes.length < this.k)) out.push(i);
    }
    return out;
  }

  /** Our id changed (a new observed endpoint): re-bucket every contact. */
  rebase(selfId: Uint8Array): void {
    const contacts = this.all().sort((a, b) => a.lastSeen - b.lastSeen);
    this.selfId = selfId;
    this.reset();
    for (const c of contacts) {
      const idx = this.bucketIndex(c.id);
      if (idx >= 256) continue;
      const b = this.buckets[idx]!;
      if (b.nodes.length < this.k) {
        b.nodes.push(c);
        this.byId.set(c.hex, c);
      }
    }
  }
}
