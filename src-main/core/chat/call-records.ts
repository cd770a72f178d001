/**
 * @module chat/call-records
 * A call as it stays in the conversation (issue 11): when a call ends, each side writes its
 * own local message of kind 'call' — never transmitted (the store keeps it out of the outbox)
 * — whose text is the one-line summary ("Missed voice call", "Video call · 3:21", …). A missed
 * incoming call counts as unread; recording the same call twice keeps one message.
 */
import { CallRecord, type CallRecordT, type MessageT } from '../../../src-preload/contract';
import { BuError, toHex } from '../base';
import { randomBytes } from '../crypto';
import type { ChatService } from './chat-service';
import { toMessage } from './mappers';

export type { CallRecordT };

/** Outcomes of an incoming call that mean we did not take it (the caller gave up, it timed out, we were busy). */
const MISSED: ReadonlySet<CallRecordT['outcome']> = new Set(['missed', 'cancelled', 'no-answer', 'busy']);

/** An incoming call we did not take: shown as missed and counted as unread. */
export function isMissedCall(r: CallRecordT): boolean {
  return r.direction === 'incoming' && MISSED.has(r.outcome);
}

/** `m:ss`, or `h:mm:ss` from an hour (whole seconds, rounded down). */
export function formatCallDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** The one-line summary of a call record, as the conversation and the contact list show it. */
export function callSummary(r: CallRecordT): string {
  const kind = r.video ? 'video' : 'voice';
  const Kind = r.video ? 'Video' : 'Voice';
  if (isMissedCall(r)) return r.outcome === 'busy' ? `Missed ${kind} call (busy)` : `Missed ${kind} call`;
  switch (r.outcome) {
    case 'answered':
      return `${Kind} call · ${formatCallDuration(r.durationMs)}`;
    case 'declined':
      return r.direction === 'incoming' ? `Declined ${kind} call` : `${Kind} call declined`;
    case 'busy':
      return `${Kind} call · busy`;
    case 'cancelled':
      return `Cancelled ${kind} call`;
    case 'missed':
    case 'no-answer':
      return `No answer · ${kind} call`;
    case 'unreachable':
      return `${Kind} call · unreachable`;
    case 'failed':
      return r.durationMs > 0 ? `${Kind} call · ${formatCallDuration(r.durationMs)} · connection lost` : `${Kind} call failed`;
  }
}

/**
 * Keeps `record` in the conversation with `peer` (a contact): ours 'sent', theirs 'received',
 * at `at` (ms). Emits 'messageAdded' (and the contact, whose last message and unread change)
 * the first time; the same call id again returns the stored message and emits nothing.
 */
export function recordCall(chat: ChatService, peer: string, record: CallRecordT, at: number): MessageT {
  const parsed = CallRecord.safeParse(record);
  if (!parsed.success) throw new BuError('BAD_INPUT', `Not a call record: ${parsed.error.issues[0]?.message ?? 'invalid'}.`);
  const r = parsed.data;
  const c = chat.requireContact(peer);
  const { row, inserted } = chat.store.tx(() => {
    const res = chat.store.messages.insertCall({
      id: toHex(randomBytes(16)),
      peer: c.address,
      direction: r.direction === 'outgoing' ? 'out' : 'in',
      text: callSummary(r),
      at,
      call: { ...r },
    });
    if (res.inserted && isMissedCall(r)) chat.store.contacts.addUnread(c.address, 1);
    return res;
  });
  const msg = toMessage(row);
  if (inserted) {
    chat.emit('messageAdded', msg);
    chat.emitContact(chat.store.contacts.get(c.address)!);
  }
  return msg;
}
