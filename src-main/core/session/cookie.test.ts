import { describe, expect, it } from 'vitest';
import { COOKIE_REPLY_SIZE, INIT_MAC1_OFFSET, INIT_MAC2_OFFSET, INIT_SIZE } from './constants';
import { CookieGate, cookieKey, mac1Key, openCookieReply, stampInit } from './cookie';
import { Initiator } from './handshake';
import { makeIdentity } from './test-helpers';

const bob = makeIdentity();
const from = { host: '10.1.2.3', port: 4567 };

describe('cookie gate (WireGuard-style mac1/mac2)', () => {
  it('accepts mac1 only from someone who knows the responder address', () => {
    const gate = new CookieGate(bob.address);
    const i = new Initiator(1);
    expect(gate.checkMac1(stampInit(i.init, mac1Key(bob.address), null))).toBe(true);
    expect(gate.checkMac1(stampInit(i.init, mac1Key(bob.address.toLowerCase()), null))).toBe(true); // case-insensitive
    expect(gate.checkMac1(stampInit(i.init, mac1Key(makeIdentity().address), null))).toBe(false);
    expect(gate.checkMac1(i.init)).toBe(false); // unstamped
    const stamped = stampInit(i.init, mac1Key(bob.address), null);
    const tampered = Uint8Array.from(stamped);
    tampered[10] = tampered[10]! ^ 1;
    expect(gate.checkMac1(tampered)).toBe(false);
    expect(gate.checkMac1(stamped.subarray(0, INIT_SIZE - 1))).toBe(false);
  });

  it('issues a cookie the initiator can open only with its own mac1, and mac2 then verifies', () => {
    const gate = new CookieGate(bob.address);
    const i = new Initiator(42);
    const init = stampInit(i.init, mac1Key(bob.address), null);
    expect(gate.checkMac2(init, from)).toBe(false);
    const reply = gate.reply(init, from);
    expect(reply).toHaveLength(COOKIE_REPLY_SIZE);
    expect(reply.length).toBeLessThan(INIT_SIZE); // no amplification
    const mac1 = init.slice(INIT_MAC1_OFFSET, INIT_MAC2_OFFSET);
    expect(openCookieReply(reply, cookieKey(bob.address), new Uint8Array(16))).toBeNull(); // not our INIT
    expect(openCookieReply(reply, cookieKey(makeIdentity().address), mac1)).toBeNull(); // not that responder
    const cookie = openCookieReply(reply, cookieKey(bob.address), mac1)!;
    expect(cookie).toHaveLength(16);
    const withMac2 = stampInit(i.init, mac1Key(bob.address), cookie);
    expect(gate.checkMac1(withMac2)).toBe(true);
    expect(gate.checkMac2(withMac2, from)).toBe(true);
    expect(gate.checkMac2(withMac2, { host: from.host, port: from.port + 1 })).toBe(false); // bound to ip:port
    expect(gate.checkMac2(withMac2, { host: '10.1.2.4', port: from.port })).toBe(false);
  });

  it('rotates its secret: the previous cookie still works, the one before does not', () => {
    let now = 0;
    const gate = new CookieGate(bob.address, () => now, 1000);
    const i = new Initiator(7);
    const init = stampInit(i.init, mac1Key(bob.address), null);
    const mac1 = init.slice(INIT_MAC1_OFFSET, INIT_MAC2_OFFSET);
    const cookie = openCookieReply(gate.reply(init, from), cookieKey(bob.address), mac1)!;
    const withMac2 = stampInit(i.init, mac1Key(bob.address), cookie);
    now = 1500;
    expect(gate.checkMac2(withMac2, from)).toBe(true); // previous secret
    now = 2600;
    expect(gate.checkMac2(withMac2, from)).toBe(false); // two rotations later
  });

  it('forgets both secrets after a long quiet period', () => {
    let now = 0;
    const gate = new CookieGate(bob.address, () => now, 1000);
    const i = new Initiator(7);
    const init = stampInit(i.init, mac1Key(bob.address), null);
    const cookie = openCookieReply(gate.reply(init, from), cookieKey(bob.address), init.slice(INIT_MAC1_OFFSET, INIT_MAC2_OFFSET))!;
    now = 10_000;
    expect(gate.checkMac2(stampInit(i.init, mac1Key(bob.address), cookie), from)).toBe(false);
  });
});
