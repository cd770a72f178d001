/**
 * @module contract/calls
 * Voice and video calls between friends (issue 11) on the bridge: signalling methods, the
 * call and its quality as events, and the call record kept in the conversation. Media does
 * not travel as JSON: encoded frames cross the bridge as binary frames (media.ts).
 *
 * Secrets: the per-call keys live only in the main process; nothing here carries a key.
 */
import { z } from 'zod';
import { Address } from './primitives';

/** 32 lowercase hex digits (16 random bytes chosen by the caller). */
export const CallId = z.string().regex(/^[0-9a-f]{32}$/, 'a call id is 32 hex digits');

export const CallState = z.enum([
  /** We ring the friend (they have not answered yet). */
  'outgoing',
  /** The friend rings us. */
  'incoming',
  /** Answered; keys agreed, media starting. */
  'connecting',
  /** Media flows. */
  'active',
  /** The link was lost mid-call; the node is trying to get it back (≤ 20 s). */
  'reconnecting',
  'ended',
]);

export const CallEndReason = z.enum([
  'hangup', // we hung up
  'remote-hangup', // the friend hung up
  'declined', // the callee declined
  'busy', // the callee is in another call
  'cancelled', // the caller gave up before we answered (for us: missed)
  'no-answer', // ringing timed out
  'unreachable', // the friend could not be reached at all
  'failed', // the link was lost and not regained
]);

export const CallLink = z.enum(['direct', 'punched', 'relayed', 'none']);

export const Call = z.object({
  id: CallId,
  peer: Address,
  peerName: z.string(),
  direction: z.enum(['outgoing', 'incoming']),
  state: CallState,
  /** The call was offered with video (either side may still turn its camera on or off). */
  video: z.boolean(),
  /** When ringing started (ms since the epoch). */
  startedAt: z.number(),
  answeredAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  endReason: CallEndReason.nullable(),
  muted: z.boolean(),
  camera: z.boolean(),
  remoteMuted: z.boolean(),
  remoteCamera: z.boolean(),
  link: CallLink,
});

/** What the renderer's encoders should aim for right now (congestion control). */
export const CallTarget = z.object({
  callId: CallId,
  audioBitrate: z.number().int().nonnegative(),
  videoBitrate: z.number().int().nonnegative(),
  width: z.number().int().nonnegative(),
  height: z.number().int().nonnegative(),
  fps: z.number().nonnegative(),
  /** Send the next video frame as a keyframe (the receiver lost one). */
  keyframe: z.boolean(),
});

export const CallStats = z.object({
  callId: CallId,
  state: CallState,
  durationMs: z.number().nonnegative(),
  link: CallLink,
  /** Round trip of the media path (receiver reports), ms; null before the first report. */
  rttMs: z.number().nullable(),
  /** Packets of the friend's stream lost on the way to us, percent (last few seconds). */
  lossPercent: z.number().nonnegative(),
  /** Interarrival jitter of the friend's audio (RFC 3550 §6.4.1), ms. */
  jitterMs: z.number().nonnegative(),
  /** Lost audio frames we got back from the redundant copy in the next packet. */
  recoveredFrames: z.number().int().nonnegative(),
  sendBitrate: z.number().nonnegative(),
  receiveBitrate: z.number().nonnegative(),
  target: CallTarget.omit({ callId: true, keyframe: true }),
  packetsSent: z.number().int().nonnegative(),
  packetsReceived: z.number().int().nonnegative(),
  packetsLost: z.number().int().nonnegative(),
  /** Estimated MOS (ITU-T G.107 E-model, narrowed to delay and loss), 1…4.5; null before media. */
  mos: z.number().nullable(),
});

/** A call as it stays in the conversation. */
export const CallRecord = z.object({
  id: CallId,
  direction: z.enum(['outgoing', 'incoming']),
  video: z.boolean(),
  /** 'answered' calls have a duration; 'missed' is an incoming call we did not take. */
  outcome: z.enum(['answered', 'missed', 'declined', 'busy', 'cancelled', 'no-answer', 'unreachable', 'failed']),
  durationMs: z.number().int().nonnegative(),
});

