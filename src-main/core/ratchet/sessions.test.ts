import { describe, expect, it } from 'vitest';
import { utf8 } from '../base';
import { MAX_ARCHIVED_SESSIONS, MAX_STORED_SKIPPED } from './constants';
import { createPrekeyBundle } from './bundle';
import { peekMessage } from './message';
import { initiateSession, ratchetDecrypt, ratchetEncrypt } from './ratchet';
import type { RatchetState } from './session';
import { AD, expectBadEnvelope, makeParty, NOW, text, type Party } from './test-helpers';

function enc(s: RatchetState, m: string) {
  return ratchetEncrypt(s, utf8(m), AD);
}

function dec(s: RatchetState | null, m: Uint8Array, self: Party) {
  const r = ratchetDecrypt(s, m, AD, self);
  return { state: r.state, text: text(r.plaintext) };
}

describe('several sessions with one peer', () => {
  it('crossing initial messages (both start a session at once) converge on one session', () => {
    const alice = makeParty();
    const bob = makeParty();
    let a = initiateSession(alice.identity, bob.bundle, { now: NOW });
    let b = initiateSession(bob.identity, alice.bundle, { now: NOW });
    let r = enc(a, 'from alice');
    a = r.state;
    const fromA = r.message;
    r = enc(b, 'from bob');
    b = r.state;
    const fromB = r.message;
    let d = dec(b, fromA, bob); // Bob: Alice's session becomes current, his own is archived
    b = d.state;
    expect(d.text).toBe('from alice');
    d = dec(a, fromB, alice); // Alice: symmetric
    a = d.state;
    expect(d.text).toBe('from bob');
    expect(a.archived).toHaveLength(1);
    // each side now answers in the session the other started; the first answer promotes it back
    for (let i = 0; i < 4; i++) {
      r = enc(a, `a${i}`);
      a = r.state;
      d = dec(b, r.message, bob);
      b = d.state;
      expect(d.text).toBe(`a${i}`);
      r = enc(b, `b${i}`);
      b = r.state;
      d = dec(a, r.message, alice);
      a = d.state;
      expect(d.text).toBe(`b${i}`);
    }
    expect(a.current.sessionId).toEqual(b.current.sessionId);
    expect(peekMessage(enc(a, 'x').message).initial).toBe(false);
    expect(peekMessage(enc(b, 'x').message).initial).toBe(false);
  });

  it('a peer that reinstalled (same identity key, new prekeys, no state) starts a new session that replaces the old one', () => {
    const alice = makeParty();
    const bob = makeParty();
    let a = initiateSession(alice.identity, bob.bundle, { now: NOW });
    let r = enc(a, 'hello');
    a = r.state;
    let b = dec(null, r.message, bob).state;
    r = enc(b, 'hi');
    const lateFromOldBob = enc(r.state, 'late from the old machine').message;
    a = dec(a, r.message, alice).state;
    // Bob's new machine: same identity (keystore import), fresh prekey, no ratchet state
    const made = createPrekeyBundle(bob.identity, { now: NOW });
    const newBob: Party = { identity: bob.identity, prekeys: [made.secret], bundle: made.bundle };
    // Alice's messages in the old session cannot be read there (the chat layer must resend them)
    const lost = enc(a, 'in the old session').message;
    expectBadEnvelope(() => ratchetDecrypt(null, lost, AD, newBob));
    r = enc(initiateSession(newBob.identity, alice.bundle, { now: NOW }), 'new machine');
    b = r.state;
    let d = dec(a, r.message, alice);
    a = d.state;
    expect(d.text).toBe('new machine');
    expect(a.archived).toHaveLength(1);
    r = enc(a, 'welcome back');
    a = r.state;
    expect(dec(b, r.message, newBob).text).toBe('welcome back');
    // a late message from the old machine still opens (archived session) …
    d = dec(a, lateFromOldBob, alice);
    expect(d.text).toBe('late from the old machine');
  });

  it('keeps at most MAX_ARCHIVED_SESSIONS earlier sessions and passes a previous state on when re-initiating', () => {
    const alice = makeParty();
    const bob = makeParty();
    let b: RatchetState | null = null;
    const firsts: Uint8Array[] = [];
    for (let i = 0; i < MAX_ARCHIVED_SESSIONS + 2; i++) {
      const m = enc(initiateSession(alice.identity, bob.bundle, { now: NOW }), `s${i}`).message;
      firsts.push(m);
      b = dec(b, m, bob).state;
    }
    expect(b!.archived).toHaveLength(MAX_ARCHIVED_SESSIONS);
    // a replayed initial message of a session still held is refused (its key was used) …
    expectBadEnvelope(() => ratchetDecrypt(b, firsts[firsts.length - 1]!, AD, bob));
    // … but one whose session was dropped opens again while the prekey lives (X3DH §4.3: the
    // chat layer's message ids detect the duplicate, and the caller then discards the new state)
    expect(dec(b, firsts[0]!, bob).text).toBe('s0');
    let a = initiateSession(alice.identity, bob.bundle, { now: NOW });
    const pending = enc(a, 'p');
    a = pending.state;
    const again = initiateSession(alice.identity, bob.bundle, { now: NOW, previous: a });
    expect(again.archived[0]!.sessionId).toEqual(a.current.sessionId);
    expect(() => initiateSession(alice.identity, bob.bundle, { now: NOW, previous: initiateSession(alice.identity, makeParty().bundle, { now: NOW }) })).toThrow(/another peer/);
  });

  it('bounds the skipped keys of the whole state, dropping the oldest', () => {
    const alice = makeParty();
    const bob = makeParty();
    let a = initiateSession(alice.identity, bob.bundle, { now: NOW });
    let b: RatchetState | null = null;
    const chains: Uint8Array[][] = [];
    // three chains of 901 messages; Bob receives only the last of each
    for (let c = 0; c < 3; c++) {
      const chain: Uint8Array[] = [];
      for (let i = 0; i <= 900; i++) {
        const r = enc(a, `c${c}.${i}`);
        a = r.state;
        chain.push(r.message);
      }
      chains.push(chain);
      b = dec(b, chain[900]!, bob).state;
      const reply = enc(b, 'ack');
      b = reply.state;
      a = dec(a, reply.message, alice).state;
    }
    const total = [b!.current, ...b!.archived].reduce((n, s) => n + s.skipped.length, 0);
    expect(total).toBe(MAX_STORED_SKIPPED);
    expectBadEnvelope(() => ratchetDecrypt(b, chains[0]![0]!, AD, bob)); // oldest dropped
    expect(dec(b, chains[0]![899]!, bob).text).toBe('c0.899'); // newer ones of that chain kept
    expect(dec(b, chains[2]![0]!, bob).text).toBe('c2.0');
  });
});
