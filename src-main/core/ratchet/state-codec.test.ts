import { describe, expect, it } from 'vitest';
import { isBuError, utf8 } from '../base';
import { initiateSession, ratchetDecrypt, ratchetEncrypt } from './ratchet';
import type { RatchetState } from './session';
import { deserializeState, serializeState } from './state-codec';
import { AD, makeParty, NOW, text } from './test-helpers';

function expectBadInput(fn: () => unknown): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(isBuError(err, 'BAD_INPUT'), `expected BAD_INPUT, got ${String(err)}`).toBe(true);
}

/** Every operation goes through storage: the states are serialised and reloaded each time. */
function roundTrip(s: RatchetState): RatchetState {
  const bytes = serializeState(s);
  const back = deserializeState(bytes);
  expect(serializeState(back)).toEqual(bytes);
  return back;
}

describe('state serialisation', () => {
  it('a conversation continues correctly when each state is stored and reloaded after every step', () => {
    const alice = makeParty();
    const bob = makeParty();
    let a = roundTrip(initiateSession(alice.identity, bob.bundle, { now: NOW }));
    let b: RatchetState | null = null;
    const held: Uint8Array[] = [];
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 3; i++) {
        const r = ratchetEncrypt(a, utf8(`a${round}.${i}`), AD);
        a = roundTrip(r.state);
        if (i === 1) {
          held.push(r.message); // delivered later: its skipped key must survive storage
          continue;
        }
        const d = ratchetDecrypt(b, r.message, AD, bob);
        b = roundTrip(d.state);
        expect(text(d.plaintext)).toBe(`a${round}.${i}`);
      }
      const r = ratchetEncrypt(b!, utf8(`b${round}`), AD);
      b = roundTrip(r.state);
      const d = ratchetDecrypt(a, r.message, AD, alice);
      a = roundTrip(d.state);
      expect(text(d.plaintext)).toBe(`b${round}`);
    }
    held.forEach((m, round) => {
      const d = ratchetDecrypt(b, m, AD, bob);
      b = roundTrip(d.state);
      expect(text(d.plaintext)).toBe(`a${round}.1`);
    });
    expect(b!.current.skipped).toHaveLength(0);
  });

  it('keeps the pending initial header and archived sessions', () => {
    const alice = makeParty();
    const bob = makeParty();
    const a1 = initiateSession(alice.identity, bob.bundle, { now: NOW });
    const a2 = roundTrip(initiateSession(alice.identity, bob.bundle, { now: NOW, previous: a1 }));
    expect(a2.current.pendingInitial?.prekeyId).toBe(bob.bundle.signedPrekeyId);
    expect(deserializeState(serializeState(a2))).toEqual(a2); // every field, deeply
    expect(a2.archived).toHaveLength(1);
    expect(a2.archived[0]!.sessionId).toEqual(a1.current.sessionId);
    const m = ratchetEncrypt(a2, utf8('x'), AD).message;
    expect(text(ratchetDecrypt(null, m, AD, bob).plaintext)).toBe('x');
  });

  it('rejects truncated, extended, foreign or corrupted encodings with BAD_INPUT', () => {
    const alice = makeParty();
    const bob = makeParty();
    const bytes = serializeState(initiateSession(alice.identity, bob.bundle, { now: NOW }));
    for (let n = 0; n < bytes.length; n += 7) expectBadInput(() => deserializeState(bytes.subarray(0, n)));
    expectBadInput(() => deserializeState(new Uint8Array([...bytes, 0])));
    const version = bytes.slice();
    version[4] = 2;
    expectBadInput(() => deserializeState(version));
    const magic = bytes.slice();
    magic[0] = 0;
    expectBadInput(() => deserializeState(magic));
    const count = bytes.slice();
    count[5] = 0;
    expectBadInput(() => deserializeState(count));
  });
});
