/**
 * @module renderer/features/calls/call-state.test
 * Merging a call from events and replies: stale copies, a second call, the single 'ended'.
 */
import { describe, expect, it } from 'vitest';
import type { CallT } from '../../../src-preload/contract';
import { isRinging, isStale, mergeCall } from './call-state';

const base: CallT = {
  id: 'a'.repeat(32),
  peer: '0x1111111111111111111111111111111111111111',
  peerName: 'Bob',
  direction: 'incoming',
  state: 'incoming',
  video: false,
  startedAt: 1,
  answeredAt: null,
  endedAt: null,
  endReason: null,
  muted: false,
  camera: false,
  remoteMuted: false,
  remoteCamera: false,
  link: 'direct',
};
const at = (state: CallT['state'], over: Partial<CallT> = {}): CallT => ({ ...base, state, ...over });

describe('mergeCall', () => {
  it('takes the first call and any step forward', () => {
    expect(mergeCall(null, at('incoming'))).toEqual({ call: at('incoming'), changed: true, ended: false });
    expect(mergeCall(at('incoming'), at('connecting')).call?.state).toBe('connecting');
    expect(mergeCall(at('active'), at('reconnecting')).call?.state).toBe('reconnecting');
    expect(mergeCall(at('reconnecting'), at('active')).call?.state).toBe('active');
  });

  it('takes same-stage updates (mute flags) but drops older stages', () => {
    expect(mergeCall(at('active'), at('active', { remoteMuted: true })).call?.remoteMuted).toBe(true);
    expect(mergeCall(at('active'), at('connecting')).changed).toBe(false);
    expect(isStale(at('ended'), at('active'))).toBe(true);
    expect(isStale(at('connecting'), at('incoming'))).toBe(true);
    expect(isStale(null, at('active'))).toBe(false);
  });

  it('reports ended once', () => {
    expect(mergeCall(at('active'), at('ended')).ended).toBe(true);
    expect(mergeCall(at('ended'), at('ended')).ended).toBe(false);
    expect(mergeCall(null, at('ended')).ended).toBe(true);
  });

  it('keeps a running call when another one shows up, and lets a new one replace an ended call', () => {
    const other = at('incoming', { id: 'b'.repeat(32) });
    expect(mergeCall(at('active'), other)).toEqual({ call: at('active'), changed: false, ended: false });
    expect(mergeCall(at('ended'), other).call?.id).toBe('b'.repeat(32));
  });

  it('rings only while incoming', () => {
    expect(isRinging(at('incoming'))).toBe(true);
    expect(isRinging(at('connecting'))).toBe(false);
    expect(isRinging(null)).toBe(false);
  });
});
