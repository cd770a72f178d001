/**
 * @module renderer/features/calls/call-format
 * Words and numbers for calls, as pure functions (the clock is a parameter): the running
 * duration (`3:21`, `1:02:03`), the state line of the call view, the sentence shown when a
 * call ends, MOS in words, the call record's one-line summary, and stats figures.
 */
import type { CallEndReasonT, CallRecordT, CallStatsT, CallT, ContactT } from '../../../src-preload/contract';

/** `0:05`, `3:21`, `1:02:03` (seconds, floored; never negative). */
export function formatCallDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** A call counts as running (one at a time) until it has ended. */
export function isRunning(call: CallT | null | undefined): call is CallT {
  return !!call && call.state !== 'ended';
}

/** The engine runs while media can flow: from 'connecting' until 'ended'. */
export function wantsMedia(call: CallT | null | undefined): boolean {
  return !!call && (call.state === 'connecting' || call.state === 'active' || call.state === 'reconnecting');
}

export function kindWord(video: boolean): string {
  return video ? 'Video call' : 'Voice call';
}

const END_LABEL: Record<CallEndReasonT, string> = {
  hangup: 'Call ended',
  'remote-hangup': 'Call ended',
  declined: 'Declined',
  busy: 'Busy',
  cancelled: 'Cancelled',
  'no-answer': 'No answer',
  unreachable: 'Unreachable',
  failed: 'Call failed',
};

/** The state line under the peer's name: "Ringing…", "Connecting…", "3:21", "Call ended". */
export function stateLabel(call: CallT, now: number): string {
  switch (call.state) {
    case 'outgoing':
      return 'Ringing…';
    case 'incoming':
      return call.video ? 'Incoming video call' : 'Incoming voice call';
    case 'connecting':
      return 'Connecting…';
    case 'active':
      return formatCallDuration(now - (call.answeredAt ?? now));
    case 'reconnecting':
      return 'Reconnecting…';
    case 'ended':
      return call.endReason ? END_LABEL[call.endReason] : 'Call ended';
  }
}

/**
 * The toast for a call that ended without us ending it (null: nothing to say, e.g. we
 * hung up or the friend hung up a connected call — the view already showed it).
 */
export function endNotice(call: CallT): { kind: 'info' | 'error'; text: string } | null {
  if (call.state !== 'ended') return null;
  const name = call.peerName;
  const kind = call.video ? 'video' : 'voice';
  if (call.answeredAt !== null) return call.endReason === 'failed' ? { kind: 'error', text: `The call with ${name} dropped` } : null;
  if (call.direction === 'incoming') {
    if (!isMissedCall(call)) return null;
    return { kind: 'info', text: call.endReason === 'busy' ? `Missed ${kind} call from ${name} (you were in a call)` : `Missed ${kind} call from ${name}` };
  }
  switch (call.endReason) {
    case 'no-answer':
      return { kind: 'info', text: `${name} did not answer` };
    case 'declined':
      return { kind: 'info', text: `${name} declined the call` };
    case 'busy':
      return { kind: 'info', text: `${name} is in another call` };
    case 'unreachable':
      return { kind: 'error', text: `Could not reach ${name}` };
    case 'failed':
      return { kind: 'error', text: `The call to ${name} could not connect` };
    default:
      return null;
  }
}

/** An ended incoming call we never took and did not turn down (the node records it as missed, or busy). */
export function isMissedCall(call: CallT): boolean {
  return call.state === 'ended' && call.direction === 'incoming' && call.answeredAt === null && call.endReason !== 'declined' && call.endReason !== 'hangup';
}

/** A call we did not take: shown in red. */
export function isMissed(r: CallRecordT): boolean {
  return r.direction === 'incoming' && (r.outcome === 'missed' || r.outcome === 'busy' || r.outcome === 'cancelled' || r.outcome === 'no-answer');
}

