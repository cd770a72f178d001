/**
 * @module call/call-record
 * One call's state as the service keeps it, its view on the bridge (`Call`), and what it
 * leaves in the conversation when it ends (`CallRecord`).
 */
import type { CallEndReasonT, CallRecordT, CallStateT, CallT } from '../../../src-preload/contract';

export type LinkKind = 'direct' | 'punched' | 'relayed' | 'none';

export type CallEntry = {
  id: string;
  peer: string;
  peerName: string;
  direction: 'outgoing' | 'incoming';
  state: CallStateT;
  video: boolean;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  endReason: CallEndReasonT | null;
  muted: boolean;
  camera: boolean;
  remoteMuted: boolean;
  remoteCamera: boolean;
  /** The friend's ephemeral public key (hex), once known. */
  remoteKey: string | null;
  /** When the state last changed (timeouts count from here). */
  since: number;
  /** Last time a media packet of the friend arrived. */
  lastMediaAt: number;
};

export function toCall(c: CallEntry, link: LinkKind): CallT {
  return {
    id: c.id,
    peer: c.peer,
    peerName: c.peerName,
    direction: c.direction,
    state: c.state,
    video: c.video,
    startedAt: c.startedAt,
    answeredAt: c.answeredAt,
    endedAt: c.endedAt,
    endReason: c.endReason,
    muted: c.muted,
    camera: c.camera,
    remoteMuted: c.remoteMuted,
    remoteCamera: c.remoteCamera,
    link: c.state === 'ended' ? 'none' : link,
  };
}

/** What an ended call leaves in the conversation. */
export function recordOf(c: CallEntry): CallRecordT {
  const durationMs = c.answeredAt !== null && c.endedAt !== null ? Math.max(0, Math.round(c.endedAt - c.answeredAt)) : 0;
  const base = { id: c.id, direction: c.direction, video: c.video, durationMs };
  if (c.answeredAt !== null) return { ...base, outcome: 'answered' };
  const r = c.endReason;
  if (c.direction === 'incoming') {
    if (r === 'declined' || r === 'hangup') return { ...base, outcome: 'declined' };
    if (r === 'busy') return { ...base, outcome: 'busy' };
    return { ...base, outcome: 'missed' };
  }
  switch (r) {
    case 'declined':
      return { ...base, outcome: 'declined' };
    case 'busy':
      return { ...base, outcome: 'busy' };
    case 'no-answer':
      return { ...base, outcome: 'no-answer' };
    case 'unreachable':
      return { ...base, outcome: 'unreachable' };
    case 'failed':
      return { ...base, outcome: 'failed' };
    default:
      return { ...base, outcome: 'cancelled' };
  }
}
