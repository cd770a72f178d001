/**
 * @module daemon/format-calls
 * Human output of `bitunicom calls …` (`--json` prints the bridge's Call / CallStats instead):
 * the call block (who, which way, its state and duration, the link, who is muted), the
 * quality block of `calls stats` (RTT, loss, jitter, bitrates, MOS, link) and the one-line
 * form `calls stats --watch` prints each second, and the table of `calls history`. The
 * friend's name goes through `oneLine`.
 */
import { MISSED_OUTCOMES, type CallEndReasonT, type CallHistoryEntryT, type CallRecordT, type CallStatsT, type CallT } from '../../src-preload/contract';
import { formatTime, oneLine, table } from './format';

/** `m:ss`, or `h:mm:ss` from an hour (whole seconds, rounded down). */
export function callDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

function who(c: Pick<CallT, 'peerName' | 'peer'>): string {
  return oneLine(c.peerName) || c.peer;
}

function kindOf(c: Pick<CallT, 'video'>): string {
  return c.video ? 'video call' : 'voice call';
}

/** Why a call ended, as a sentence fragment from our side. */
export function endReasonText(reason: CallEndReasonT | null, c: Pick<CallT, 'peerName' | 'peer' | 'direction'>): string {
  const name = who(c);
  switch (reason) {
    case 'hangup':
      return 'you hung up';
    case 'remote-hangup':
      return `${name} hung up`;
    case 'declined':
      return c.direction === 'incoming' ? 'you declined' : `${name} declined`;
    case 'busy':
      return c.direction === 'incoming' ? 'you were in another call' : `${name} is in another call`;
    case 'cancelled':
      return c.direction === 'incoming' ? `missed (${name} gave up)` : 'you cancelled';
    case 'no-answer':
      return c.direction === 'incoming' ? 'missed' : 'no answer';
    case 'unreachable':
      return `${name} could not be reached`;
    case 'failed':
      return 'the connection was lost';
    default:
      return 'ended';
  }
}

/** The state in words; active and reconnecting calls with their running time at `now`. */
export function callStateText(c: CallT, now: number): string {
  const talk = c.answeredAt === null ? null : callDuration((c.endedAt ?? now) - c.answeredAt);
  switch (c.state) {
    case 'outgoing':
      return `ringing ${who(c)}`;
    case 'incoming':
      return 'ringing (incoming)';
    case 'connecting':
      return 'connecting';
    case 'active':
      return `active ${talk ?? '0:00'}`;
    case 'reconnecting':
      return `reconnecting (the link was lost; ${talk ?? '0:00'} so far)`;
    case 'ended':
      return `ended: ${endReasonText(c.endReason, c)}${talk ? ` after ${talk}` : ''}`;
  }
}

function onOff(muted: boolean, camera: boolean, video: boolean): string {
  const mic = muted ? 'muted' : 'microphone on';
  return video || camera ? `${mic}, camera ${camera ? 'on' : 'off'}` : mic;
}

/** The call block: `calls current`, and after each action's first line. */
export function formatCall(c: CallT, now: number): string {
  const rows: Array<[string, string]> = [
    ['Call', c.id],
    ['With', c.peerName ? `${oneLine(c.peerName)} (${c.peer})` : c.peer],
    ['Type', `${c.direction} ${kindOf(c)}`],
    ['State', callStateText(c, now)],
  ];
  if (c.state !== 'ended' && c.state !== 'outgoing' && c.state !== 'incoming') {
    rows.push(['Link', c.link], ['You', onOff(c.muted, c.camera, c.video)], [who(c), onOff(c.remoteMuted, c.remoteCamera, c.video)]);
  }
  const w = Math.max(...rows.map(([k]) => k.length)) + 1;
  return rows.map(([k, v]) => `${`${k}:`.padEnd(w)}  ${v}`).join('\n');
}

export type CallAction = 'start' | 'answer' | 'decline' | 'hangup';

/** The first line after an action, then the call block. */
export function formatCallAction(action: CallAction, c: CallT, now: number): string {
  const name = who(c);
  const head = {
    start: `Calling ${name} (${kindOf(c)}). Hang up with: bitunicom calls hangup`,
    answer: `Answered ${name}'s ${kindOf(c)}.`,
    decline: `Declined ${name}'s ${kindOf(c)}.`,
    hangup: `Hung up the ${kindOf(c)} with ${name}.`,
  }[action];
  return `${head}\n${formatCall(c, now)}`;
}

export function formatNoCall(): string {
  return 'No call in progress.';
}

