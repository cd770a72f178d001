import { describe, expect, it } from 'vitest';
import { isBuError, utf8 } from '../base';
import { addressOf, aesGcmSeal, generatePrivateKey, publicKeyOf, randomBytes, recoverPublicKey, signHash } from '../crypto';
import { decodeMsg, encodeMsg, type Msg } from './msg-codec';
import { envelopeHeader, envelopeSigningHash, openEnvelope, sealEnvelope } from './seal';

function identity() {
  const privateKey = generatePrivateKey();
  const publicKey = publicKeyOf(privateKey);
  return { privateKey, publicKey, address: addressOf(publicKey) };
}

function expectBad(fn: () => unknown): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(isBuError(err, 'BAD_ENVELOPE'), `expected BAD_ENVELOPE, got ${String(err)}`).toBe(true);
}

const alice = identity();
const bob = identity();
const key = randomBytes(32);
const TS = 1_700_000_123;

function sealed(plaintext = utf8('hello bob'), dst = bob.address): Msg {
  return sealEnvelope({ ts: TS, signer: alice, dstAddr: dst, plaintext, key });
}

describe('sealEnvelope / openEnvelope', () => {
  it('round-trips through the wire encoding and recovers the signer', () => {
    const m = sealed();
    expect(m.version).toBe(1);
    expect(m.srcAddr).toBe(alice.address);
    expect(m.signedDataHash).toHaveLength(65);
    const opened = openEnvelope(decodeMsg(encodeMsg(m)), { key, selfAddress: bob.address });
    expect(new TextDecoder().decode(opened.plaintext)).toBe('hello bob');
    expect(opened.signerPublicKey).toEqual(alice.publicKey);
  });

  it('round-trips an empty plaintext and a 64 KiB plaintext', () => {
    for (const pt of [new Uint8Array(), randomBytes(64 * 1024)]) {
      const opened = openEnvelope(decodeMsg(encodeMsg(sealed(pt))), { key, selfAddress: bob.address });
      expect(opened.plaintext).toEqual(pt);
    }
  });

  it('matches addresses case-insensitively', () => {
    const m = sealed(utf8('x'), bob.address.toLowerCase());
    expect(openEnvelope(m, { key, selfAddress: bob.address.toUpperCase().replace('0X', '0x') }).plaintext).toEqual(utf8('x'));
  });

  it('binds the header as documented: signature over sha256(header ‖ sha256(pt)), header as AAD', () => {
    const m = sealed(utf8('abc'));
    const header = envelopeHeader(1, TS, alice.address, bob.address);
    expect(new TextDecoder().decode(header.subarray(0, 10))).toBe('BU-MSG-v1\0');
    expect(header.length).toBe(10 + 4 + 4 + 42 + 1 + 42 + 1);
    expect(m.signedDataHash).toEqual(signHash(envelopeSigningHash(header, utf8('abc')), alice.privateKey)); // RFC 6979: deterministic
  });

  it('uses a fresh random nonce each time', () => {
    expect(sealed().encryptedData.subarray(0, 12)).not.toEqual(sealed().encryptedData.subarray(0, 12));
  });

  it('rejects a message for someone else', () => {
    expectBad(() => openEnvelope(sealed(), { key, selfAddress: alice.address }));
  });

  it('rejects the wrong key and an unsupported version', () => {
    expectBad(() => openEnvelope(sealed(), { key: randomBytes(32), selfAddress: bob.address }));
    expectBad(() => openEnvelope({ ...sealed(), version: 2 }, { key, selfAddress: bob.address }));
  });

  it('rejects a signer that does not match src_addr', () => {
    const mallory = identity();
    // Mallory builds a perfectly encrypted envelope that claims to come from Alice.
    const header = envelopeHeader(1, TS, alice.address, bob.address);
    const pt = utf8('I am alice');
    const nonce = randomBytes(12);
    const m = sealEnvelope({ ts: TS, signer: mallory, dstAddr: bob.address, plaintext: pt, key });
    const forged: Msg = {
      ...m,
      srcAddr: alice.address,
      signedDataHash: signHash(envelopeSigningHash(header, pt), mallory.privateKey),
    };
    // re-encrypt with the forged header as AAD so only the signature check can catch it
    forged.encryptedData = new Uint8Array([...nonce, ...aesGcmSeal(key, nonce, pt, header)]);
    expectBad(() => openEnvelope(forged, { key, selfAddress: bob.address }));
    // and sealEnvelope itself refuses a signer whose key does not match its address
    expect(() => sealEnvelope({ ts: TS, signer: { privateKey: mallory.privateKey, address: alice.address }, dstAddr: bob.address, plaintext: pt, key })).toThrow(
      expect.objectContaining({ code: 'BAD_INPUT' }),
    );
  });

  it('rejects a high-s (malleated) signature and v outside {0,1}', () => {
    const m = sealed();
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    let s = 0n;
    for (let i = 32; i < 64; i++) s = (s << 8n) | BigInt(m.signedDataHash[i]!);
    const highS = (n - s).toString(16).padStart(64, '0');
    const sig = Uint8Array.from(m.signedDataHash);
    sig.set(Buffer.from(highS, 'hex'), 32);
    sig[64] = sig[64]! ^ 1; // the mirrored signature is valid ECDSA for the flipped recovery id
    const hash = envelopeSigningHash(envelopeHeader(1, TS, alice.address, bob.address), utf8('hello bob'));
    expect(recoverPublicKey(hash, sig)).toEqual(alice.publicKey); // so only the low-s rule stops it
    expectBad(() => openEnvelope({ ...m, signedDataHash: sig }, { key, selfAddress: bob.address }));
    const v2 = Uint8Array.from(m.signedDataHash);
    v2[64] = 2;
    expectBad(() => openEnvelope({ ...m, signedDataHash: v2 }, { key, selfAddress: bob.address }));
  });

  it('rejects a flip of any byte of encryptedData and signedDataHash', () => {
    const m = sealed(utf8('short'));
    for (const field of ['encryptedData', 'signedDataHash'] as const) {
      for (let i = 0; i < m[field].length; i++) {
        const t = Uint8Array.from(m[field]);
        t[i] = t[i]! ^ 0x01;
        expectBad(() => openEnvelope({ ...m, [field]: t }, { key, selfAddress: bob.address }));
      }
    }
  });

  it('rejects any change of ts, srcAddr or dstAddr', () => {
    const m = sealed();
    for (const ts of [TS + 1, TS - 1, TS ^ 0x100, 0, -TS]) expectBad(() => openEnvelope({ ...m, ts }, { key, selfAddress: bob.address }));
    for (let i = 0; i < m.srcAddr.length; i++) {
      const src = m.srcAddr.slice(0, i) + String.fromCharCode(m.srcAddr.charCodeAt(i) ^ 0x01) + m.srcAddr.slice(i + 1);
      expectBad(() => openEnvelope({ ...m, srcAddr: src }, { key, selfAddress: bob.address }));
    }
    for (let i = 0; i < m.dstAddr.length; i++) {
      const dst = m.dstAddr.slice(0, i) + String.fromCharCode(m.dstAddr.charCodeAt(i) ^ 0x01) + m.dstAddr.slice(i + 1);
      // the receiver is the tampered address itself, so the dst check passes and only crypto can catch it
      expectBad(() => openEnvelope({ ...m, dstAddr: dst }, { key, selfAddress: dst }));
      expectBad(() => openEnvelope({ ...m, dstAddr: dst }, { key, selfAddress: bob.address }));
    }
  });

  it('rejects every single-bit flip anywhere in the encoded envelope (decode or open fails, always BAD_ENVELOPE)', () => {
    const wire = encodeMsg(sealed(utf8('x')));
    for (let i = 0; i < wire.length; i++) {
      for (const mask of [0x01, 0x80]) {
        const t = Uint8Array.from(wire);
        t[i] = t[i]! ^ mask;
        expectBad(() => openEnvelope(decodeMsg(t), { key, selfAddress: bob.address }));
      }
    }
  });

  it('rejects truncated encrypted data without throwing anything else', () => {
    const m = sealed();
    for (const n of [0, 11, 12, 27]) expectBad(() => openEnvelope({ ...m, encryptedData: m.encryptedData.subarray(0, n) }, { key, selfAddress: bob.address }));
    expectBad(() => openEnvelope({ ...m, signedDataHash: new Uint8Array(64) }, { key, selfAddress: bob.address }));
  });
});
