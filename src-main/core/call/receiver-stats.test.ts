/** @module call/receiver-stats.test */
import { describe, expect, it } from 'vitest';
import { RateMeter, ReportClock, StreamReceiver, stampMs } from './receiver-stats';

describe('stream receiver statistics', () => {
  it('counts loss from sequence gaps, with reordering counted as received', () => {
    const s = new StreamReceiver();
    const order = [0, 1, 3, 2, 5, 6, 9]; // 4, 7, 8 lost; 2 late
    order.forEach((seq, i) => s.onPacket(seq, seq * 20, 1000 + i * 20, 100));
    expect(s.packetsReceived).toBe(7);
    expect(s.expected).toBe(10);
    expect(s.packetsLost).toBe(3);
    const r = s.report(1200);
    expect(r.fractionLost).toBe(Math.floor((3 * 256) / 10));
    expect(r.cumulativeLost).toBe(3);
    expect(r.highestSeq).toBe(9);
    expect(s.recentLoss).toBeCloseTo(0.3);
    // next interval without loss
    for (let seq = 10; seq < 20; seq++) s.onPacket(seq, seq * 20, 1200 + seq, 100);
    expect(s.report(1300).fractionLost).toBe(0);
    expect(s.recentLoss).toBeCloseTo(3 / 20);
  });

  it('computes RFC 3550 jitter: zero for even arrival, about the mean deviation otherwise', () => {
    const even = new StreamReceiver();
    for (let i = 0; i < 100; i++) even.onPacket(i, i * 20, 500 + i * 20, 80);
    expect(even.jitterMs).toBeCloseTo(0, 6);
    const bumpy = new StreamReceiver();
    for (let i = 0; i < 400; i++) bumpy.onPacket(i, i * 20, 500 + i * 20 + (i % 2 ? 5 : 0), 80);
    // |D| is always 5 ms, so J converges to 5
    expect(bumpy.jitterMs).toBeCloseTo(5, 3);
    expect(bumpy.report(9000).jitterUs).toBe(5000);
  });

  it('measures the receive rate over the last second', () => {
    const m = new RateMeter();
    for (let t = 0; t < 2000; t += 20) m.add(t, 100); // 50 packets/s × 800 bits
    expect(m.bps(1999)).toBe(40_000);
    expect(m.bps(5000)).toBe(0);
  });
});

describe('report clock', () => {
  it('gives the RTT from the echoed stamp and the delay since', () => {
    const a = new ReportClock();
    const b = new ReportClock();
    const oneWay = 40;
    let t = 10_000;
    // A reports at t; B receives it at t+40, answers 100 ms later; A receives at t+180
    const aStamp = stampMs(t);
    expect(a.outgoing(t)).toEqual({ echoMs: 0, delaySinceMs: 0 });
    expect(b.incoming(t + oneWay, aStamp, 0, 0)).toBeNull();
    t += oneWay + 100;
    const fromB = b.outgoing(t);
    expect(fromB).toEqual({ echoMs: aStamp, delaySinceMs: 100 });
    expect(a.incoming(t + oneWay, stampMs(t), fromB.echoMs, fromB.delaySinceMs)).toBe(2 * oneWay);
    expect(a.rttMs).toBe(80);
  });
});
