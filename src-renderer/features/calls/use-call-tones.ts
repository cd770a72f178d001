/**
 * @module renderer/features/calls/use-call-tones
 * Plays the ring while a call rings us and the ringback while we ring out; any state change
 * (answer, decline, hang up, a new call) stops the tone.
 */
import { useEffect } from 'react';
import type { CallStateT } from '../../../src-preload/contract';
import { playTone, RING, RINGBACK } from './ringtone';

export function useCallTones(callId: string | null, state: CallStateT | null): void {
  useEffect(() => {
    if (!callId || (state !== 'incoming' && state !== 'outgoing')) return;
    const player = playTone(state === 'incoming' ? RING : RINGBACK);
    return () => player.stop();
  }, [callId, state]);
}