/** bit/s → `48 kbit/s` / `1.2 Mbit/s` (display only). */
export function formatBitrate(bps: number): string {
  if (bps >= 1_000_000) return `${(bps / 1_000_000).toFixed(1)} Mbit/s`;
  if (bps >= 1000) return `${Math.round(bps / 1000)} kbit/s`;
  return `${Math.round(bps)} bit/s`;
}

/** MOS with its ITU-T P.800 label. */
export function formatMos(mos: number | null): string {
  if (mos === null) return '– (no media yet)';
  const label = mos >= 4.3 ? 'excellent' : mos >= 4.0 ? 'good' : mos >= 3.6 ? 'fair' : mos >= 3.1 ? 'poor' : 'bad';
  return `${mos.toFixed(1)} (${label})`;
}

function ms(n: number | null): string {
  return n === null ? '–' : `${Math.round(n)} ms`;
}

function pct(n: number): string {
  return `${n.toFixed(1)} %`;
}

function targetText(t: CallStatsT['target']): string {
  const audio = `audio ${formatBitrate(t.audioBitrate)}`;
  return t.videoBitrate > 0 ? `${audio}, video ${formatBitrate(t.videoBitrate)} ${t.width}×${t.height} @ ${Math.round(t.fps)} fps` : audio;
}

/** `calls stats`: the quality block. */
export function formatStats(s: CallStatsT): string {
  const rows: Array<[string, string]> = [
    ['Call', `${s.callId}, ${s.state}, ${callDuration(s.durationMs)}`],
    ['Link', s.link],
    ['RTT', ms(s.rttMs)],
    ['Loss', `${pct(s.lossPercent)} (${s.packetsLost} of ${s.packetsReceived + s.packetsLost} packets lost; ${s.recoveredFrames} frames recovered)`],
    ['Jitter', `${s.jitterMs.toFixed(1)} ms`],
    ['Bitrate', `send ${formatBitrate(s.sendBitrate)}, receive ${formatBitrate(s.receiveBitrate)}`],
    ['Target', targetText(s.target)],
    ['Packets', `${s.packetsSent} sent, ${s.packetsReceived} received`],
    ['MOS', formatMos(s.mos)],
  ];
  return rows.map(([k, v]) => `${`${k}:`.padEnd(8)}  ${v}`).join('\n');
}

/** `calls stats --watch`: one line per second. */
export function formatStatsLine(s: CallStatsT): string {
  return [
    callDuration(s.durationMs),
    s.state,
    `rtt ${ms(s.rttMs)}`,
    `loss ${pct(s.lossPercent)}`,
    `jitter ${s.jitterMs.toFixed(1)} ms`,
    `send ${formatBitrate(s.sendBitrate)}`,
    `recv ${formatBitrate(s.receiveBitrate)}`,
    `MOS ${s.mos === null ? '–' : s.mos.toFixed(1)}`,
    s.link,
  ].join('  ');
}

const OUTCOME: Record<CallRecordT['outcome'], string> = {
  answered: 'answered',
  missed: 'missed',
  declined: 'declined',
  busy: 'busy',
  cancelled: 'cancelled',
  'no-answer': 'no answer',
  unreachable: 'unreachable',
  failed: 'connection lost',
};

/** An incoming call we did not take (the rail badge counts these). */
export function isMissedRecord(r: CallRecordT): boolean {
  return r.direction === 'incoming' && (MISSED_OUTCOMES as readonly string[]).includes(r.outcome);
}

/** The outcome in words; a missed incoming call says MISSED whatever the caller's reason. */
export function outcomeText(r: CallRecordT): string {
  return isMissedRecord(r) ? (r.outcome === 'missed' ? 'MISSED' : `MISSED (${OUTCOME[r.outcome]})`) : OUTCOME[r.outcome];
}

/** `calls history`: WHEN  PEER  DIRECTION  KIND  OUTCOME  DURATION, newest first. */
export function formatCallHistory(entries: readonly CallHistoryEntryT[], more = false): string {
  if (entries.length === 0) return 'No calls yet. Ring a friend: bitunicom calls start <friend>.';
  const rows = entries.map((e) => [
    formatTime(e.at),
    oneLine(e.peerName) ? `${oneLine(e.peerName)} (${e.peer})` : e.peer,
    e.record.direction,
    e.record.video ? 'video' : 'voice',
    outcomeText(e.record),
    e.record.durationMs > 0 ? callDuration(e.record.durationMs) : '-',
  ]);
  const out = table(['WHEN', 'PEER', 'DIRECTION', 'KIND', 'OUTCOME', 'DURATION'], rows);
  return more ? `${out}\n(older calls: --limit N for more)` : out;
}
