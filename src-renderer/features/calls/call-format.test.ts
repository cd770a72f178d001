/**
 * @module renderer/features/calls/call-format.test
 * Call words and numbers: running duration, state line, end notices, MOS words, record
 * summaries and details, stats figures, who can be called, and the call shortcuts.
 */
import { describe, expect, it } from 'vitest';
import type { CallRecordT, CallT } from '../../../src-preload/contract';
import {
  callBlocker,
  endNotice,
  formatBitrate,
  formatCallDuration,
  formatMos,
  formatPercent,
  formatTarget,
  isMissed,
  isMissedCall,
  isRunning,
  mosWord,
  recordDetail,
  recordSummary,
  recordTitle,
  stateLabel,
  wantsMedia,
} from './call-format';
import { callKeyOf } from './call-keys';

export function makeCall(over: Partial<CallT> = {}): CallT {
  return {
    id: 'a'.repeat(32),
    peer: '0x1111111111111111111111111111111111111111',
    peerName: 'Bob',
    direction: 'outgoing',
    state: 'outgoing',
    video: false,
    startedAt: 1_000_000,
    answeredAt: null,
    endedAt: null,
    endReason: null,
    muted: false,
    camera: false,
    remoteMuted: false,
    remoteCamera: false,
    link: 'direct',
    ...over,
  };
}

const rec = (over: Partial<CallRecordT> = {}): CallRecordT => ({ id: 'b'.repeat(32), direction: 'outgoing', video: false, outcome: 'answered', durationMs: 0, ...over });

describe('formatCallDuration', () => {
  it('shows m:ss below an hour and h:mm:ss above', () => {
    expect(formatCallDuration(0)).toBe('0:00');
    expect(formatCallDuration(5_999)).toBe('0:05');
    expect(formatCallDuration(201_000)).toBe('3:21');
    expect(formatCallDuration(59 * 60_000 + 59_000)).toBe('59:59');
    expect(formatCallDuration(3_723_000)).toBe('1:02:03');
    expect(formatCallDuration(-5000)).toBe('0:00');
  });
});

describe('state line', () => {
  it('names each state and runs the clock while active', () => {
    expect(stateLabel(makeCall(), 0)).toBe('Ringing…');
    expect(stateLabel(makeCall({ state: 'incoming', video: true }), 0)).toBe('Incoming video call');
    expect(stateLabel(makeCall({ state: 'connecting' }), 0)).toBe('Connecting…');
    expect(stateLabel(makeCall({ state: 'reconnecting' }), 0)).toBe('Reconnecting…');
    expect(stateLabel(makeCall({ state: 'active', answeredAt: 10_000 }), 10_000 + 65_400)).toBe('1:05');
    expect(stateLabel(makeCall({ state: 'ended', endReason: 'busy' }), 0)).toBe('Busy');
    expect(stateLabel(makeCall({ state: 'ended', endReason: 'remote-hangup' }), 0)).toBe('Call ended');
    expect(stateLabel(makeCall({ state: 'ended', endReason: null }), 0)).toBe('Call ended');
  });

  it('knows when a call runs and when media should flow', () => {
    expect(isRunning(null)).toBe(false);
    expect(isRunning(makeCall({ state: 'incoming' }))).toBe(true);
    expect(isRunning(makeCall({ state: 'ended' }))).toBe(false);
    expect(wantsMedia(makeCall({ state: 'outgoing' }))).toBe(false);
    expect(wantsMedia(makeCall({ state: 'connecting' }))).toBe(true);
    expect(wantsMedia(makeCall({ state: 'reconnecting' }))).toBe(true);
    expect(wantsMedia(makeCall({ state: 'ended' }))).toBe(false);
  });
});