/** "Missed voice call", "Outgoing video call", "Declined voice call", "Unanswered video call". */
export function recordTitle(r: CallRecordT): string {
  const kind = r.video ? 'video call' : 'voice call';
  const out = r.direction === 'outgoing';
  if (!out && r.outcome === 'busy') return `Missed ${kind} (busy)`;
  if (isMissed(r)) return `Missed ${kind}`;
  switch (r.outcome) {
    case 'answered':
      return `${out ? 'Outgoing' : 'Incoming'} ${kind}`;
    case 'declined':
      return out ? `Unanswered ${kind} (declined)` : `Declined ${kind}`;
    case 'busy':
      return out ? `Unanswered ${kind} (busy)` : `Missed ${kind} (busy)`;
    case 'cancelled':
      return `Cancelled ${kind}`;
    case 'no-answer':
      return `Unanswered ${kind}`;
    case 'unreachable':
      return `Unanswered ${kind} (unreachable)`;
    case 'failed':
      return `Failed ${kind}`;
    default:
      return `${out ? 'Outgoing' : 'Incoming'} ${kind}`;
  }
}

/** Conversation line: "Outgoing video call · 3:21" when answered, else "Missed voice call · 14:02". */
export function recordSummary(r: CallRecordT, clock: string): string {
  const talked = r.outcome === 'answered' || (r.outcome === 'failed' && r.durationMs > 0);
  return `${recordTitle(r)} · ${talked ? formatCallDuration(r.durationMs) : clock}`;
}

/** Calls screen row detail: "Video call · 3:21", "Voice call · Missed", "Voice call · Declined". */
export function recordDetail(r: CallRecordT): string {
  const kind = kindWord(r.video);
  if (r.outcome === 'answered') return `${kind} · ${formatCallDuration(r.durationMs)}`;
  if (isMissed(r)) return `${kind} · Missed`;
  const word: Record<Exclude<CallRecordT['outcome'], 'answered' | 'missed'>, string> = {
    declined: 'Declined',
    busy: 'Busy',
    cancelled: 'Cancelled',
    'no-answer': 'No answer',
    unreachable: 'Unreachable',
    failed: r.durationMs > 0 ? `Dropped after ${formatCallDuration(r.durationMs)}` : 'Failed',
  };
  return `${kind} · ${r.outcome === 'missed' ? 'Missed' : word[r.outcome]}`;
}

export type MosWord = 'Excellent' | 'Good' | 'Fair' | 'Poor';

/** E-model MOS in words: Excellent ≥ 4.0, Good ≥ 3.6, Fair ≥ 3.1, Poor below. */
export function mosWord(mos: number): MosWord {
  if (mos >= 4.0) return 'Excellent';
  if (mos >= 3.6) return 'Good';
  if (mos >= 3.1) return 'Fair';
  return 'Poor';
}

/** "4.2 · Excellent", or an en dash before the first report. */
export function formatMos(mos: number | null): string {
  return mos === null ? '–' : `${mos.toFixed(1)} · ${mosWord(mos)}`;
}

/** bit/s → "64 kbit/s", "1.2 Mbit/s". */
export function formatBitrate(bps: number): string {
  if (!Number.isFinite(bps) || bps <= 0) return '0 kbit/s';
  if (bps >= 1_000_000) return `${(bps / 1_000_000).toFixed(1)} Mbit/s`;
  return `${Math.round(bps / 1000)} kbit/s`;
}

export function formatMs(ms: number | null): string {
  return ms === null || !Number.isFinite(ms) ? '–' : `${Math.round(ms)} ms`;
}

export function formatPercent(p: number): string {
  return `${p < 10 ? p.toFixed(1) : Math.round(p)} %`;
}

/** "640×360 · 30 fps", or "Audio only" while congestion control has paused video. */
export function formatTarget(t: CallStatsT['target']): string {
  if (t.width === 0 || t.height === 0 || t.videoBitrate === 0) return 'Audio only';
  return `${t.width}×${t.height} · ${Math.round(t.fps)} fps`;
}

const LINK_WORD: Record<CallT['link'], string> = { direct: 'Direct', punched: 'Direct (hole punched)', relayed: 'Relayed', none: 'No link' };

export function linkWord(link: CallT['link']): string {
  return LINK_WORD[link];
}

/** Why calling this contact is not possible right now (null: it is). */
export function callBlocker(contact: Pick<ContactT, 'state' | 'name'>, inCall: boolean): string | null {
  if (contact.state !== 'friend') return `You can call ${contact.name} once you are friends`;
  if (inCall) return 'You are already in a call';
  return null;
}
