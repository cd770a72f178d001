/**
 * @module crypto/bls-backend
 * What a BLS12-381 implementation provides to crypto/bls (min-pk, POP ciphersuite, 32-byte
 * digests). crypto/bls checks lengths and secret-key ranges before calling; a backend returns
 * false/null on any point that fails to decode, is off the curve, outside the prime-order
 * subgroup or (for keys and signatures that must not be) infinity, and never throws.
 */
export type BlsBatchItem = { publicKey: Uint8Array; message: Uint8Array; signature: Uint8Array };

export type BlsBackend = {
  readonly name: 'blst' | 'noble';
  /** SkToPk of a secret key already checked to be in [1, r). */
  publicKey(secretKey: Uint8Array): Uint8Array;
  publicKeyValid(publicKey: Uint8Array): boolean;
  sign(secretKey: Uint8Array, msg32: Uint8Array): Uint8Array;
  verify(publicKey: Uint8Array, msg32: Uint8Array, signature: Uint8Array): boolean;
  /** Null if a signature is invalid. */
  aggregateSignatures(signatures: Uint8Array[]): Uint8Array | null;
  /** Null if a key is invalid or the sum is infinity. */
  aggregatePublicKeys(publicKeys: Uint8Array[]): Uint8Array | null;
  fastAggregateVerify(publicKeys: Uint8Array[], msg32: Uint8Array, aggregateSignature: Uint8Array): boolean;
  /** Two or more items, messages already 32 bytes; random linear combination with 64-bit scalars. */
  batchVerify(items: BlsBatchItem[]): boolean;
  cacheSizes(): { publicKeys: number; messages: number };
  clearCaches(): void;
};

/** A Map with a size limit, least recently used out first (Map keeps insertion order). */
export class Lru<V> {
  private readonly m = new Map<string, V>();
  constructor(private readonly limit: number) {}
  get(k: string): V | undefined {
    const v = this.m.get(k);
    if (v !== undefined) {
      this.m.delete(k);
      this.m.set(k, v);
    }
    return v;
  }
  set(k: string, v: V): void {
    this.m.delete(k);
    this.m.set(k, v);
    if (this.m.size > this.limit) this.m.delete(this.m.keys().next().value!);
  }
  get size(): number {
    return this.m.size;
  }
  clear(): void {
    this.m.clear();
  }
}