describe('end notices', () => {
  const ended = (over: Partial<CallT>) => makeCall({ state: 'ended', ...over });
  it('tells a missed incoming call', () => {
    expect(endNotice(ended({ direction: 'incoming', endReason: 'cancelled' }))).toEqual({ kind: 'info', text: 'Missed voice call from Bob' });
    expect(endNotice(ended({ direction: 'incoming', video: true, endReason: 'no-answer' }))?.text).toBe('Missed video call from Bob');
    expect(endNotice(ended({ direction: 'incoming', endReason: 'unreachable' }))?.text).toBe('Missed voice call from Bob');
    expect(endNotice(ended({ direction: 'incoming', endReason: 'busy' }))?.text).toBe('Missed voice call from Bob (you were in a call)');
  });

  it('tells why an outgoing call did not connect', () => {
    expect(endNotice(ended({ endReason: 'no-answer' }))?.text).toBe('Bob did not answer');
    expect(endNotice(ended({ endReason: 'declined' }))?.text).toBe('Bob declined the call');
    expect(endNotice(ended({ endReason: 'busy' }))?.text).toBe('Bob is in another call');
    expect(endNotice(ended({ endReason: 'unreachable' }))).toEqual({ kind: 'error', text: 'Could not reach Bob' });
    expect(endNotice(ended({ endReason: 'failed' }))).toEqual({ kind: 'error', text: 'The call to Bob could not connect' });
  });

  it('tells a connected call that dropped', () => {
    expect(endNotice(ended({ answeredAt: 5, endReason: 'failed' }))).toEqual({ kind: 'error', text: 'The call with Bob dropped' });
    expect(endNotice(ended({ direction: 'incoming', answeredAt: 5, endReason: 'failed' }))?.kind).toBe('error');
  });

  it('says nothing for calls ended on purpose or still running', () => {
    expect(endNotice(ended({ endReason: 'cancelled' }))).toBeNull();
    expect(endNotice(ended({ answeredAt: 5, endReason: 'hangup' }))).toBeNull();
    expect(endNotice(ended({ answeredAt: 5, endReason: 'remote-hangup' }))).toBeNull();
    expect(endNotice(ended({ direction: 'incoming', endReason: 'declined' }))).toBeNull();
    expect(endNotice(ended({ direction: 'incoming', endReason: 'hangup' }))).toBeNull();
    expect(endNotice(makeCall({ state: 'active', endReason: 'failed' }))).toBeNull();
  });

  it('knows a missed call', () => {
    expect(isMissedCall(ended({ direction: 'incoming', endReason: 'cancelled' }))).toBe(true);
    expect(isMissedCall(ended({ direction: 'incoming', endReason: 'busy' }))).toBe(true);
    expect(isMissedCall(ended({ direction: 'incoming', endReason: 'declined' }))).toBe(false);
    expect(isMissedCall(ended({ direction: 'incoming', answeredAt: 5, endReason: 'remote-hangup' }))).toBe(false);
    expect(isMissedCall(ended({ endReason: 'no-answer' }))).toBe(false);
    expect(isMissedCall(makeCall({ direction: 'incoming', state: 'incoming' }))).toBe(false);
  });
});

describe('MOS', () => {
  it('uses the thresholds 4.0 / 3.6 / 3.1', () => {
    expect(mosWord(4.5)).toBe('Excellent');
    expect(mosWord(4.0)).toBe('Excellent');
    expect(mosWord(3.99)).toBe('Good');
    expect(mosWord(3.6)).toBe('Good');
    expect(mosWord(3.59)).toBe('Fair');
    expect(mosWord(3.1)).toBe('Fair');
    expect(mosWord(3.09)).toBe('Poor');
    expect(mosWord(1)).toBe('Poor');
    expect(formatMos(4.23)).toBe('4.2 · Excellent');
    expect(formatMos(null)).toBe('–');
  });
});

