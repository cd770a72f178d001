import { describe, expect, it } from 'vitest';
import type { CallStatsT, CallT } from '../../src-preload/contract';
import { UsageError } from './args';
import { defaultCallId, parseCallId } from './commands/calls';
import { callDuration, callStateText, endReasonText, formatBitrate, formatCall, formatCallAction, formatMos, formatStats, formatStatsLine } from './format-calls';

const ID = '0123456789abcdef'.repeat(2);
const BOB = '0xB0b0000000000000000000000000000000000001';
const T0 = 1_700_000_000_000;
const call = (over: Partial<CallT> = {}): CallT => ({
  id: ID,
  peer: BOB,
  peerName: 'Bob',
  direction: 'outgoing',
  state: 'active',
  video: false,
  startedAt: T0,
  answeredAt: T0 + 5_000,
  endedAt: null,
  endReason: null,
  muted: false,
  camera: false,
  remoteMuted: true,
  remoteCamera: false,
  link: 'punched',
  ...over,
});
const stats = (over: Partial<CallStatsT> = {}): CallStatsT => ({
  callId: ID,
  state: 'active',
  durationMs: 201_900,
  link: 'direct',
  rttMs: 41.6,
  lossPercent: 0.5,
  jitterMs: 4.06,
  recoveredFrames: 2,
  sendBitrate: 48_400,
  receiveBitrate: 1_234_000,
  target: { audioBitrate: 32_000, videoBitrate: 800_000, width: 640, height: 480, fps: 29.97 },
  packetsSent: 1000,
  packetsReceived: 597,
  packetsLost: 3,
  mos: 4.12,
  ...over,
});

