import { describe, expect, it } from 'vitest';
import { utf8 } from '../base';
import { INITIAL_HEADER_LENGTH, INITIAL_OVERHEAD, peekMessage, RATCHET_OVERHEAD } from './message';
import { MAX_SKIP } from './constants';
import { rotatePrekeys } from './prekeys';
import { initiateSession, ratchetDecrypt, ratchetEncrypt } from './ratchet';
import type { RatchetState } from './session';
import { AD, expectBadEnvelope, makeParty, NOW, text, type Party } from './test-helpers';

/** A two-party conversation in which each side keeps its own state. */
class Chat {
  states = new Map<Party, RatchetState | null>();
  constructor(
    readonly a: Party,
    readonly b: Party,
  ) {
    this.states.set(a, initiateSession(a.identity, b.bundle, { now: NOW }));
    this.states.set(b, null);
  }
  send(from: Party, msg: string): Uint8Array {
    const r = ratchetEncrypt(this.states.get(from)!, utf8(msg), AD);
    this.states.set(from, r.state);
    return r.message;
  }
  recv(to: Party, message: Uint8Array): string {
    const r = ratchetDecrypt(this.states.get(to) ?? null, message, AD, to);
    this.states.set(to, r.state);
    expect(r.peerAddress).toBe((to === this.a ? this.b : this.a).identity.address);
    return text(r.plaintext);
  }
}

