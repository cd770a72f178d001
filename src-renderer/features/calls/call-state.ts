/**
 * @module renderer/features/calls/call-state
 * How a `Call` from an event or a method reply is merged into the one the UI holds, as pure
 * functions. Replies and events race, so a copy that is behind the one we hold (an
 * 'incoming' after 'connecting', anything after 'ended') is dropped. A different call only
 * replaces ours when ours is over.
 */
import type { CallStateT, CallT } from '../../../src-preload/contract';

const STAGE: Record<CallStateT, number> = { outgoing: 0, incoming: 0, connecting: 1, active: 2, reconnecting: 2, ended: 3 };

export type MergeResult = { call: CallT | null; changed: boolean; ended: boolean };

/** True when `next` is older news about the call we hold. */
export function isStale(current: CallT | null, next: CallT): boolean {
  if (!current || current.id !== next.id) return false;
  return STAGE[next.state] < STAGE[current.state];
}

/**
 * The call to hold after `next` arrives. `ended` is true when this copy is the one that
 * takes the held call to 'ended' (toasts, stopping media fire once).
 */
export function mergeCall(current: CallT | null, next: CallT): MergeResult {
  if (isStale(current, next)) return { call: current, changed: false, ended: false };
  if (current && current.id !== next.id && current.state !== 'ended') {
    // Another call while ours runs (the node answers it 'busy'): keep ours on screen.
    return { call: current, changed: false, ended: false };
  }
  const ended = next.state === 'ended' && (current?.id !== next.id || current.state !== 'ended');
  return { call: next, changed: true, ended };
}

/** The Accept/Decline screen shows for a call that rings us. */
export function isRinging(call: CallT | null): boolean {
  return call?.state === 'incoming';
}
