/**
 * @module renderer/features/chat/MessageStatus
 * Delivery state of an outgoing message: clock (sending), one check (sent: reached the
 * network / relay), two checks (delivered to their device), warning (failed).
 */
import type { MessageStateT } from '../../../src-preload/contract';
import { IconCheck, IconCheckDouble, IconClock, IconWarning } from '../../ui/Icons';

export const STATE_LABEL: Record<MessageStateT, string> = {
  sending: 'Sending',
  sent: 'Sent',
  delivered: 'Delivered',
  received: 'Received',
  failed: 'Not delivered',
};

export function MessageStatus({ state }: { state: MessageStateT }) {
  const icon =
    state === 'sending' ? <IconClock size={14} /> : state === 'sent' ? <IconCheck size={14} /> : state === 'delivered' ? <IconCheckDouble size={14} /> : state === 'failed' ? <IconWarning size={14} /> : null;
  if (!icon) return null;
  return (
    <span className={`msg-status msg-status-${state}`} role="img" aria-label={STATE_LABEL[state]} title={STATE_LABEL[state]} data-testid="message-status">
      {icon}
    </span>
  );
}
