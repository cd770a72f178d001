/** @module call/congestion.test */
import { describe, expect, it } from 'vitest';
import { allocate, DelayTrend, MAX_RATE, MIN_RATE, RateController, START_RATE } from './congestion';

const ok = { loss: 0, delay: 0 as const, receiveBps: 0, rttMs: 50 };

describe('rate controller', () => {
  it('starts at 600 kbit/s and grows 8 %/s without loss', () => {
    const c = new RateController();
    expect(c.bitrate).toBe(START_RATE);
    c.update(ok, 0);
    for (let t = 500; t <= 5000; t += 500) c.update(ok, t);
    expect(c.bitrate).toBeCloseTo(START_RATE * Math.pow(1.08, 5), -2);
  });

  it('holds at 2…10 % loss, cuts at > 10 % by half the loss, never below 32 kbit/s', () => {
    const c = new RateController();
    c.update({ ...ok, loss: 0.05 }, 0);
    c.update({ ...ok, loss: 0.05 }, 1000);
    expect(c.bitrate).toBe(START_RATE);
    c.update({ ...ok, loss: 0.2 }, 1300);
    expect(c.bitrate).toBe(Math.round(START_RATE * 0.9));
    for (let t = 1600; t < 20_000; t += 300) c.update({ ...ok, loss: 0.5 }, t);
    expect(c.bitrate).toBe(MIN_RATE);
  });

  it('delay overuse cuts to 0.85 of the received rate, once per RTT window', () => {
    const c = new RateController(1_000_000);
    c.update({ ...ok, delay: 1, receiveBps: 800_000 }, 0);
    expect(c.bitrate).toBe(680_000);
    c.update({ ...ok, delay: 1, receiveBps: 800_000 }, 100);
    expect(c.bitrate).toBe(680_000);
    c.update({ ...ok, delay: 2 }, 400);
    c.update({ ...ok, delay: 2 }, 1400);
    expect(c.bitrate).toBe(680_000); // underuse holds
  });

  it('does not probe past 1.5 × the received rate, and caps at 2.5 Mbit/s', () => {
    const c = new RateController();
    c.update({ ...ok, receiveBps: 100_000 }, 0);
    for (let t = 1000; t < 30_000; t += 1000) c.update({ ...ok, receiveBps: 100_000 }, t);
    expect(c.bitrate).toBe(START_RATE); // app-limited: neither grows nor falls
    const free = new RateController(2_400_000);
    free.update(ok, 0);
    for (let t = 1000; t < 10_000; t += 1000) free.update(ok, t);
    expect(free.bitrate).toBe(MAX_RATE);
  });
});

describe('allocation', () => {
  it('gives audio priority and picks the video step', () => {
    expect(allocate(START_RATE)).toEqual({ audioBitrate: 32_000, videoBitrate: 568_000, width: 640, height: 360, fps: 30 });
    expect(allocate(32_000)).toEqual({ audioBitrate: 16_000, videoBitrate: 0, width: 0, height: 0, fps: 0 });
    expect(allocate(100_000)).toMatchObject({ audioBitrate: 24_000, width: 320, height: 180, fps: 15 });
    expect(allocate(300_000)).toMatchObject({ audioBitrate: 32_000, width: 640, height: 360, fps: 15 });
    expect(allocate(2_500_000)).toMatchObject({ videoBitrate: 2_468_000, width: 1280, height: 720, fps: 30 });
    expect(allocate(10)).toMatchObject({ audioBitrate: 16_000 });
  });
});

describe('delay trend', () => {
  it('stays normal at a steady delay and flags overuse when a queue builds', () => {
    const steady = new DelayTrend();
    for (let i = 0; i < 200; i++) steady.onPacket(i * 20, 1000 + i * 20 + 30);
    expect(steady.state).toBe(0);
    const queued = new DelayTrend();
    // each 20 ms group arrives 4 ms later than the previous: a growing queue
    let seen = false;
    for (let i = 0; i < 200; i++) {
      queued.onPacket(i * 20, 1000 + i * 24);
      seen ||= queued.state === 1;
    }
    expect(seen).toBe(true);
    expect(queued.state).toBe(1);
    const draining = new DelayTrend();
    for (let i = 0; i < 60; i++) draining.onPacket(i * 20, 4800 + i * 10); // the queue drains: 10 ms per 20 ms group
    expect(draining.state).toBe(2);
  });
});
