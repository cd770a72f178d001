import { describe, expect, it } from 'vitest';
import { randomBytes } from '../crypto';
import { FRAGMENT_CHUNK, FRAGMENT_HEADER, Kind, MAX_FRAGMENTS, MAX_PAYLOAD } from './constants';
import { fragmentCount, fragmentPrefix, parseFragment, Reassembler, type ParsedFragment } from './fragment';

/** Split like the manager does and parse back (as the receiver sees the decrypted bodies). */
function split(payload: Uint8Array, msgId: number): ParsedFragment[] {
  const count = fragmentCount(payload.length);
  const out: ParsedFragment[] = [];
  for (let i = 0; i < count; i++) {
    const prefix = fragmentPrefix(new Uint8Array(FRAGMENT_HEADER), msgId, i, count);
    const chunk = payload.subarray(i * FRAGMENT_CHUNK, Math.min(payload.length, (i + 1) * FRAGMENT_CHUNK));
    out.push(parseFragment(Uint8Array.from([...prefix, ...chunk]))!);
  }
  return out;
}

describe('fragmentation', () => {
  it('needs at most MAX_FRAGMENTS for 64 KiB', () => {
    expect(fragmentCount(MAX_PAYLOAD)).toBe(MAX_FRAGMENTS);
    expect(MAX_FRAGMENTS).toBeLessThanOrEqual(255);
  });

  it('reassembles in any order, ignoring duplicates', () => {
    const payload = randomBytes(60 * 1024);
    const frags = split(payload, 77);
    const r = new Reassembler<string>({ maxInFlight: 4, timeoutMs: 1000 });
    const shuffled = [...frags].reverse();
    let done: { payload: Uint8Array; tag: string } | null = null;
    for (const [n, f] of shuffled.entries()) {
      expect(done).toBeNull();
      done = r.add('s:77', f, 'tag', 0);
      if (n === 3) expect(r.add('s:77', f, 'tag', 0)).toBeNull(); // duplicate
    }
    expect(done!.payload.length).toBe(payload.length);
    expect(Buffer.from(done!.payload).equals(Buffer.from(payload))).toBe(true);
    expect(done!.tag).toBe('tag');
    expect(r.inFlight).toBe(0);
  });

  it('rejects malformed fragments', () => {
    const ok = fragmentPrefix(new Uint8Array(FRAGMENT_HEADER), 1, 0, 2);
    const chunk = new Uint8Array(FRAGMENT_CHUNK);
    expect(parseFragment(Uint8Array.from([...ok, ...chunk]))).not.toBeNull();
    expect(parseFragment(Uint8Array.from([...ok, ...chunk.subarray(1)]))).toBeNull(); // non-last must be full
    expect(parseFragment(Uint8Array.from([...fragmentPrefix(new Uint8Array(7), 1, 2, 2), 1]))).toBeNull(); // index >= count
    expect(parseFragment(Uint8Array.from([...fragmentPrefix(new Uint8Array(7), 1, 0, 1), 1]))).toBeNull(); // count 1
    expect(parseFragment(Uint8Array.from([...fragmentPrefix(new Uint8Array(7), 1, 0, MAX_FRAGMENTS + 1), ...chunk]))).toBeNull();
    expect(parseFragment(Uint8Array.from([...fragmentPrefix(new Uint8Array(7), 1, 1, 2), ...chunk, 1]))).toBeNull(); // last too big
    expect(parseFragment(Uint8Array.from([Kind.DATA, 0, 0, 0, 1, 0, 2, 1]))).toBeNull();
    expect(parseFragment(ok)).toBeNull(); // no chunk
  });

  it('bounds in-flight reassemblies, dropping the oldest', () => {
    const r = new Reassembler<number>({ maxInFlight: 2, timeoutMs: 1000 });
    const msgs = [1, 2, 3].map((id) => split(randomBytes(3000), id));
    for (const [k, m] of msgs.entries()) r.add(`s:${k + 1}`, m[0]!, 0, k);
    expect(r.inFlight).toBe(2);
    // message 1 was evicted: completing it now is impossible
    expect(r.add('s:1', msgs[0]![1]!, 0, 5)).toBeNull();
    expect(r.add('s:1', msgs[0]![2]!, 0, 5)).toBeNull();
    // message 3 still completes
    expect(r.add('s:3', msgs[2]![1]!, 0, 5)).toBeNull();
    expect(r.add('s:3', msgs[2]![2]!, 0, 5)?.payload).toHaveLength(3000);
  });

  it('expires stale reassemblies', () => {
    const r = new Reassembler<number>({ maxInFlight: 8, timeoutMs: 100 });
    const m = split(randomBytes(2000), 9);
    r.add('s:9', m[0]!, 0, 0);
    expect(r.expire(50)).toBe(0);
    expect(r.expire(101)).toBe(1);
    expect(r.add('s:9', m[1]!, 0, 102)).toBeNull(); // starts a new, incomplete one
  });

  it('gives up on a message whose fragments disagree', () => {
    const r = new Reassembler<number>({ maxInFlight: 8, timeoutMs: 100 });
    const a = split(randomBytes(3000), 1);
    const b = split(randomBytes(5000), 1);
    r.add('s:1', a[0]!, 0, 0);
    expect(r.add('s:1', b[1]!, 0, 0)).toBeNull();
    expect(r.inFlight).toBe(0);
  });
});
