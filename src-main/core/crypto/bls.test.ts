import { beforeAll, describe, expect, it } from 'vitest';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { concatBytes, fromHex, toHex, utf8 } from '../base';
import {
  BLS_PUBLIC_KEY_LENGTH,
  BLS_SIGNATURE_LENGTH,
  blsAggregatePublicKeys,
  blsAggregateSignatures,
  blsBatchVerify,
  blsCacheSizes,
  blsClearCaches,
  blsFastAggregateVerify,
  blsKeyFromSeed,
  blsPopProve,
  blsPopVerify,
  blsPublicKey,
  blsPublicKeyValid,
  blsSign,
  blsVerify,
  popDigest,
  useBlsBackend,
  blsBackendName,
  type BlsBackendName,
  type BlsBatchItem,
} from './bls';
import { keccak256, sha256 } from './hash';

const G1 = bls12_381.G1.Point;
const G2 = bls12_381.G2.Point;
const Sig = bls12_381.longSignatures.Signature;
const keys = Array.from({ length: 64 }, (_, i) => blsKeyFromSeed(sha256(utf8(`bls test key ${i}`))));
const digest = (label: string) => sha256(utf8(label));
const M1 = digest('message one');
const M2 = digest('message two');
const M3 = digest('message three');

// Every case runs on both backends; the native one must load here (linux-x64 has a prebuilt binary).
for (const backend of ['blst', 'noble'] as const satisfies readonly BlsBackendName[]) {
describe(`BLS on ${backend}`, () => {
  beforeAll(() => useBlsBackend(backend));
  it('is the backend in use', () => expect(blsBackendName()).toBe(backend));

  describe('BLS interop vectors', () => {
    it('KeyGen matches EIP-2333 derive_master_SK (test cases 0, 1, 3)', () => {
      const cases: [string, bigint][] = [
        [
          'c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04',
          6083874454709270928345386274498605044986640685124978867557563392430687146096n,
        ],
        ['3141592653589793238462643383279502884197169399375105820974944592', 29757020647961307431480504535336562678282505419141012933316116377660817309383n],
        ['d4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3', 19022158461524446591288038168518313374041767046816487870552872741050760015818n],
      ];
      for (const [seed, sk] of cases) {
        const k = blsKeyFromSeed(fromHex(seed));
        expect(BigInt('0x' + toHex(k.secretKey))).toBe(sk);
        expect(k.secretKey.length).toBe(32);
        expect(k.publicKey).toEqual(blsPublicKey(k.secretKey));
      }
    });

    it('public keys and signatures match the Ethereum consensus-spec BLS vectors (POP ciphersuite)', () => {
      const sk = fromHex('263dbd792f5b1be47ed85f8938c0f29586af0d3ac7b977f21c278fe1462040e3');
      const pk = blsPublicKey(sk);
      expect(toHex(pk)).toBe('a491d1b0ecd9bb917989f0e74f0dea0422eac4a873e5e2644f368dffb9a6e20fd6e10c1b77654d067c0618f6e5a7f79a');
      const vectors: [string, string, string][] = [
        [
          '263dbd792f5b1be47ed85f8938c0f29586af0d3ac7b977f21c278fe1462040e3',
          '00'.repeat(32),
          'b6ed936746e01f8ecf281f020953fbf1f01debd5657c4a383940b020b26507f6076334f91e2366c96e9ab279fb5158090352ea1c5b0c9274504f4f0e7053af24802e51e4568d164fe986834f41e55c8e850ce1f98458c0cfc9ab380b55285a55',
        ],
        [
          '328388aff0d4a5b7dc9205abd374e7e98f3cd9f3418edb4eafda5fb16473d216',
          '56'.repeat(32),
          'a4efa926610b8bd1c8330c918b7a5e9bf374e53435ef8b7ec186abf62e1b1f65aeaaeb365677ac1d1172a1f5b44b4e6d022c252c58486c0a759fbdc7de15a756acc4d343064035667a594b4c2a6f0b0b421975977f297dba63ee2f63ffe47bb6',
        ],
        [
          '47b8192d77bf871b62e87859d653922725724a5c031afeabc60bcef5ff665138',
          '56'.repeat(32),
          'af1390c3c47acdb37131a51216da683c509fce0e954328a59f93aebda7e4ff974ba208d9a4a2a2389f892a9d418d618418dd7f7a6bc7aa0da999a9d3a5b815bc085e14fd001f6a1948768a3f4afefc8b8240dda329f984cb345c6363272ba4fe',
        ],
      ];
      for (const [s, m, sig] of vectors) {
        expect(toHex(blsSign(fromHex(s), fromHex(m)))).toBe(sig);
        expect(blsVerify(blsPublicKey(fromHex(s)), fromHex(m), fromHex(sig))).toBe(true);
      }
    });
  });

  describe('BLS keys, signing and verification', () => {
    it('derives keys deterministically from the seed, and distinct seeds give distinct keys', () => {
      const ikm = sha256(utf8('seed'));
      expect(blsKeyFromSeed(ikm)).toEqual(blsKeyFromSeed(new Uint8Array(ikm)));
      expect(blsKeyFromSeed(ikm).secretKey).not.toEqual(blsKeyFromSeed(sha256(utf8('seed2'))).secretKey);
      expect(blsKeyFromSeed(ikm).publicKey.length).toBe(BLS_PUBLIC_KEY_LENGTH);
      expect(() => blsKeyFromSeed(new Uint8Array(31))).toThrow(/32 bytes/);
    });

    it('rejects secret keys that are zero, ≥ r or the wrong length', () => {
      const r = bls12_381.fields.Fr.ORDER;
      expect(() => blsPublicKey(new Uint8Array(32))).toThrow(/range/);
      expect(() => blsSign(fromHex(r.toString(16).padStart(64, '0')), M1)).toThrow(/range/);
      expect(() => blsSign(new Uint8Array(31).fill(1), M1)).toThrow(/32 bytes/);
      expect(() => blsSign(keys[0]!.secretKey, new Uint8Array(31))).toThrow(/32-byte/);
    });

    it('a signature verifies for its key and message only, and signing is deterministic', () => {
      const [a, b] = keys;
      const sig = blsSign(a!.secretKey, M1);
      expect(sig.length).toBe(BLS_SIGNATURE_LENGTH);
      expect(blsSign(a!.secretKey, M1)).toEqual(sig);
      expect(blsVerify(a!.publicKey, M1, sig)).toBe(true);
      expect(blsVerify(b!.publicKey, M1, sig)).toBe(false);
      expect(blsVerify(a!.publicKey, M2, sig)).toBe(false);
      expect(blsVerify(a!.publicKey, M1, blsSign(a!.secretKey, M2))).toBe(false);
    });

    it('decodes a public key once (cache), and KeyValidate accepts real keys', () => {
      blsClearCaches();
      const sig = blsSign(keys[3]!.secretKey, M1);
      expect(blsVerify(keys[3]!.publicKey, M1, sig)).toBe(true);
      const after = blsCacheSizes();
      expect(after.publicKeys).toBe(1);
      for (let i = 0; i < 3; i++) expect(blsVerify(keys[3]!.publicKey, M1, sig)).toBe(true);
      expect(blsCacheSizes()).toEqual(after);
      expect(blsPublicKeyValid(keys[4]!.publicKey)).toBe(true);
      expect(blsCacheSizes().publicKeys).toBe(2);
    });
  });

  function sqrtOrNull<T>(F: { sqrt(v: T): T; sqr(v: T): T; eql(a: T, b: T): boolean }, v: T): T | null {
    try {
      const y = F.sqrt(v);
      return F.eql(F.sqr(y), v) ? y : null;
    } catch {
      return null;
    }
  }

  /** A G1 / G2 point on the curve but outside the prime-order subgroup, compressed by hand (ZCash flags). */
  function offSubgroupG1(): Uint8Array {
    const Fp = bls12_381.fields.Fp;
    for (let x = 1n; ; x++) {
      const y = sqrtOrNull(Fp, Fp.add(Fp.pow(x, 3n), 4n));
      if (y === null) continue;
      if (G1.fromAffine({ x, y }).isTorsionFree()) continue;
      const b = fromHex(x.toString(16).padStart(96, '0'));
      b[0]! |= 0x80;
      return b;
    }
  }

  function offSubgroupG2(): Uint8Array {
    const Fp2 = bls12_381.fields.Fp2;
    const b4 = Fp2.fromBigTuple([4n, 4n]);
    for (let c0 = 1n; ; c0++) {
      const x = Fp2.fromBigTuple([c0, 1n]);
      const y = sqrtOrNull(Fp2, Fp2.add(Fp2.pow(x, 3n), b4));
      if (y === null) continue;
      if (G2.fromAffine({ x, y }).isTorsionFree()) continue;
      const b = concatBytes(fromHex(x.c1.toString(16).padStart(96, '0')), fromHex(x.c0.toString(16).padStart(96, '0')));
      b[0]! |= 0x80;
      return b;
    }
  }

  describe('BLS malformed inputs: false, never a throw', () => {
    const k = keys[0]!;
    const sig = blsSign(k.secretKey, M1);
    const infinityPk = concatBytes(new Uint8Array([0xc0]), new Uint8Array(47));
    const infinitySig = concatBytes(new Uint8Array([0xc0]), new Uint8Array(95));
    const notOnCurvePk = (() => {
      const Fp = bls12_381.fields.Fp;
      for (let x = 1n; ; x++) {
        if (sqrtOrNull(Fp, Fp.add(Fp.pow(x, 3n), 4n)) !== null) continue;
        const b = fromHex(x.toString(16).padStart(96, '0'));
        b[0]! |= 0x80;
        return b;
      }
    })();
    const badSubPk = offSubgroupG1();
    const badSubSig = offSubgroupG2();
    const uncompressedPk = G1.fromBytes(k.publicKey).toBytes(false);
    const nonCanonical = (() => {
      const p = bls12_381.fields.Fp.ORDER;
      const b = fromHex((p + 1n).toString(16).padStart(96, '0'));
      b[0]! |= 0x80;
      return b;
    })();

    it('the malformed encodings are what they claim to be', () => {
      expect(() => G1.fromBytes(badSubPk)).toThrow(/subgroup/);
      expect(() => Sig.fromBytes(badSubSig)).toThrow(/subgroup/);
      expect(() => G1.fromBytes(notOnCurvePk)).toThrow();
      expect(G1.fromBytes(infinityPk).is0()).toBe(true);
      expect(Sig.fromBytes(infinitySig).is0()).toBe(true);
    });

    const badPks = { short: k.publicKey.subarray(1), long: concatBytes(k.publicKey, new Uint8Array(1)), infinityPk, notOnCurvePk, badSubPk, uncompressedPk, nonCanonical };
    const badSigs = { short: sig.subarray(1), empty: new Uint8Array(0), infinitySig, badSubSig, flipped: concatBytes(new Uint8Array([sig[0]! ^ 0x20]), sig.subarray(1)) };

    it('blsVerify, blsFastAggregateVerify, blsBatchVerify, blsPopVerify and KeyValidate', () => {
      for (const [name, pk] of Object.entries(badPks)) {
        expect([name, blsVerify(pk, M1, sig)]).toEqual([name, false]);
        expect([name, blsPublicKeyValid(pk)]).toEqual([name, false]);
        expect([name, blsFastAggregateVerify([k.publicKey, pk], M1, sig)]).toEqual([name, false]);
        expect([name, blsBatchVerify([{ publicKey: pk, message: M1, signature: sig }, { publicKey: k.publicKey, message: M1, signature: sig }])]).toEqual([name, false]);
        expect([name, blsPopVerify(pk, '0x' + '11'.repeat(20), sig)]).toEqual([name, false]);
      }
      for (const [name, s] of Object.entries(badSigs)) {
        expect([name, blsVerify(k.publicKey, M1, s)]).toEqual([name, false]);
        expect([name, blsFastAggregateVerify([k.publicKey], M1, s)]).toEqual([name, false]);
        expect([name, blsBatchVerify([{ publicKey: k.publicKey, message: M1, signature: s }, { publicKey: k.publicKey, message: M1, signature: sig }])]).toEqual([name, false]);
      }
      for (const m of [new Uint8Array(31), new Uint8Array(33), new Uint8Array(0)]) {
        expect(blsVerify(k.publicKey, m, sig)).toBe(false);
        expect(blsFastAggregateVerify([k.publicKey], m, sig)).toBe(false);
        expect(blsBatchVerify([{ publicKey: k.publicKey, message: m, signature: sig }, { publicKey: k.publicKey, message: M1, signature: sig }])).toBe(false);
      }
      const junk = null as unknown as Uint8Array;
      expect(blsVerify(junk, M1, sig)).toBe(false);
      expect(blsVerify(k.publicKey, junk, sig)).toBe(false);
      expect(blsVerify(k.publicKey, M1, junk)).toBe(false);
      expect(blsFastAggregateVerify([], M1, sig)).toBe(false);
      expect(blsFastAggregateVerify(junk as unknown as Uint8Array[], M1, sig)).toBe(false);
      expect(blsBatchVerify([null as unknown as BlsBatchItem, { publicKey: k.publicKey, message: M1, signature: sig }])).toBe(false);
      expect(blsBatchVerify(junk as unknown as BlsBatchItem[])).toBe(false);
      expect(blsPopVerify(k.publicKey, 'not an address', sig)).toBe(false);
    });

    it('aggregation refuses invalid inputs by throwing (it is not a verification)', () => {
      expect(() => blsAggregateSignatures([])).toThrow();
      expect(() => blsAggregateSignatures([sig, badSubSig])).toThrow(/invalid/);
      expect(() => blsAggregatePublicKeys([k.publicKey, infinityPk])).toThrow(/invalid/);
      const neg = G1.fromBytes(k.publicKey).negate().toBytes(true);
      expect(() => blsAggregatePublicKeys([k.publicKey, neg])).toThrow(/invalid/);
    });
  });

  describe('BLS aggregation', () => {
    it('fast aggregate verify: n keys, one message, one aggregate signature', () => {
      const signers = keys.slice(0, 16);
      const agg = blsAggregateSignatures(signers.map((k) => blsSign(k.secretKey, M1)));
      const pks = signers.map((k) => k.publicKey);
      expect(blsFastAggregateVerify(pks, M1, agg)).toBe(true);
      expect(blsVerify(blsAggregatePublicKeys(pks), M1, agg)).toBe(true);
      expect(blsFastAggregateVerify(pks.slice(1), M1, agg)).toBe(false);
      expect(blsFastAggregateVerify([...pks, keys[20]!.publicKey], M1, agg)).toBe(false);
      expect(blsFastAggregateVerify(pks, M2, agg)).toBe(false);
    });
  });

  describe('BLS batch verification', () => {
    const messages = [M1, M2, M3];
    const items: BlsBatchItem[] = keys.map((k, i) => ({ publicKey: k.publicKey, message: messages[i % 3]!, signature: blsSign(k.secretKey, messages[i % 3]!) }));

    it('64 seals over 3 messages pass; an empty batch is vacuously true', () => {
      expect(blsBatchVerify(items)).toBe(true);
      expect(blsBatchVerify(items.slice(0, 1))).toBe(true);
      expect(blsBatchVerify([])).toBe(true);
    });

    it('one bad item fails the whole batch: wrong message, wrong key, a signature from elsewhere', () => {
      const wrongMsg = items.map((it, i) => (i === 37 ? { ...it, message: digest('other') } : it));
      const wrongKey = items.map((it, i) => (i === 5 ? { ...it, publicKey: keys[6]!.publicKey } : it));
      const foreignSig = items.map((it, i) => (i === 63 ? { ...it, signature: blsSign(keys[63]!.secretKey, digest('other')) } : it));
      expect(blsBatchVerify(wrongMsg)).toBe(false);
      expect(blsBatchVerify(wrongKey)).toBe(false);
      expect(blsBatchVerify(foreignSig)).toBe(false);
    });

    it('swapping two signatures of the same message fails', () => {
      const swapped = items.map((it, i) => (i === 0 ? { ...it, signature: items[3]!.signature } : i === 3 ? { ...it, signature: items[0]!.signature } : it));
      expect(blsBatchVerify(swapped)).toBe(false);
    });

    it('rejects the shifted-signature attack (σ1+X, σ2−X) that a plain aggregate accepts', () => {
      const X = G2.BASE.multiply(0x1234567890abcdefn);
      const shift = (a: BlsBatchItem, b: BlsBatchItem): [BlsBatchItem, BlsBatchItem] => [
        { ...a, signature: Sig.toBytes(Sig.fromBytes(a.signature).add(X)) },
        { ...b, signature: Sig.toBytes(Sig.fromBytes(b.signature).subtract(X)) },
      ];
      // same message (items 0 and 3 sign M1)
      const [s0, s3] = shift(items[0]!, items[3]!);
      expect(blsVerify(s0.publicKey, s0.message, s0.signature)).toBe(false);
      expect(blsFastAggregateVerify([s0.publicKey, s3.publicKey], M1, blsAggregateSignatures([s0.signature, s3.signature]))).toBe(true);
      expect(blsBatchVerify([s0, s3])).toBe(false);
      expect(blsBatchVerify(items.map((it, i) => (i === 0 ? s0 : i === 3 ? s3 : it)))).toBe(false);
      // different messages (items 1 and 2): the naive product-of-pairings check passes too
      const [s1, s2] = shift(items[1]!, items[2]!);
      const naive = bls12_381.longSignatures.verifyBatch(blsAggregateSignatures([s1.signature, s2.signature]), [
        { message: bls12_381.longSignatures.hash(s1.message, 'BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_'), publicKey: s1.publicKey },
        { message: bls12_381.longSignatures.hash(s2.message, 'BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_'), publicKey: s2.publicKey },
      ]);
      expect(naive).toBe(true);
      expect(blsBatchVerify([s1, s2])).toBe(false);
    });
  });

  describe('BLS proof of possession', () => {
    const k = keys[10]!;
    const addr = '0x' + 'ab'.repeat(20);

    it('popDigest is keccak256(bytes6("BUPOP1") ‖ address ‖ pubkey), as abi.encodePacked computes it', () => {
      const packed = concatBytes(utf8('BUPOP1'), fromHex(addr), k.publicKey);
      expect(packed.length).toBe(6 + 20 + 48);
      expect(popDigest(addr, k.publicKey)).toEqual(keccak256(packed));
      expect(popDigest(fromHex(addr), k.publicKey)).toEqual(keccak256(packed));
      expect(popDigest(addr.toUpperCase().replace('0X', '0x'), k.publicKey)).toEqual(keccak256(packed));
    });

    it('a PoP verifies for its key and address; not for another address or another key', () => {
      const pop = blsPopProve(k.secretKey, addr);
      expect(blsPopVerify(k.publicKey, addr, pop)).toBe(true);
      expect(blsVerify(k.publicKey, popDigest(addr, k.publicKey), pop)).toBe(true); // what the precompile checks
      expect(blsPopVerify(k.publicKey, '0x' + 'ac'.repeat(20), pop)).toBe(false);
      expect(blsPopVerify(keys[11]!.publicKey, addr, pop)).toBe(false);
      expect(blsPopVerify(k.publicKey, addr, blsSign(k.secretKey, M1))).toBe(false);
    });

    it('a rogue key (pk_attacker − pk_victim) has no PoP the attacker can make', () => {
      const victim = keys[12]!;
      const attacker = keys[13]!;
      const rogue = G1.fromBytes(attacker.publicKey).subtract(G1.fromBytes(victim.publicKey)).toBytes(true);
      // the rogue key and the victim's key "aggregate" to the attacker's key, so the attacker alone
      // could forge a two-party aggregate; the PoP check at registration is what stops it
      const forged = blsSign(attacker.secretKey, M1);
      expect(blsFastAggregateVerify([rogue, victim.publicKey], M1, forged)).toBe(true);
      expect(blsPopVerify(rogue, addr, blsPopProve(attacker.secretKey, addr))).toBe(false);
    });
  });
});
}

