import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from '../crypto';
import { keyPair, tempStore, type TempStore } from './test-util';

let t: TempStore;
beforeEach(() => {
  t = tempStore();
});
afterEach(() => t.cleanup());

describe('seen', () => {
  it('reports the first sighting as new and every repeat as a duplicate', () => {
    const src = keyPair().address;
    const sig = randomBytes(65);
    expect(t.store.seen.add(src, 100, sig, 1)).toBe(true);
    expect(t.store.seen.add(src, 100, sig, 2)).toBe(false);
    expect(t.store.seen.add(src.toLowerCase(), 100, new Uint8Array(sig), 3)).toBe(false); // same src in another case
    expect(t.store.seen.add(src, 101, sig, 4)).toBe(true); // other ts
    expect(t.store.seen.add(src, 100, randomBytes(65), 5)).toBe(true); // other signature
    expect(t.store.seen.add(keyPair().address, 100, sig, 6)).toBe(true); // other source
  });

  it('accepts a signature that is a view into a larger buffer', () => {
    const src = keyPair().address;
    const big = randomBytes(200);
    expect(t.store.seen.add(src, 1, big.subarray(10, 75), 1)).toBe(true);
    expect(t.store.seen.add(src, 1, new Uint8Array(big.subarray(10, 75)), 1)).toBe(false);
  });

  it('prunes entries seen before a time and counts them', () => {
    const src = keyPair().address;
    const sigs = [randomBytes(65), randomBytes(65), randomBytes(65)];
    sigs.forEach((s, i) => t.store.seen.add(src, 1, s, (i + 1) * 100));
    expect(t.store.seen.prune(250)).toBe(2);
    expect(t.store.seen.prune(250)).toBe(0);
    expect(t.store.seen.add(src, 1, sigs[0]!, 400)).toBe(true); // forgotten, so new again
    expect(t.store.seen.add(src, 1, sigs[2]!, 400)).toBe(false); // kept
  });
});
