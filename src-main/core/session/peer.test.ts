import { describe, expect, it } from 'vitest';
import { Peer, type Session } from './peer';
import { MAX_OLD_SESSIONS } from './constants';

const A = '0x1111111111111111111111111111111111111111';
const B = '0x2222222222222222222222222222222222222222';

function view(self: string, other: string) {
  return new Peer(other, other, new Uint8Array(33), { host: '127.0.0.1', port: 1 }, self, 0, 1000);
}
function session(peer: Peer, opts: { id: number; initiator: boolean; epoch: number; at?: number }): Session {
  return { localSid: opts.id, cipher: {} as never, initiator: opts.initiator, epoch: opts.epoch, createdAt: opts.at ?? 0, confirmed: true, supersededAt: null, finish: null, nextMsgId: 0, peer };
}

describe('Peer session ordering', () => {
  it('prefers the higher epoch regardless of who initiated (rekeys)', () => {
    const p = view(A, B);
    const s1 = session(p, { id: 1, initiator: true, epoch: 1 });
    const s2 = session(p, { id: 2, initiator: false, epoch: 2, at: 5 });
    p.install(s1, 0);
    p.install(s2, 5);
    expect(p.current).toBe(s2);
    expect(s1.supersededAt).toBe(5);
    expect(p.maxEpoch).toBe(2);
  });

  it('breaks epoch ties the same way on both sides: the lower initiator address wins', () => {
    // crossed handshakes: session X initiated by A, session Y initiated by B, both epoch 3
    const atA = view(A, B);
    const atB = view(B, A);
    const xA = session(atA, { id: 10, initiator: true, epoch: 3 });
    const yA = session(atA, { id: 11, initiator: false, epoch: 3 });
    const xB = session(atB, { id: 20, initiator: false, epoch: 3 });
    const yB = session(atB, { id: 21, initiator: true, epoch: 3 });
    // A learns of Y first, B learns of X first: they must still converge on X
    atA.install(yA, 0);
    atA.install(xA, 1);
    atB.install(xB, 0);
    atB.install(yB, 1);
    expect(atA.current).toBe(xA);
    expect(atB.current).toBe(xB);
  });

  it('keeps at most MAX_OLD_SESSIONS superseded sessions, evicting the oldest', () => {
    const p = view(A, B);
    const all = Array.from({ length: MAX_OLD_SESSIONS + 3 }, (_, i) => session(p, { id: i + 1, initiator: true, epoch: i + 1, at: i }));
    const evicted: Session[] = [];
    for (const [i, s] of all.entries()) evicted.push(...p.install(s, i));
    expect(p.current).toBe(all.at(-1));
    expect(p.sessions).toHaveLength(MAX_OLD_SESSIONS + 1);
    expect(evicted.map((s) => s.localSid)).toEqual([1, 2]);
  });

  it('follows the source of authenticated packets with a new PeerInfo object', () => {
    const p = view(A, B);
    const before = p.info;
    p.setEndpoint({ host: '127.0.0.1', port: 1 });
    expect(p.info).toBe(before);
    p.setEndpoint({ host: '127.0.0.2', port: 9 });
    expect(p.info).not.toBe(before);
    expect(p.info.endpoint).toEqual({ host: '127.0.0.2', port: 9 });
    expect(before.endpoint).toEqual({ host: '127.0.0.1', port: 1 });
  });
});