describe('call records', () => {
  it('marks only unanswered incoming calls as missed', () => {
    expect(isMissed(rec({ direction: 'incoming', outcome: 'missed' }))).toBe(true);
    expect(isMissed(rec({ direction: 'incoming', outcome: 'no-answer' }))).toBe(true);
    expect(isMissed(rec({ direction: 'outgoing', outcome: 'no-answer' }))).toBe(false);
    expect(isMissed(rec({ direction: 'incoming', outcome: 'declined' }))).toBe(false);
    expect(isMissed(rec({ direction: 'incoming', outcome: 'busy' }))).toBe(true);
    expect(isMissed(rec({ direction: 'outgoing', outcome: 'busy' }))).toBe(false);
    expect(isMissed(rec({ direction: 'incoming', outcome: 'answered' }))).toBe(false);
  });

  it('summarises: duration when talked, the time of day otherwise', () => {
    expect(recordSummary(rec({ video: true, durationMs: 201_000 }), '14:02')).toBe('Outgoing video call · 3:21');
    expect(recordSummary(rec({ direction: 'incoming', durationMs: 5000 }), '14:02')).toBe('Incoming voice call · 0:05');
    expect(recordSummary(rec({ direction: 'incoming', outcome: 'missed' }), '14:02')).toBe('Missed voice call · 14:02');
    expect(recordSummary(rec({ outcome: 'failed', durationMs: 61_000 }), '9:15')).toBe('Failed voice call · 1:01');
    expect(recordSummary(rec({ outcome: 'no-answer', video: true }), '9:15')).toBe('Unanswered video call · 9:15');
  });

  it('titles each outcome from our side', () => {
    expect(recordTitle(rec({ direction: 'incoming', outcome: 'declined' }))).toBe('Declined voice call');
    expect(recordTitle(rec({ outcome: 'declined' }))).toBe('Unanswered voice call (declined)');
    expect(recordTitle(rec({ outcome: 'busy' }))).toBe('Unanswered voice call (busy)');
    expect(recordTitle(rec({ direction: 'incoming', outcome: 'busy' }))).toBe('Missed voice call (busy)');
    expect(recordTitle(rec({ outcome: 'cancelled' }))).toBe('Cancelled voice call');
    expect(recordTitle(rec({ outcome: 'unreachable', video: true }))).toBe('Unanswered video call (unreachable)');
  });

  it('details a row of the Calls screen', () => {
    expect(recordDetail(rec({ video: true, durationMs: 201_000 }))).toBe('Video call · 3:21');
    expect(recordDetail(rec({ direction: 'incoming', outcome: 'missed' }))).toBe('Voice call · Missed');
    expect(recordDetail(rec({ outcome: 'busy' }))).toBe('Voice call · Busy');
    expect(recordDetail(rec({ outcome: 'failed', durationMs: 42_000 }))).toBe('Voice call · Dropped after 0:42');
    expect(recordDetail(rec({ outcome: 'failed' }))).toBe('Voice call · Failed');
  });
});

describe('stats figures', () => {
  it('formats bitrates, loss and the video target', () => {
    expect(formatBitrate(0)).toBe('0 kbit/s');
    expect(formatBitrate(32_400)).toBe('32 kbit/s');
    expect(formatBitrate(1_250_000)).toBe('1.3 Mbit/s');
    expect(formatPercent(2.345)).toBe('2.3 %');
    expect(formatPercent(12.6)).toBe('13 %');
    expect(formatTarget({ audioBitrate: 32000, videoBitrate: 500_000, width: 640, height: 360, fps: 29.97 })).toBe('640×360 · 30 fps');
    expect(formatTarget({ audioBitrate: 32000, videoBitrate: 0, width: 640, height: 360, fps: 30 })).toBe('Audio only');
  });
});

describe('who can be called', () => {
  it('only friends, and only while no call runs', () => {
    expect(callBlocker({ state: 'friend', name: 'Bob' }, false)).toBeNull();
    expect(callBlocker({ state: 'friend', name: 'Bob' }, true)).toBe('You are already in a call');
    expect(callBlocker({ state: 'pending_out', name: 'Bob' }, false)).toBe('You can call Bob once you are friends');
    expect(callBlocker({ state: 'blocked', name: 'Bob' }, true)).toMatch(/once you are friends/);
  });
});

describe('call shortcuts', () => {
  const key = (k: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey', boolean>> = {}) => ({
    key: k,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    shiftKey: false,
    target: null,
    ...mods,
  });
  it('maps M, V, I in the full view and Ctrl/⌘+Shift+H anywhere', () => {
    expect(callKeyOf(key('m'), true)).toBe('mute');
    expect(callKeyOf(key('V'), true)).toBe('camera');
    expect(callKeyOf(key('i'), true)).toBe('stats');
    expect(callKeyOf(key('H', { ctrlKey: true, shiftKey: true }), false)).toBe('hangup');
    expect(callKeyOf(key('h', { metaKey: true, shiftKey: true }), true)).toBe('hangup');
  });
  it('ignores letters when minimised or with modifiers', () => {
    expect(callKeyOf(key('m'), false)).toBeNull();
    expect(callKeyOf(key('m', { ctrlKey: true }), true)).toBeNull();
    expect(callKeyOf(key('M', { shiftKey: true }), true)).toBeNull();
    expect(callKeyOf(key('h', { ctrlKey: true }), true)).toBeNull();
    expect(callKeyOf(key('x'), true)).toBeNull();
  });
});
