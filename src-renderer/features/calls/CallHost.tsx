/**
 * @module renderer/features/calls/CallHost
 * Everything a call needs in the unlocked app, mounted once next to the dialogs
 * (layout/MainLayout): follows the node's call (call-actions.startCallSync), plays ring and
 * ringback tones, listens for the call shortcuts, and shows the incoming-call screen, the
 * full call view or, minimised, the call bar.
 */
import { useEffect } from 'react';
import '../../styles/calls.css';
import { startCallSync } from './call-actions';
import { useCallStore } from './call-store';
import { CallBar } from './CallBar';
import { InCallView } from './InCallView';
import { IncomingCall } from './IncomingCall';
import { useCallKeys } from './use-call-keys';
import { useCallTones } from './use-call-tones';

export function CallHost() {
  const call = useCallStore((s) => s.call);
  const minimised = useCallStore((s) => s.minimised);
  useEffect(() => startCallSync(), []);
  useCallTones(call?.id ?? null, call?.state ?? null);
  useCallKeys();
  if (!call) return null;
  if (call.state === 'incoming') return <IncomingCall key={call.id} call={call} />;
  // An ended call we never answered needs no "Call ended" screen (its toast says it).
  if (call.state === 'ended' && call.answeredAt === null && call.direction === 'incoming') return null;
  return minimised ? <CallBar call={call} /> : <InCallView key={call.id} call={call} />;
}
