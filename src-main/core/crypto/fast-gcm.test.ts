import { describe, expect, it } from 'vitest';
import { aesGcmSeal } from './aead';
import { createFastGcm, fastGcmAvailable } from './fast-gcm';
import { randomBytes } from './random';

describe('native AES-256-GCM (native/aead, built by npm install)', () => {
  it('is built and loadable in this checkout', () => {
    expect(fastGcmAvailable(), 'native/aead/build/Release/bu_aead.node is missing: run `npm install` (or node native/aead/build.mjs)').toBe(true);
  });

  it('is byte-identical to node:crypto AES-256-GCM and rejects any tampering', () => {
    const key = randomBytes(32);
    const g = createFastGcm(key)!;
    for (const size of [0, 1, 15, 16, 17, 255, 1167, 4096]) {
      const nonce = randomBytes(12);
      const aad = randomBytes(16);
      const a = randomBytes(1);
      const b = randomBytes(size);
      const mine = g.seal(nonce, aad, a, b);
      const ref = aesGcmSeal(key, nonce, Buffer.concat([a, b]), aad);
      expect(Buffer.from(mine).equals(Buffer.from(ref))).toBe(true);
      expect(Buffer.from(g.open(nonce, aad, mine)!).equals(Buffer.concat([a, b]))).toBe(true);
      for (const i of [0, mine.length - 1, Math.floor(mine.length / 2)]) {
        const bad = Buffer.from(mine);
        bad[i]! ^= 1;
        expect(g.open(nonce, aad, bad)).toBeNull();
      }
      const badAad = Buffer.from(aad);
      badAad[0]! ^= 1;
      expect(g.open(nonce, badAad, mine)).toBeNull();
    }
    expect(g.open(randomBytes(12), randomBytes(16), randomBytes(8))).toBeNull(); // shorter than a tag
  });

  it('keeps contexts independent per key', () => {
    const g1 = createFastGcm(randomBytes(32))!;
    const g2 = createFastGcm(randomBytes(32))!;
    const nonce = randomBytes(12);
    const sealed = g1.seal(nonce, new Uint8Array(0), Uint8Array.of(1, 2, 3));
    expect(g2.open(nonce, new Uint8Array(0), sealed)).toBeNull();
    expect(Buffer.from(g1.open(nonce, new Uint8Array(0), sealed)!)).toEqual(Buffer.from([1, 2, 3]));
  });
});