describe('X3DH + Double Ratchet round trips', () => {
  it('alternating conversation with many DH ratchet steps, both directions', () => {
    const alice = makeParty();
    const bob = makeParty();
    const chat = new Chat(alice, bob);
    const ratchetKeys = new Set<string>();
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 3; i++) {
        const m = chat.send(alice, `a${round}.${i}`);
        ratchetKeys.add(Buffer.from(peekMessage(m).ratchetKey).toString('hex'));
        expect(chat.recv(bob, m)).toBe(`a${round}.${i}`);
      }
      const m = chat.send(bob, `b${round}`);
      ratchetKeys.add(Buffer.from(peekMessage(m).ratchetKey).toString('hex'));
      expect(chat.recv(alice, m)).toBe(`b${round}`);
    }
    expect(ratchetKeys.size).toBe(12); // a fresh ratchet key each turn on each side
  });

  it('first messages carry the X3DH initial header until the peer replies', () => {
    const alice = makeParty();
    const bob = makeParty();
    const chat = new Chat(alice, bob);
    const m1 = chat.send(alice, 'one');
    const m2 = chat.send(alice, 'two');
    expect(peekMessage(m1)).toMatchObject({ initial: true, prekeyId: bob.bundle.signedPrekeyId, n: 0 });
    expect(peekMessage(m2)).toMatchObject({ initial: true, n: 1 });
    expect(m1.length).toBe(utf8('one').length + INITIAL_OVERHEAD);
    expect(INITIAL_OVERHEAD).toBe(191);
    expect(INITIAL_HEADER_LENGTH).toBe(133);
    expect(chat.recv(bob, m2)).toBe('two');
    expect(chat.recv(bob, m1)).toBe('one');
    const r1 = chat.send(bob, 'reply');
    expect(peekMessage(r1).initial).toBe(false);
    expect(r1.length).toBe(utf8('reply').length + RATCHET_OVERHEAD);
    expect(RATCHET_OVERHEAD).toBe(58);
    // Alice keeps sending initial headers while the reply is in flight …
    expect(peekMessage(chat.send(alice, 'three')).initial).toBe(true);
    chat.recv(alice, r1);
    // … and stops once it arrived
    const m4 = chat.send(alice, 'four');
    expect(peekMessage(m4).initial).toBe(false);
    expect(chat.recv(bob, m4)).toBe('four');
  });

  it('out-of-order and lost messages within MAX_SKIP, across ratchet steps', () => {
    const alice = makeParty();
    const bob = makeParty();
    const chat = new Chat(alice, bob);
    const first = [0, 1, 2, 3, 4].map((i) => chat.send(alice, `a${i}`));
    expect(chat.recv(bob, first[3]!)).toBe('a3');
    expect(chat.recv(bob, first[0]!)).toBe('a0');
    const reply = chat.send(bob, 'b0');
    expect(chat.recv(alice, reply)).toBe('b0');
    const second = [0, 1, 2].map((i) => chat.send(alice, `c${i}`)); // new sending chain (pn = 5)
    expect(peekMessage(second[0]!).initial).toBe(false);
    expect(chat.recv(bob, second[2]!)).toBe('c2'); // skips c0, c1 and the rest of the old chain (a4 was never received yet)
    expect(chat.recv(bob, first[4]!)).toBe('a4');
    expect(chat.recv(bob, second[0]!)).toBe('c0');
    expect(chat.recv(bob, first[1]!)).toBe('a1');
    // a2 and c1 are lost forever; the conversation goes on
    expect(chat.recv(alice, chat.send(bob, 'b1'))).toBe('b1');
    expect(chat.recv(bob, chat.send(alice, 'c3'))).toBe('c3');
    // a duplicate of an already-decrypted message is refused (its key is gone)
    expectBadEnvelope(() => ratchetDecrypt(chat.states.get(bob)!, first[0]!, AD, bob));
  });

  it('accepts exactly MAX_SKIP skipped messages and rejects one more', () => {
    const alice = makeParty();
    const bob = makeParty();
    const chat = new Chat(alice, bob);
    const msgs: Uint8Array[] = [];
    for (let i = 0; i <= MAX_SKIP + 1; i++) msgs.push(chat.send(alice, `m${i}`));
    expectBadEnvelope(() => ratchetDecrypt(null, msgs[MAX_SKIP + 1]!, AD, bob)); // would skip 1001
    expect(chat.recv(bob, msgs[MAX_SKIP]!)).toBe(`m${MAX_SKIP}`); // skips exactly 1000
    expect(chat.states.get(bob)!.current.skipped).toHaveLength(MAX_SKIP);
    expect(chat.recv(bob, msgs[MAX_SKIP + 1]!)).toBe(`m${MAX_SKIP + 1}`);
    expect(chat.recv(bob, msgs[17]!)).toBe('m17');
    // a jump of more than MAX_SKIP in a later chain is rejected too
    const reply = chat.send(bob, 'ok');
    chat.recv(alice, reply);
    const later: Uint8Array[] = [];
    for (let i = 0; i <= MAX_SKIP + 1; i++) later.push(chat.send(alice, `n${i}`));
    expectBadEnvelope(() => ratchetDecrypt(chat.states.get(bob)!, later[MAX_SKIP + 1]!, AD, bob));
    expect(chat.recv(bob, later[0]!)).toBe('n0');
  });

  it('rejects a tampered header, ciphertext, tag or associated data, without touching the state', () => {
    const alice = makeParty();
    const bob = makeParty();
    const chat = new Chat(alice, bob);
    chat.recv(bob, chat.send(alice, 'hello'));
    chat.recv(alice, chat.send(bob, 'hi'));
    const m = chat.send(alice, 'secret');
    const before = chat.states.get(bob)!;
    for (let i = 0; i < m.length; i++) {
      const t = m.slice();
      t[i]! ^= 0x01;
      expectBadEnvelope(() => ratchetDecrypt(before, t, AD, bob));
    }
    expectBadEnvelope(() => ratchetDecrypt(before, m, utf8('envelope header!'), bob));
    expectBadEnvelope(() => ratchetDecrypt(before, m, new Uint8Array(), bob));
    expectBadEnvelope(() => ratchetDecrypt(before, m.subarray(0, m.length - 1), AD, bob));
    expectBadEnvelope(() => ratchetDecrypt(before, m.subarray(0, 40), AD, bob));
    expectBadEnvelope(() => ratchetDecrypt(before, new Uint8Array(), AD, bob));
    expect(chat.states.get(bob)).toBe(before);
    expect(chat.recv(bob, m)).toBe('secret'); // the untouched state still opens the real message
  });

  it('rejects a tampered initial header (identity key, certificate, ephemeral key, prekey id)', () => {
    const alice = makeParty();
    const bob = makeParty();
    const chat = new Chat(alice, bob);
    const m = chat.send(alice, 'hello');
    for (let i = 2; i < 2 + INITIAL_HEADER_LENGTH; i++) {
      const t = m.slice();
      t[i]! ^= 0x80;
      expectBadEnvelope(() => ratchetDecrypt(null, t, AD, bob));
    }
    expect(chat.recv(bob, m)).toBe('hello');
  });

  it('a message for Bob cannot be read by Carol, even with Bob\'s prekey id in her own secrets', () => {
    const alice = makeParty();
    const bob = makeParty();
    const carol = makeParty();
    const chat = new Chat(alice, bob);
    const m = chat.send(alice, 'for bob');
    expectBadEnvelope(() => ratchetDecrypt(null, m, AD, carol));
    const carolSameId = { ...carol, prekeys: [{ ...carol.prekeys[0]!, id: bob.bundle.signedPrekeyId }] };
    expectBadEnvelope(() => ratchetDecrypt(null, m, AD, carolSameId));
    // nor by Carol holding Bob's prekey secret but not his identity key
    expectBadEnvelope(() => ratchetDecrypt(null, m, AD, { identity: carol.identity, prekeys: bob.prekeys }));
    // established sessions: Carol cannot use Bob's message with a state she made with Alice
    chat.recv(bob, m);
    const later = chat.send(bob, 'to alice');
    const carolChat = new Chat(carol, alice);
    carolChat.recv(alice, carolChat.send(carol, 'hi'));
    expectBadEnvelope(() => ratchetDecrypt(carolChat.states.get(carol)!, later, AD, carol));
    expect(chat.recv(alice, later)).toBe('to alice');
  });

  it('a state with one peer refuses an initial message from another, and a message needs a state', () => {
    const alice = makeParty();
    const bob = makeParty();
    const carol = makeParty();
    const ab = new Chat(alice, bob);
    ab.recv(bob, ab.send(alice, 'hello'));
    const fromCarol = ratchetEncrypt(initiateSession(carol.identity, bob.bundle, { now: NOW }), utf8('x'), AD).message;
    expectBadEnvelope(() => ratchetDecrypt(ab.states.get(bob)!, fromCarol, AD, bob));
    expect(text(ratchetDecrypt(null, fromCarol, AD, bob).plaintext)).toBe('x');
    const reply = ab.send(bob, 'r');
    expectBadEnvelope(() => ratchetDecrypt(null, reply, AD, alice));
  });

  it('initial messages open only with the right signed prekey; the previous one works during the grace period', () => {
    const DAY = 24 * 3600 * 1000;
    const alice = makeParty();
    const bob = makeParty();
    const oldMsg = ratchetEncrypt(initiateSession(alice.identity, bob.bundle, { now: NOW }), utf8('old prekey'), AD).message;
    // Bob rotates a week later and publishes a new bundle
    const week = rotatePrekeys(bob.identity, bob.prekeys, { now: NOW + 7 * DAY });
    expect(week.rotated).toBe(true);
    const newMsg = ratchetEncrypt(initiateSession(alice.identity, week.bundle, { now: NOW + 7 * DAY }), utf8('new prekey'), AD).message;
    expect(peekMessage(newMsg).prekeyId).toBe(week.bundle.signedPrekeyId);
    const bobNow = { identity: bob.identity, prekeys: week.secrets };
    expect(text(ratchetDecrypt(null, oldMsg, AD, bobNow).plaintext)).toBe('old prekey'); // grace period
    expect(text(ratchetDecrypt(null, newMsg, AD, bobNow).plaintext)).toBe('new prekey');
    // only the right prekey opens each message
    expectBadEnvelope(() => ratchetDecrypt(null, newMsg, AD, bob)); // Bob before rotation lacks the new prekey
    const wrongKey = { identity: bob.identity, prekeys: [{ ...makeParty().prekeys[0]!, id: bob.bundle.signedPrekeyId }] };
    expectBadEnvelope(() => ratchetDecrypt(null, oldMsg, AD, wrongKey)); // right id, wrong private key
    // after the grace period the old prekey is deleted and the old initial message is unreadable (forward secrecy)
    const later = rotatePrekeys(bob.identity, week.secrets, { now: NOW + 37 * DAY, rotateAfterMs: 365 * DAY });
    expect(later.secrets.map((p) => p.id)).toEqual([week.bundle.signedPrekeyId]);
    expectBadEnvelope(() => ratchetDecrypt(null, oldMsg, AD, { identity: bob.identity, prekeys: later.secrets }));
    expect(text(ratchetDecrypt(null, newMsg, AD, { identity: bob.identity, prekeys: later.secrets }).plaintext)).toBe('new prekey');
  });

  it('refuses to start from a bundle that does not verify', () => {
    const alice = makeParty();
    const bob = makeParty();
    const mallory = makeParty();
    expectBadEnvelope(() => initiateSession(alice.identity, { ...mallory.bundle, address: bob.identity.address }, { now: NOW }));
    expectBadEnvelope(() => initiateSession(alice.identity, bob.bundle, { now: NOW + 30 * 24 * 3600 * 1000 }));
    expect(() => initiateSession(alice.identity, alice.bundle, { now: NOW })).toThrow(/oneself/);
    expect(() => initiateSession({ ...alice.identity, address: bob.identity.address }, bob.bundle, { now: NOW })).toThrow(/address/);
  });
});