describe('calls: argument parsing', () => {
  it('takes a call id in any case, refuses anything else as a usage error naming the command', () => {
    expect(parseCallId(undefined, 'calls answer')).toBeUndefined();
    expect(parseCallId(` ${ID.toUpperCase()} `, 'calls answer')).toBe(ID);
    for (const bad of ['', 'xyz', ID.slice(1), `${ID}0`, `0x${ID.slice(2)}`]) {
      let err: unknown = null;
      try {
        parseCallId(bad, 'calls hangup');
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(UsageError);
      expect((err as UsageError).command).toBe('calls hangup');
      expect((err as UsageError).message).toMatch(/is not a call id \(32 hex digits/);
    }
  });

  it('without an id: answer/decline take the ringing incoming call, hangup the current one, else NO_CALL', () => {
    const ringing = call({ direction: 'incoming', state: 'incoming', answeredAt: null });
    expect(defaultCallId(ringing, 'answer')).toBe(ID);
    expect(defaultCallId(ringing, 'decline')).toBe(ID);
    expect(defaultCallId(ringing, 'hangup')).toBe(ID);
    expect(defaultCallId(call({ state: 'outgoing' }), 'hangup')).toBe(ID);
    const noCall = (f: () => unknown): string => {
      try {
        f();
        return 'ok';
      } catch (e) {
        return `${(e as { code: string }).code}: ${(e as Error).message}`;
      }
    };
    expect(noCall(() => defaultCallId(null, 'answer'))).toBe('NO_CALL: no incoming call is ringing');
    expect(noCall(() => defaultCallId(call(), 'answer'))).toBe('NO_CALL: no incoming call is ringing'); // active, not ringing
    expect(noCall(() => defaultCallId(call({ state: 'outgoing' }), 'decline'))).toBe('NO_CALL: no incoming call is ringing');
    expect(noCall(() => defaultCallId(null, 'hangup'))).toBe('NO_CALL: no call in progress');
    expect(noCall(() => defaultCallId(call({ state: 'ended' }), 'hangup'))).toBe('NO_CALL: no call in progress');
  });
});

describe('calls: formatting', () => {
  it('durations, bitrates and MOS', () => {
    expect([0, 59_999, 60_000, 201_900, 3_725_000].map(callDuration)).toEqual(['0:00', '0:59', '1:00', '3:21', '1:02:05']);
    expect([0, 999, 48_400, 1_234_000].map(formatBitrate)).toEqual(['0 bit/s', '999 bit/s', '48 kbit/s', '1.2 Mbit/s']);
    expect([4.4, 4.12, 3.7, 3.2, 2.0].map(formatMos)).toEqual(['4.4 (excellent)', '4.1 (good)', '3.7 (fair)', '3.2 (poor)', '2.0 (bad)']);
    expect(formatMos(null)).toBe('– (no media yet)');
  });

  it('the call block: who, type, state with its running time, link and who is muted', () => {
    expect(formatCall(call(), T0 + 5_000 + 201_000)).toBe(
      [
        `Call:   ${ID}`,
        `With:   Bob (${BOB})`,
        'Type:   outgoing voice call',
        'State:  active 3:21',
        'Link:   punched',
        'You:    microphone on',
        'Bob:    muted',
      ].join('\n'),
    );
    const video = formatCall(call({ video: true, camera: true, remoteCamera: false, remoteMuted: false }), T0);
    expect(video).toContain('You:    microphone on, camera on');
    expect(video).toContain('Bob:    microphone on, camera off');
    // ringing: no link or media lines yet
    expect(formatCall(call({ state: 'incoming', direction: 'incoming', answeredAt: null }), T0).split('\n')).toEqual([
      `Call:   ${ID}`,
      `With:   Bob (${BOB})`,
      'Type:   incoming voice call',
      'State:  ringing (incoming)',
    ]);
  });

  it('states and end reasons from our side; a peer name cannot drive the terminal', () => {
    expect(callStateText(call({ state: 'outgoing', answeredAt: null }), T0)).toBe('ringing Bob');
    expect(callStateText(call({ state: 'reconnecting' }), T0 + 65_000)).toBe('reconnecting (the link was lost; 1:00 so far)');
    expect(callStateText(call({ state: 'ended', endedAt: T0 + 65_000, endReason: 'remote-hangup' }), T0 + 999_999)).toBe('ended: Bob hung up after 1:00');
    expect(callStateText(call({ state: 'ended', answeredAt: null, endedAt: T0, endReason: 'no-answer' }), T0)).toBe('ended: no answer');
    const inc = { peer: BOB, peerName: 'Bob', direction: 'incoming' as const };
    const out = { ...inc, direction: 'outgoing' as const };
    expect(endReasonText('declined', inc)).toBe('you declined');
    expect(endReasonText('declined', out)).toBe('Bob declined');
    expect(endReasonText('busy', out)).toBe('Bob is in another call');
    expect(endReasonText('cancelled', inc)).toBe('missed (Bob gave up)');
    expect(endReasonText('cancelled', out)).toBe('you cancelled');
    expect(endReasonText('unreachable', out)).toBe('Bob could not be reached');
    expect(endReasonText('failed', out)).toBe('the connection was lost');
    expect(endReasonText('hangup', out)).toBe('you hung up');
    const evil = formatCallAction('start', call({ state: 'outgoing', peerName: 'Eve\u001b[2J\nX' }), T0);
    expect(evil.includes('\u001b') || evil.includes('Eve\n')).toBe(false);
    expect(evil.split('\n')[0]).toBe('Calling Eve[2J X (voice call). Hang up with: bitunicom calls hangup');
    expect(formatCallAction('answer', call({ video: true }), T0).split('\n')[0]).toBe("Answered Bob's video call.");
    expect(formatCallAction('hangup', call({ peerName: '' }), T0).split('\n')[0]).toBe(`Hung up the voice call with ${BOB}.`);
  });

  it('the stats block and the --watch line', () => {
    expect(formatStats(stats())).toBe(
      [
        `Call:     ${ID}, active, 3:21`,
        'Link:     direct',
        'RTT:      42 ms',
        'Loss:     0.5 % (3 of 600 packets lost; 2 frames recovered)',
        'Jitter:   4.1 ms',
        'Bitrate:  send 48 kbit/s, receive 1.2 Mbit/s',
        'Target:   audio 32 kbit/s, video 800 kbit/s 640×480 @ 30 fps',
        'Packets:  1000 sent, 597 received',
        'MOS:      4.1 (good)',
      ].join('\n'),
    );
    const early = formatStats(stats({ rttMs: null, mos: null, target: { audioBitrate: 32_000, videoBitrate: 0, width: 0, height: 0, fps: 0 } }));
    expect(early).toContain('RTT:      –');
    expect(early).toContain('Target:   audio 32 kbit/s\n');
    expect(early).toContain('MOS:      – (no media yet)');
    expect(formatStatsLine(stats())).toBe('3:21  active  rtt 42 ms  loss 0.5 %  jitter 4.1 ms  send 48 kbit/s  recv 1.2 Mbit/s  MOS 4.1  direct');
    expect(formatStatsLine(stats({ rttMs: null, mos: null, state: 'connecting' }))).toMatch(/^3:21 {2}connecting {2}rtt – .* MOS – {2}direct$/);
  });
});
