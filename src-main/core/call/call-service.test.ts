/**
 * Call signalling between two (or three) CallServices wired through an in-memory network
 * with a fake clock: ring, answer, media, hang up, decline, busy, cancel, ring timeout,
 * glare, strangers, lossy signalling, unreachable friends and a lost link.
 */
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../base';
import { decodeMediaFrame, encodeMediaFrame, type CallRecordT, type CallT } from '../../../src-preload/contract';
import { CallService } from './call-service';
import { encodeSignal } from './signal';

const ADDR = {
  a: '0x' + '1'.repeat(40),
  b: '0x' + '2'.repeat(40),
  c: '0x' + '3'.repeat(40),
  x: '0x' + '9'.repeat(40),
};
type Name = keyof typeof ADDR;

function lab(opts: { drop?: (from: Name, to: Name, n: number) => boolean; friends?: Partial<Record<Name, Name[]>> } = {}) {
  let t = 1_000_000;
  const queue: Array<{ from: Name; to: Name; data: Uint8Array }> = [];
  const linked = new Set<string>(['a-b', 'b-a', 'a-c', 'c-a', 'b-c', 'c-b', 'x-b']);
  const records = { a: [], b: [], c: [], x: [] } as Record<Name, Array<{ peer: string; record: CallRecordT }>>;
  const changes = { a: [], b: [], c: [], x: [] } as Record<Name, CallT[]>;
  const media = { a: [], b: [], c: [], x: [] } as Record<Name, Uint8Array[]>;
  const nameOf = (addr: string) => (Object.keys(ADDR) as Name[]).find((k) => ADDR[k].toLowerCase() === addr.toLowerCase())!;
  let sent = 0;
  const friends = opts.friends ?? { a: ['b', 'c'], b: ['a', 'c'], c: ['a', 'b'], x: ['b'] };
  const svc = {} as Record<Name, CallService>;
  for (const me of Object.keys(ADDR) as Name[]) {
    const s = new CallService({
      self: ADDR[me],
      send: (address, data) => {
        const to = nameOf(address);
        if (!linked.has(`${me}-${to}`)) return false;
        if (opts.drop?.(me, to, sent++)) return true;
        queue.push({ from: me, to, data: data.slice() });
        return true;
      },
      isConnected: (address) => linked.has(`${me}-${nameOf(address)}`),
      friend: (address) => ((friends[me] ?? []).includes(nameOf(address)) ? { name: nameOf(address).toUpperCase() } : null),
      link: (address) => (linked.has(`${me}-${nameOf(address)}`) ? 'direct' : 'none'),
      connect: () => {},
      record: (peer, record) => void records[me].push({ peer, record }),
      logger: silentLogger,
      now: () => t,
      ringTimeoutMs: 45_000,
    });
    s.on('changed', (c) => void changes[me].push(c));
    s.on('media', (f) => void media[me].push(f));
    svc[me] = s;
  }
  const flush = () => {
    for (let i = 0; i < 10_000 && queue.length; i++) {
      const p = queue.shift()!;
      svc[p.to].onPayload(ADDR[p.from], p.data);
    }
  };
  const advance = (ms: number, step = 100) => {
    for (let d = 0; d < ms; d += step) {
      t += step;
      for (const s of Object.values(svc)) s.tick();
      flush();
    }
  };
  const cut = (x: Name, y: Name) => {
    linked.delete(`${x}-${y}`);
    linked.delete(`${y}-${x}`);
  };
  const join = (x: Name, y: Name) => {
    linked.add(`${x}-${y}`);
    linked.add(`${y}-${x}`);
  };
  return { svc, flush, advance, records, changes, media, cut, join, now: () => t };
}

const audio = (callId: string, byte: number) =>
  encodeMediaFrame({ kind: 'audio', callId, seq: 0, keyframe: false, recovered: false, timestampUs: byte * 20_000, captureMs: 1, durationUs: 20_000, width: 0, height: 0, data: new Uint8Array(60).fill(byte) });

