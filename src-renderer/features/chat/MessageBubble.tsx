/**
 * @module renderer/features/chat/MessageBubble
 * One message. Text is rendered as plain text (no HTML, no auto-linking of untrusted
 * content), whitespace preserved. Failed outgoing messages offer "Send again", which
 * sends the same text as a new message. A payment message (`message.payment`) is drawn by
 * payments/PaymentBubble instead.
 */
import { useState } from 'react';
import type { MessageT } from '../../../src-preload/contract';
import { formatClock, formatFullDate } from '../../lib/format';
import { toast } from '../../ui/toast-store';
import { sendMessage } from './chat-actions';
import { shownTime } from './group-messages';
import { MessageStatus } from './MessageStatus';
import { PaymentBubble } from './payments/PaymentBubble';

type Props = { message: MessageT; canResend: boolean; position: 'single' | 'first' | 'middle' | 'last' };

function timeTitle(m: MessageT): string {
  if (m.direction === 'out') return `Sent ${formatFullDate(m.localAt)}`;
  return `Sent ${formatFullDate(m.sentAt)} · received ${formatFullDate(m.localAt)}`;
}

export function MessageBubble(props: Props) {
  const m = props.message;
  if (m.payment) return <PaymentBubble message={{ ...m, payment: m.payment }} canAct={props.canResend} />;
  return <TextBubble {...props} />;
}

function TextBubble({ message: m, canResend, position }: Props) {
  const [resending, setResending] = useState(false);
  const failed = m.state === 'failed';
  const resend = async () => {
    setResending(true);
    try {
      await sendMessage(m.peer, m.text);
    } catch (e) {
      toast.error(e);
    } finally {
      setResending(false);
    }
  };
  return (
    <div className={`bubble-row bubble-${m.direction}`}>
      <div
        className={`bubble bubble-pos-${position}${failed ? ' bubble-failed' : ''}`}
        data-testid="message"
        data-state={m.state}
        data-direction={m.direction}
        data-id={m.id}
      >
        <span className="bubble-text">{m.text}</span>
        <span className="bubble-meta">
          <time dateTime={new Date(shownTime(m)).toISOString()} title={timeTitle(m)}>
            {formatClock(shownTime(m))}
          </time>
          {m.direction === 'out' && <MessageStatus state={m.state} />}
        </span>
      </div>
      {failed && (
        <div className="bubble-failed-note" role="note">
          Not delivered.{' '}
          {canResend ? (
            <button type="button" className="link-btn" onClick={resend} disabled={resending} data-testid="message-resend">
              {resending ? 'Sending…' : 'Send again'}
            </button>
          ) : (
            'You can no longer message this contact.'
          )}
        </div>
      )}
    </div>
  );
}
