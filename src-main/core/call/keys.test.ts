/** @module call/keys.test */
import { describe, expect, it } from 'vitest';
import { randomBytes } from '../crypto';
import { deriveCallKeys, newCallKeyPair, type CallKeyPair } from './keys';

const CALLER = '0xAAaa000000000000000000000000000000000001';
const CALLEE = '0xbbbb000000000000000000000000000000000002';

function pair(callId = randomBytes(16)) {
  const a = newCallKeyPair();
  const b = newCallKeyPair();
  const caller = deriveCallKeys({ callId, own: a, peerPublic: b.publicKey, callerAddress: CALLER, calleeAddress: CALLEE, weAreCaller: true });
  const callee = deriveCallKeys({ callId, own: b, peerPublic: a.publicKey, callerAddress: CALLER.toLowerCase(), calleeAddress: CALLEE, weAreCaller: false });
  return { a, b, caller, callee, callId };
}

const header = new Uint8Array([0xb1, 1, 2, 3]);
const body = new TextEncoder().encode('twenty milliseconds of Opus');

describe('call keys', () => {
  it('derive matching keys in both directions', () => {
    const { caller, callee } = pair();
    const c1 = caller.seal(header, body, 0);
    expect(callee.open(header, c1, 0)).toEqual(body);
    const c2 = callee.seal(header, body, 0);
    expect(caller.open(header, c2, 0)).toEqual(body);
    // the two directions use different keys: a packet does not open as its own direction
    expect(caller.open(header, c1, 0)).toBeNull();
    expect(c1).not.toEqual(c2);
  });

  it('fail with a wrong peer key, swapped roles or another call id', () => {
    const { a, b, caller, callId } = pair();
    const sealed = caller.seal(header, body, 5);
    const stranger: CallKeyPair = newCallKeyPair();
    const wrong = deriveCallKeys({ callId, own: b, peerPublic: stranger.publicKey, callerAddress: CALLER, calleeAddress: CALLEE, weAreCaller: false });
    expect(wrong.open(header, sealed, 5)).toBeNull();
    const swapped = deriveCallKeys({ callId, own: b, peerPublic: a.publicKey, callerAddress: CALLER, calleeAddress: CALLEE, weAreCaller: true });
    expect(swapped.open(header, sealed, 5)).toBeNull();
    const otherCall = deriveCallKeys({ callId: randomBytes(16), own: b, peerPublic: a.publicKey, callerAddress: CALLER, calleeAddress: CALLEE, weAreCaller: false });
    expect(otherCall.open(header, sealed, 5)).toBeNull();
  });

  it('reject tampered ciphertext, header or counter', () => {
    const { caller, callee } = pair();
    const sealed = caller.seal(header, body, 7);
    const t = sealed.slice();
    t[3]! ^= 1;
    expect(callee.open(header, t, 7)).toBeNull();
    expect(callee.open(new Uint8Array([0xb1, 1, 2, 4]), sealed, 7)).toBeNull();
    expect(callee.open(header, sealed, 8)).toBeNull();
    expect(callee.open(header, sealed.subarray(0, 10), 7)).toBeNull();
    expect(callee.open(header, sealed, 7)).toEqual(body);
  });

  it('never seal the same counter twice', () => {
    const { caller } = pair();
    caller.seal(header, body, 1);
    expect(() => caller.seal(header, body, 1)).toThrow();
    expect(() => caller.seal(header, body, 0)).toThrow();
    expect(() => caller.seal(header, body, -1)).toThrow();
    expect(caller.seal(header, body, 2).length).toBe(body.length + 16);
  });

  it('refuse a small-order (all-zero DH) peer key', () => {
    const own = newCallKeyPair();
    expect(() =>
      deriveCallKeys({ callId: randomBytes(16), own, peerPublic: new Uint8Array(32), callerAddress: CALLER, calleeAddress: CALLEE, weAreCaller: true }),
    ).toThrow(/not usable/);
  });

  it('wipe makes further use throw', () => {
    const { caller, callee } = pair();
    const sealed = caller.seal(header, body, 0);
    callee.wipe();
    expect(callee.wiped).toBe(true);
    expect(() => callee.open(header, sealed, 0)).toThrow();
    expect(() => callee.seal(header, body, 1)).toThrow();
  });
});
