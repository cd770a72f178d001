import { describe, expect, it } from 'vitest';
import { bytesEqual } from '../base';
import { FINISH_HEAD, FINISH_SIZE, INIT_SIZE, RESPONSE_HEAD, RESPONSE_SIZE } from './constants';
import { Initiator, readFinish, readU32, respond } from './handshake';
import { makeIdentity } from './test-helpers';

const alice = makeIdentity();
const bob = makeIdentity();

function fullHandshake(epoch = 1) {
  const i = new Initiator(0x11223344);
  const r = respond(bob, i.init, 0x55667788)!;
  const seen = i.readResponse(r.packet)!;
  const fin = i.writeFinish(alice, epoch, seen);
  const done = readFinish(r.state, fin.packet)!;
  return { i, r, seen, fin, done };
}

const flip = (b: Uint8Array, at: number) => {
  const c = Uint8Array.from(b);
  c[at] = c[at]! ^ 0x01;
  return c;
};

describe('SIGMA-I handshake', () => {
  it('has the documented fixed sizes (INIT is the largest message: no amplification)', () => {
    const { i, r, fin } = fullHandshake();
    expect(i.init).toHaveLength(INIT_SIZE);
    expect(r.packet).toHaveLength(RESPONSE_SIZE);
    expect(fin.packet).toHaveLength(FINISH_SIZE);
    expect(RESPONSE_SIZE).toBeLessThan(INIT_SIZE);
    expect([i.init[0], r.packet[0], fin.packet[0]]).toEqual([1, 2, 3]);
    expect(readU32(i.init, 4)).toBe(0x11223344);
    expect(readU32(r.packet, 4)).toBe(0x55667788);
    expect(readU32(r.packet, 8)).toBe(0x11223344);
    expect(readU32(fin.packet, 4)).toBe(0x55667788);
  });

  it('proves both identities and agrees on four distinct per-direction keys', () => {
    const { seen, fin, done } = fullHandshake(7);
    expect(seen.peer.address).toBe(bob.address);
    expect(seen.peer.publicKey).toEqual(bob.publicKey);
    expect(done.peer.address).toBe(alice.address);
    expect(done.peer.publicKey).toEqual(alice.publicKey);
    expect(done.epoch).toBe(7);
    const a = fin.keys;
    const b = done.keys;
    expect(a.sendKey).toEqual(b.recvKey);
    expect(a.recvKey).toEqual(b.sendKey);
    expect(a.sendEnvKey).toEqual(b.recvEnvKey);
    expect(a.recvEnvKey).toEqual(b.sendEnvKey);
    const all = [a.sendKey, a.recvKey, a.sendEnvKey, a.recvEnvKey];
    for (let x = 0; x < all.length; x++) for (let y = x + 1; y < all.length; y++) expect(bytesEqual(all[x]!, all[y]!)).toBe(false);
  });

  it('uses fresh ephemerals: two handshakes between the same identities share no keys', () => {
    const one = fullHandshake();
    const two = fullHandshake();
    expect(bytesEqual(one.fin.keys.sendKey, two.fin.keys.sendKey)).toBe(false);
    expect(bytesEqual(one.i.ephemeralPublic, two.i.ephemeralPublic)).toBe(false);
  });

  it('never sends an identity in clear', () => {
    const { i, r, fin } = fullHandshake();
    const contains = (hay: Uint8Array, needle: Uint8Array) => Buffer.from(hay).includes(Buffer.from(needle));
    for (const pkt of [i.init, r.packet, fin.packet]) {
      expect(contains(pkt, bob.publicKey)).toBe(false);
      expect(contains(pkt, alice.publicKey)).toBe(false);
    }
  });

  it('rejects a RESPONSE with any byte flipped', () => {
    const i = new Initiator(1);
    const r = respond(bob, i.init, 2)!;
    for (let at = 0; at < RESPONSE_SIZE; at++) expect(i.readResponse(flip(r.packet, at)), `byte ${at}`).toBeNull();
    expect(i.readResponse(r.packet)).not.toBeNull(); // and the genuine one still works (readResponse is pure)
  });

  it('rejects a FINISH with any byte flipped', () => {
    const i = new Initiator(1);
    const r = respond(bob, i.init, 2)!;
    const fin = i.writeFinish(alice, 1, i.readResponse(r.packet)!);
    for (let at = 0; at < FINISH_SIZE; at++) expect(readFinish(r.state, flip(fin.packet, at)), `byte ${at}`).toBeNull();
    expect(readFinish(r.state, fin.packet)).not.toBeNull();
  });

  it('binds the transcript: a RESPONSE for another INIT, or a spliced responder block, fails', () => {
    const i1 = new Initiator(1);
    const i2 = new Initiator(1);
    const r1 = respond(bob, i1.init, 9)!;
    expect(i2.readResponse(r1.packet)).toBeNull(); // same sid, different ephemeral
    // splice: Mallory answers with her own ephemeral but replays Bob's encrypted identity block
    const mallory = makeIdentity();
    const rm = respond(mallory, i1.init, 9)!;
    const spliced = Uint8Array.from(rm.packet);
    spliced.set(r1.packet.subarray(RESPONSE_HEAD), RESPONSE_HEAD);
    expect(i1.readResponse(spliced)).toBeNull();
  });

  it('a FINISH cannot be replayed into another handshake with the same responder', () => {
    const i1 = new Initiator(1);
    const r1 = respond(bob, i1.init, 5)!;
    const fin1 = i1.writeFinish(alice, 1, i1.readResponse(r1.packet)!);
    const i2 = new Initiator(1);
    const r2 = respond(bob, i2.init, 5)!;
    expect(readFinish(r2.state, fin1.packet)).toBeNull();
  });

  it('rejects a low-order X25519 ephemeral (all-zero shared secret)', () => {
    const i = new Initiator(1);
    const bad = Uint8Array.from(i.init);
    bad.fill(0, 8, 40); // u = 0 is a small-order point (RFC 7748 §6.1)
    expect(respond(bob, bad, 3)).toBeNull();
  });

  it('rejects malformed headers and sizes', () => {
    const i = new Initiator(1);
    expect(respond(bob, i.init.subarray(0, INIT_SIZE - 1), 2)).toBeNull();
    const wrongVersion = Uint8Array.from(i.init);
    wrongVersion[1] = 9;
    expect(respond(bob, wrongVersion, 2)).toBeNull();
    const r = respond(bob, i.init, 2)!;
    expect(i.readResponse(r.packet.subarray(0, RESPONSE_SIZE - 1))).toBeNull();
    const fin = i.writeFinish(alice, 1, i.readResponse(r.packet)!);
    expect(readFinish(r.state, fin.packet.subarray(0, FINISH_HEAD))).toBeNull();
    expect(() => i.writeFinish(alice, 1, i.readResponse(r.packet) ?? ({} as never))).toThrow();
  });
});