describe('CallService signalling', () => {
  it('rings, answers, carries media both ways, and hangs up with a record on each side', () => {
    const L = lab();
    const out = L.svc.a.startCall(ADDR.b, false);
    expect(out.state).toBe('outgoing');
    L.flush();
    const inc = L.svc.b.current()!;
    expect(inc).toMatchObject({ id: out.id, direction: 'incoming', state: 'incoming', peerName: 'A' });
    L.svc.b.answer(out.id, false);
    L.flush();
    expect(L.svc.a.current()!.state).toBe('connecting');
    for (let i = 1; i <= 5; i++) {
      L.svc.a.fromUi(audio(out.id, i));
      L.svc.b.fromUi(audio(out.id, 100 + i));
    }
    L.advance(300);
    expect(L.svc.a.current()!.state).toBe('active');
    expect(L.svc.b.current()!.state).toBe('active');
    const atB = L.media.b.map((f) => decodeMediaFrame(f)).filter((f) => f.kind === 'audio');
    expect(atB.map((f) => f.data[0])).toEqual([1, 2, 3, 4, 5]);
    expect(L.media.a.map((f) => decodeMediaFrame(f).data[0])).toEqual([101, 102, 103, 104, 105]);
    L.advance(3000);
    L.svc.a.hangup(out.id);
    L.flush();
    expect(L.svc.b.current()).toBeNull();
    expect(L.changes.b.at(-1)).toMatchObject({ state: 'ended', endReason: 'remote-hangup' });
    expect(L.records.a[0]!.record).toMatchObject({ id: out.id, direction: 'outgoing', outcome: 'answered' });
    expect(L.records.b[0]!.record).toMatchObject({ id: out.id, direction: 'incoming', outcome: 'answered' });
    expect(L.records.a[0]!.record.durationMs).toBeGreaterThanOrEqual(3000);
  });

  it('declined, busy and cancelled calls end on both sides with the right outcome', () => {
    const L = lab();
    const one = L.svc.a.startCall(ADDR.b, true);
    L.flush();
    L.svc.b.decline(one.id);
    L.flush();
    expect(L.changes.a.at(-1)).toMatchObject({ state: 'ended', endReason: 'declined' });
    expect(L.records.a.at(-1)!.record.outcome).toBe('declined');
    expect(L.records.b.at(-1)!.record.outcome).toBe('declined');

    const bc = L.svc.b.startCall(ADDR.c, false);
    L.flush();
    const two = L.svc.a.startCall(ADDR.b, false);
    L.flush();
    expect(L.changes.a.at(-1)).toMatchObject({ id: two.id, state: 'ended', endReason: 'busy' });
    expect(L.svc.b.current()!.id).toBe(bc.id); // B's own call is untouched
    L.svc.b.hangup(bc.id);
    L.flush();
    expect(L.records.c.at(-1)!.record.outcome).toBe('missed');

    const three = L.svc.a.startCall(ADDR.b, false);
    L.flush();
    expect(() => L.svc.a.startCall(ADDR.c, false)).toThrow(expect.objectContaining({ code: 'BUSY' }));
    L.svc.a.hangup(three.id);
    L.flush();
    expect(L.svc.b.current()).toBeNull();
    expect(L.records.b.at(-1)!.record).toMatchObject({ id: three.id, outcome: 'missed' });
    expect(L.records.a.at(-1)!.record.outcome).toBe('cancelled');
  });

  it('stops ringing after the ring timeout: no answer for the caller, missed for the callee', () => {
    const L = lab();
    const c = L.svc.a.startCall(ADDR.b, false);
    L.flush();
    L.advance(44_000, 500);
    expect(L.svc.b.current()!.state).toBe('incoming');
    L.advance(2_000, 500);
    expect(L.changes.a.at(-1)).toMatchObject({ id: c.id, state: 'ended', endReason: 'no-answer' });
    expect(L.svc.b.current()).toBeNull();
    expect(L.records.b.at(-1)!.record.outcome).toBe('missed');
  });

  it('resolves two friends ringing each other at once to one call (the lower id) on both sides', () => {
    for (let round = 0; round < 6; round++) {
      const L = lab();
      const ca = L.svc.a.startCall(ADDR.b, false);
      const cb = L.svc.b.startCall(ADDR.a, false);
      L.flush();
      L.advance(500);
      const win = ca.id < cb.id ? ca.id : cb.id;
      expect(L.svc.a.current()!.id).toBe(win);
      expect(L.svc.b.current()!.id).toBe(win);
      // answered at once on the losing side: keys agreed, reports flowing
      expect(['connecting', 'active']).toContain(L.svc.a.current()!.state);
      expect(['connecting', 'active']).toContain(L.svc.b.current()!.state);
      expect([...L.records.a, ...L.records.b]).toHaveLength(0); // the losing offer leaves no record
    }
  });

  it('only friends can ring; strangers get no answer at all', () => {
    const L = lab({ friends: { a: ['b'], b: ['a'], x: ['b'] } });
    L.svc.x.startCall(ADDR.b, false);
    L.flush();
    expect(L.svc.b.current()).toBeNull();
    expect(L.changes.b).toHaveLength(0);
    expect(() => L.svc.a.startCall(ADDR.c, false)).toThrow(expect.objectContaining({ code: 'NOT_FRIEND' }));
    // a malformed or forged signal is dropped silently
    L.svc.b.onPayload(ADDR.a, Uint8Array.of(0xb0, 1, 0x7b));
    L.svc.b.onPayload(ADDR.a, encodeSignal({ t: 'hangup', id: 'f'.repeat(32), n: 1 }));
    expect(L.changes.b).toHaveLength(0);
  });

  it('gets through when half the signalling packets are lost (repeated until acknowledged)', () => {
    const L = lab({ drop: (_f, _t, n) => n % 2 === 0 });
    const c = L.svc.a.startCall(ADDR.b, false);
    L.advance(3000);
    expect(L.svc.b.current()!.id).toBe(c.id);
    L.svc.b.answer(c.id, false);
    L.advance(3000);
    expect(L.svc.a.current()!.state).not.toBe('outgoing');
    L.svc.b.hangup(c.id);
    L.advance(3000);
    expect(L.svc.a.current()).toBeNull();
    expect(L.changes.a.at(-1)!.endReason).toBe('remote-hangup');
  });

  it('ends unreachable when the friend cannot be reached, and fails after a lost link that never returns', () => {
    const L = lab();
    L.cut('a', 'c');
    const c = L.svc.a.startCall(ADDR.c, false);
    L.advance(21_000, 500);
    expect(L.changes.a.at(-1)).toMatchObject({ id: c.id, state: 'ended', endReason: 'unreachable' });
    expect(L.records.a.at(-1)!.record.outcome).toBe('unreachable');

    const d = L.svc.a.startCall(ADDR.b, false);
    L.flush();
    L.svc.b.answer(d.id, false);
    L.flush();
    L.svc.a.fromUi(audio(d.id, 1));
    L.svc.b.fromUi(audio(d.id, 2));
    L.advance(200);
    expect(L.svc.a.current()!.state).toBe('active');
    L.cut('a', 'b');
    L.advance(200);
    expect(L.svc.a.current()!.state).toBe('reconnecting');
    L.join('a', 'b');
    for (let i = 0; i < 5; i++) {
      L.svc.a.fromUi(audio(d.id, 3 + i));
      L.svc.b.fromUi(audio(d.id, 3 + i));
      L.advance(100);
    }
    expect(L.svc.a.current()!.state).toBe('active');
    L.cut('a', 'b');
    L.advance(21_000, 500);
    expect(L.changes.a.at(-1)).toMatchObject({ state: 'ended', endReason: 'failed' });
    expect(L.records.a.at(-1)!.record.outcome).toBe('answered'); // it was answered: the record keeps its duration
  });
});