describe('BLS backends agree byte for byte', () => {
  it('keys, signatures and aggregates are identical, and each verifies the other', () => {
    const run = (b: BlsBackendName) => {
      useBlsBackend(b);
      const ks = Array.from({ length: 12 }, (_, i) => blsKeyFromSeed(sha256(utf8(`cross ${i}`))));
      const msgs = ks.map((_, i) => digest(`cross message ${i}`));
      const sigs = ks.map((k, i) => blsSign(k.secretKey, msgs[i]!));
      const same = ks.map((k) => blsSign(k.secretKey, M1));
      return { pks: ks.map((k) => k.publicKey), msgs, sigs, aggSig: blsAggregateSignatures(same), aggPk: blsAggregatePublicKeys(ks.map((k) => k.publicKey)) };
    };
    const n = run('noble');
    const b = run('blst');
    expect(b).toEqual(n);
    for (const [name, other] of [['blst', n], ['noble', b]] as const) {
      useBlsBackend(name);
      other.sigs.forEach((s, i) => expect(blsVerify(other.pks[i]!, other.msgs[i]!, s)).toBe(true));
      expect(blsFastAggregateVerify(other.pks, M1, other.aggSig)).toBe(true);
      expect(blsBatchVerify(other.sigs.map((s, i) => ({ publicKey: other.pks[i]!, message: other.msgs[i]!, signature: s })))).toBe(true);
    }
  });
});
