/**
 * @module electron/notifications
 * What a desktop notification for a new message says, as a pure function. Shown only for
 * incoming messages while the window is unfocused; the preview is one line, cut at
 * `PREVIEW_CHARS`, and never includes anything but the sender's display name and text.
 */
import type { CallT, MessageT } from '../../src-preload/contract';

export const PREVIEW_CHARS = 120;

export type NotificationContent = { title: string; body: string };

/** `0x1234…abcd` for a sender without a saved name. */
export function shortAddress(address: string): string {
  return address.length > 12 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}

export function messageNotification(
  msg: Pick<MessageT, 'direction' | 'peer' | 'text'>,
  senderName: string | null,
  windowFocused: boolean,
): NotificationContent | null {
  if (msg.direction !== 'in' || windowFocused) return null;
  const oneLine = msg.text.replace(/\s+/g, ' ').trim();
  const chars = Array.from(oneLine); // do not split a surrogate pair
  const body = chars.length > PREVIEW_CHARS ? `${chars.slice(0, PREVIEW_CHARS - 1).join('')}…` : oneLine;
  const name = senderName?.trim();
  return { title: name ? name : shortAddress(msg.peer), body };
}

/**
 * The notification for a call that starts ringing (shown even while the window is focused:
 * the in-app ring screen is there too, but the OS notification is what reaches a user in
 * another app), and for a call missed while the window was not focused.
 */
export function callNotification(call: Pick<CallT, 'direction' | 'state' | 'peerName' | 'peer' | 'video' | 'answeredAt' | 'endReason'>, windowFocused: boolean): NotificationContent | null {
  if (call.direction !== 'incoming') return null;
  const who = call.peerName.trim() || shortAddress(call.peer);
  const kind = call.video ? 'video call' : 'voice call';
  if (call.state === 'incoming') return { title: who, body: `Incoming ${kind}` };
  if (call.state === 'ended' && call.answeredAt === null && call.endReason !== 'declined' && call.endReason !== 'hangup' && !windowFocused) {
    return { title: who, body: `Missed ${kind}` };
  }
  return null;
}
