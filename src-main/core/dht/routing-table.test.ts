import { describe, expect, it } from 'vitest';
import { randomBytes } from '../crypto';
import { commonPrefixBits, compareBytes, randomIdInBucket, xorDistance } from './node-id';
import { RoutingTable, type Contact } from './routing-table';

const SELF = new Uint8Array(32); // all zeros: bucket i = ids whose first set bit is bit i
/** An id in bucket `b` of SELF. */
function idIn(b: number): Uint8Array {
  return randomIdInBucket(SELF, b);
}
const info = (id: Uint8Array, port = 1000 + (id[31]! | (id[30]! << 8)) % 60000) => ({ id, endpoint: { host: '10.0.0.1', port }, router: false });
const flush = () => new Promise((r) => setTimeout(r, 0));

function table(ping: (c: Contact) => Promise<boolean>, k = 4) {
  let t = 1000;
  const rt = new RoutingTable({ selfId: SELF, k, ping, now: () => t++ });
  return rt;
}

describe('routing table (k-buckets with LRU and replacement cache)', () => {
  it('fills a bucket up to k in least-recently-seen order, refreshes a known contact to the tail', () => {
    const rt = table(async () => true);
    const ids = [0, 1, 2, 3].map(() => idIn(0));
    for (const id of ids) expect(rt.add(info(id))).toBe('added');
    expect(rt.add(info(ids[0]!))).toBe('updated');
    expect(rt.bucketContents(0).nodes.map((c) => c.id)).toEqual([ids[1], ids[2], ids[3], ids[0]]);
    expect(rt.add(info(SELF))).toBe('self');
  });

  it('full bucket: pings the least-recently-seen contact and keeps it when it answers; the newcomer is parked', async () => {
    const pinged: Uint8Array[] = [];
    const rt = table(async (c) => {
      pinged.push(c.id);
      return true;
    });
    const ids = [0, 1, 2, 3].map(() => idIn(0));
    for (const id of ids) rt.add(info(id));
    const newcomer = idIn(0);
    expect(rt.add(info(newcomer))).toBe('pending');
    await flush();
    expect(pinged).toEqual([ids[0]]);
    const b = rt.bucketContents(0);
    expect(b.nodes.map((c) => c.id)).toEqual([ids[1], ids[2], ids[3], ids[0]]); // survivor moved to the tail
    expect(b.replacements.map((c) => c.id)).toEqual([newcomer]);
    expect(rt.has(newcomer)).toBe(false);
    expect(rt.counters.evictions).toBe(0);
  });

  it('full bucket: evicts the oldest only when the ping fails, and promotes the newcomer', async () => {
    const rt = table(async () => false);
    const ids = [0, 1, 2, 3].map(() => idIn(0));
    for (const id of ids) rt.add(info(id));
    const newcomer = idIn(0);
    rt.add(info(newcomer));
    await flush();
    expect(rt.has(ids[0]!)).toBe(false);
    expect(rt.has(newcomer)).toBe(true);
    expect(rt.bucketContents(0).nodes.map((c) => c.id)).toEqual([ids[1], ids[2], ids[3], newcomer]);
    expect(rt.counters.evictions).toBe(1);
  });

  it('pings once per bucket at a time; newcomers arriving meanwhile wait in the bounded replacement cache', async () => {
    let release: (alive: boolean) => void = () => {};
    let pings = 0;
    const rt = table(() => {
      pings++;
      return new Promise((r) => (release = r));
    });
    for (let i = 0; i < 4; i++) rt.add(info(idIn(0)));
    const extra = Array.from({ length: 6 }, () => idIn(0));
    for (const id of extra) rt.add(info(id));
    expect(pings).toBe(1);
    expect(rt.bucketContents(0).replacements.length).toBe(4); // bounded by k, newest kept
    release(false);
    await flush();
    expect(rt.has(extra[5]!)).toBe(true); // the newest replacement was promoted
  });

  it('a failed contact is dropped and replaced from the cache; other buckets are unaffected', async () => {
    const rt = table(async () => true);
    const ids = [0, 1, 2, 3].map(() => idIn(0));
    for (const id of ids) rt.add(info(id));
    const parked = idIn(0);
    rt.add(info(parked));
    await flush();
    const other = idIn(5);
    rt.add(info(other));
    expect(rt.fail(ids[2]!)).toBe(true);
    expect(rt.has(parked)).toBe(true);
    expect(rt.has(other)).toBe(true);
    expect(rt.size).toBe(5);
  });

  it('closest() returns the n closest by XOR distance, in order', () => {
    const self = randomBytes(32);
    const rt = new RoutingTable({ selfId: self, k: 20, ping: async () => true });
    const all: Uint8Array[] = [];
    for (let i = 0; i < 400; i++) {
      const id = i % 4 ? randomIdInBucket(self, i % 9) : randomBytes(32);
      if (rt.add(info(id, 1 + i)) === 'added') all.push(id);
    }
    for (let t = 0; t < 50; t++) {
      const target = t % 2 ? randomBytes(32) : randomIdInBucket(self, t % 12);
      const expected = [...all].sort((a, b) => compareBytes(xorDistance(a, target), xorDistance(b, target))).slice(0, 20);
      expect(rt.closest(target, 20).map((c) => c.id)).toEqual(expected);
    }
  });

  it('reports buckets no lookup touched, up to the deepest populated one', () => {
    let now = 0;
    const rt = new RoutingTable({ selfId: SELF, k: 2, ping: async () => true, now: () => now });
    for (const b of [0, 0, 1, 3]) rt.add(info(idIn(b)));
    expect(rt.staleBuckets(Infinity)).toEqual([0, 1, 2, 3]);
    expect(rt.staleBuckets(Infinity, true)).toEqual([1, 2, 3]); // bucket 0 is full
    now = 5000;
    rt.touch(1);
    expect(rt.staleBuckets(4000)).toEqual([0, 2, 3]);
  });

  it('randomIdInBucket lands in the requested bucket', () => {
    const self = randomBytes(32);
    for (let b = 0; b < 256; b += 5) expect(commonPrefixBits(self, randomIdInBucket(self, b))).toBe(b);
  });
});