const CallRef = z.strictObject({ callId: CallId });

/** Outcomes of an incoming call we did not take (the caller gave up, it timed out, we were busy): "missed". */
export const MISSED_OUTCOMES = ['missed', 'cancelled', 'no-answer', 'busy'] as const;

/** The most call records one `calls.history` page holds. */
export const MAX_HISTORY_PAGE = 200;

const cursorShape = {
  /** When the last call of the page was recorded (ms since the epoch). */
  at: z.number().int(),
  /** Its message id (32 hex digits). */
  id: z.string().regex(/^[0-9a-f]{32}$/, 'a message id is 32 lowercase hex digits'),
};
/** Where the next page of the call history starts (the `next` of the previous page). */
export const CallCursor = z.object(cursorShape);

/** A call record of the history, with the friend it was with. */
export const CallHistoryEntry = z.object({
  /** The message id of the record in its conversation (a stable key). */
  id: z.string(),
  peer: Address,
  /** The contact's name now ('' when the contact is gone). */
  peerName: z.string(),
  /** When the call was recorded (ms since the epoch). */
  at: z.number(),
  record: CallRecord,
});

export const CallHistoryPage = z.object({ entries: z.array(CallHistoryEntry), next: CallCursor.nullable() });
export const MissedCalls = z.object({ count: z.number().int().nonnegative() });

export const CALL_METHODS = {
  /** Ring a friend. Fails with NOT_FRIEND, BUSY (we are in a call), NOT_RUNNING. */
  'calls.start': { input: z.strictObject({ address: Address, video: z.boolean().default(false) }), output: Call },
  /** Take an incoming call; `video` turns our camera on. */
  'calls.answer': { input: z.strictObject({ callId: CallId, video: z.boolean().default(false) }), output: Call },
  'calls.decline': { input: CallRef, output: Call },
  /** End a call in any state (cancel while ringing out, hang up when connected). */
  'calls.hangup': { input: CallRef, output: Call },
  'calls.setMedia': {
    input: z.strictObject({ callId: CallId, muted: z.boolean().optional(), camera: z.boolean().optional() }),
    output: Call,
  },
  /** The call in progress (at most one), or null. */
  'calls.current': { input: z.strictObject({}), output: Call.nullable() },
  'calls.stats': { input: z.strictObject({ callId: CallId.optional() }), output: CallStats },
  /** Call records of every conversation, newest first; pass the previous page's `next` as `before`. */
  'calls.history': {
    input: z.strictObject({
      before: z.strictObject(cursorShape).optional(),
      limit: z.number().int().min(1).max(MAX_HISTORY_PAGE).optional(),
    }),
    output: CallHistoryPage,
  },
  /** Missed incoming calls since the history was last marked seen (the rail badge; kept across restarts). */
  'calls.missed': { input: z.strictObject({}), output: MissedCalls },
  /** The user has seen the call history: the badge goes to 0 (and `calls.missed` says so to every UI). */
  'calls.markSeen': { input: z.strictObject({}), output: z.object({ count: z.literal(0) }) },
} as const;

export const CALL_EVENTS = {
  'calls.changed': Call,
  /** Once a second while a call is connecting, active or reconnecting. */
  'calls.stats': CallStats,
  /** Whenever congestion control moves the targets, or a keyframe is wanted. */
  'calls.target': CallTarget,
  /** The missed-calls count changed (marked seen here or in another window). */
  'calls.missed': MissedCalls,
} as const;

export type CallT = z.infer<typeof Call>;
export type CallStateT = z.infer<typeof CallState>;
export type CallEndReasonT = z.infer<typeof CallEndReason>;
export type CallStatsT = z.infer<typeof CallStats>;
export type CallTargetT = z.infer<typeof CallTarget>;
export type CallRecordT = z.infer<typeof CallRecord>;
export type CallCursorT = z.infer<typeof CallCursor>;
export type CallHistoryEntryT = z.infer<typeof CallHistoryEntry>;
export type CallHistoryPageT = z.infer<typeof CallHistoryPage>;
