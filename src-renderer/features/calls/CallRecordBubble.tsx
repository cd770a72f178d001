/**
 * @module renderer/features/calls/CallRecordBubble
 * A call as it stays in the conversation: a centered system line with an icon, e.g.
 * "Missed voice call · 14:02" (in red) or "Outgoing video call · 3:21", the full date as
 * its tooltip, and "Call back" for a friend while no call runs.
 */
import type { CallRecordT, MessageT } from '../../../src-preload/contract';
import { formatClock, formatFullDate } from '../../lib/format';
import { startCall } from './call-actions';
import { isMissed, isRunning, recordSummary } from './call-format';
import { useCallStore } from './call-store';
import { IconCallIncoming, IconCallMissed, IconCallOutgoing } from './call-icons';

type Props = { message: MessageT & { call: CallRecordT }; canCall: boolean };

export function CallRecordIcon({ record, size = 16 }: { record: CallRecordT; size?: number }) {
  if (isMissed(record)) return <IconCallMissed size={size} />;
  return record.direction === 'incoming' ? <IconCallIncoming size={size} /> : <IconCallOutgoing size={size} />;
}

export function CallRecordBubble({ message: m, canCall }: Props) {
  const inCall = useCallStore((s) => isRunning(s.call));
  const r = m.call;
  const missed = isMissed(r);
  return (
    <div className={`call-record${missed ? ' is-missed' : ''}`} data-testid="message" data-kind="call" data-id={m.id} data-outcome={r.outcome} data-direction={m.direction}>
      <span className="call-record-line" title={formatFullDate(m.localAt)}>
        <CallRecordIcon record={r} />
        <span data-testid="call-record">{recordSummary(r, formatClock(m.localAt))}</span>
      </span>
      {canCall && !inCall && r.outcome !== 'answered' && (
        <button type="button" className="link-btn call-record-back" data-testid="call-back" onClick={() => void startCall(m.peer, r.video)}>
          Call back
        </button>
      )}
    </div>
  );
}
