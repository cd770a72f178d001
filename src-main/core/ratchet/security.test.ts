import { describe, expect, it } from 'vitest';
import { utf8 } from '../base';
import { rotatePrekeys } from './prekeys';
import { initiateSession, ratchetDecrypt, ratchetEncrypt } from './ratchet';
import type { RatchetState } from './session';
import { deserializeState, serializeState } from './state-codec';
import { AD, expectBadEnvelope, makeParty, NOW, text, type Party } from './test-helpers';

const DAY = 24 * 3600 * 1000;

function pair() {
  const alice = makeParty();
  const bob = makeParty();
  let a: RatchetState = initiateSession(alice.identity, bob.bundle, { now: NOW });
  let b: RatchetState | null = null;
  return {
    alice,
    bob,
    get b() {
      return b!;
    },
    aSend(msg: string) {
      const r = ratchetEncrypt(a, utf8(msg), AD);
      a = r.state;
      return r.message;
    },
    bSend(msg: string) {
      const r = ratchetEncrypt(b!, utf8(msg), AD);
      b = r.state;
      return r.message;
    },
    aRecv(m: Uint8Array) {
      const r = ratchetDecrypt(a, m, AD, alice);
      a = r.state;
      return text(r.plaintext);
    },
    bRecv(m: Uint8Array) {
      const r = ratchetDecrypt(b, m, AD, bob);
      b = r.state;
      return text(r.plaintext);
    },
  };
}

/** Decrypt as Bob with a stolen state, evolving the thief's copy like Bob would. */
function thief(stolen: RatchetState, bob: Party) {
  let s = stolen;
  return (m: Uint8Array) => {
    const r = ratchetDecrypt(s, m, AD, bob);
    s = r.state;
    return text(r.plaintext);
  };
}

describe('forward secrecy', () => {
  it('a state snapshot cannot decrypt messages whose keys were already used', () => {
    const p = pair();
    const sent = ['m0', 'm1', 'm2'].map((m) => p.aSend(m));
    sent.forEach((m, i) => expect(p.bRecv(m)).toBe(`m${i}`));
    p.aRecv(p.bSend('r0'));
    const more = ['m3', 'm4'].map((m) => p.aSend(m));
    expect(p.bRecv(more[1]!)).toBe('m4'); // m3 skipped: its key is kept, m4's consumed
    const snapshot = deserializeState(serializeState(p.b));
    for (const m of [...sent, more[1]!]) expectBadEnvelope(() => ratchetDecrypt(snapshot, m, AD, p.bob));
    // only the key of the message not yet received is still there (Double Ratchet §6.5: skipped keys)
    expect(text(ratchetDecrypt(snapshot, more[0]!, AD, p.bob).plaintext)).toBe('m3');
  });

  it('a later theft of the long-term identity key and the deleted prekey\'s successors reveals no mailbox message', () => {
    const p = pair();
    const mailbox = [p.aSend('offline 1'), p.aSend('offline 2')]; // a router stores these
    expect(p.bRecv(mailbox[0]!)).toBe('offline 1');
    expect(p.bRecv(mailbox[1]!)).toBe('offline 2');
    p.aRecv(p.bSend('back'));
    const later = p.aSend('after reply');
    expect(p.bRecv(later)).toBe('after reply');
    // Bob's prekey is rotated and, after the grace period, deleted
    const week = rotatePrekeys(p.bob.identity, p.bob.prekeys, { now: NOW + 7 * DAY });
    const gone = rotatePrekeys(p.bob.identity, week.secrets, { now: NOW + 40 * DAY });
    // the router (or a thief) now gets Bob's identity key and every prekey he still has
    const stolen = { identity: p.bob.identity, prekeys: gone.secrets };
    for (const m of [...mailbox, later]) expectBadEnvelope(() => ratchetDecrypt(null, m, AD, stolen));
  });

  it('cost of having no one-time prekeys (X3DH §4.2): before the prekey is deleted, identity key + prekey expose the initial chain only', () => {
    const p = pair();
    const initial = [p.aSend('i0'), p.aSend('i1')];
    p.bRecv(initial[0]!);
    p.bRecv(initial[1]!);
    p.aRecv(p.bSend('reply'));
    const afterReply = p.aSend('after reply');
    p.bRecv(afterReply);
    const thiefWithPrekey = { identity: p.bob.identity, prekeys: p.bob.prekeys };
    expect(text(ratchetDecrypt(null, initial[1]!, AD, thiefWithPrekey).plaintext)).toBe('i1'); // exposed
    // messages after Bob's first reply depend on his fresh ratchet key: not exposed
    expectBadEnvelope(() => ratchetDecrypt(null, afterReply, AD, thiefWithPrekey));
    const s = ratchetDecrypt(null, initial[0]!, AD, thiefWithPrekey).state;
    expectBadEnvelope(() => ratchetDecrypt(s, afterReply, AD, thiefWithPrekey));
  });
});

describe('break-in recovery (post-compromise security)', () => {
  it('a stolen state follows the conversation only until Bob makes a fresh DH ratchet key', () => {
    const p = pair();
    expect(p.bRecv(p.aSend('m0'))).toBe('m0');
    expect(p.aRecv(p.bSend('r0'))).toBe('r0');
    expect(p.bRecv(p.aSend('m1'))).toBe('m1');
    const snapshot = deserializeState(serializeState(p.b)); // Eve copies Bob's whole state
    const eve = thief(snapshot, p.bob);

    const m2 = p.aSend('m2'); // same sending chain as m1: Eve can read it (the compromise is real)
    expect(eve(m2)).toBe('m2');
    expect(p.bRecv(m2)).toBe('m2');
    expect(p.aRecv(p.bSend('r1'))).toBe('r1'); // r1 uses the ratchet key Eve stole, so …
    const m3 = p.aSend('m3'); // … Alice's next chain is still computable by Eve
    expect(eve(m3)).toBe('m3');
    expect(p.bRecv(m3)).toBe('m3'); // Bob's DH ratchet step: a fresh key pair Eve never saw
    expect(p.aRecv(p.bSend('r2'))).toBe('r2');
    const after = ['m4', 'm5'].map((m) => p.aSend(m));
    for (const m of after) {
      expectBadEnvelope(() => eve(m)); // the evolved copy is locked out …
      expectBadEnvelope(() => ratchetDecrypt(snapshot, m, AD, p.bob)); // … and so is the raw snapshot
    }
    expect(p.bRecv(after[0]!)).toBe('m4');
    expect(p.bRecv(after[1]!)).toBe('m5');
  });
});

describe('functional state handling', () => {
  it('never modifies the state it is given, on success or failure', () => {
    const p = pair();
    p.bRecv(p.aSend('hello'));
    const before = p.b;
    const bytes = serializeState(before);
    const m = p.aSend('x');
    const t = m.slice();
    t[t.length - 1]! ^= 1;
    expectBadEnvelope(() => ratchetDecrypt(before, t, AD, p.bob));
    expect(serializeState(before)).toEqual(bytes);
    const ok = ratchetDecrypt(before, m, AD, p.bob);
    expect(serializeState(before)).toEqual(bytes);
    ratchetEncrypt(before, utf8('y'), AD);
    expect(serializeState(before)).toEqual(bytes);
    expect(serializeState(ok.state)).not.toEqual(bytes);
    // the same message decrypts again from the old state (the caller decides which state to keep)
    expect(text(ratchetDecrypt(before, m, AD, p.bob).plaintext)).toBe('x');
  });
});
