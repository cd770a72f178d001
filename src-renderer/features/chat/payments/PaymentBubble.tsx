/**
 * @module renderer/features/chat/payments/PaymentBubble
 * A payment or payment request in the conversation: who paid whom, the amount big, token and
 * network, the note, a live status pill with the node's detail sentence, and the short
 * transaction hash. An open request we received has a "Pay" button (one confirm). Status
 * changes arrive as `message.updated` and re-render the bubble.
 */
import { useState } from 'react';
import type { MessageT, PaymentT } from '../../../../src-preload/contract';
import { addrKey, formatClock, formatFullDate } from '../../../lib/format';
import { Button } from '../../../ui/Button';
import { CopyButton } from '../../../ui/CopyButton';
import { Spinner } from '../../../ui/Spinner';
import { useContactsStore } from '../../contacts/contacts-store';
import { shownTime } from '../group-messages';
import { MessageStatus } from '../MessageStatus';
import { amountText, canPay, directionLabel, paymentSentence, shortHash, statusDetail, statusLabel, statusTone, tokenNetworkText } from './payment-labels';
import { PayRequestDialog } from './PayRequestDialog';
import { IconMoney } from './PayButton';

type Props = { message: MessageT & { payment: PaymentT }; canAct: boolean };

export function PaymentBubble({ message: m, canAct }: Props) {
  const p = m.payment;
  const peerName = useContactsStore((s) => s.byKey[addrKey(m.peer)]?.name ?? '');
  const [paying, setPaying] = useState(false);
  const tone = statusTone(p.status);
  const hash = p.txHash ?? p.paidBy;
  return (
    <div className={`bubble-row bubble-${m.direction}`}>
      <div
        className={`pay-bubble pay-bubble-${p.type} pay-tone-${tone}`}
        data-testid="payment-bubble"
        data-id={m.id}
        data-type={p.type}
        data-direction={m.direction}
        data-status={p.status}
        data-state={m.state}
        aria-label={`${paymentSentence(p, m.direction, peerName)}, ${statusLabel(p.status)}`}
        role="group"
      >
        <div className="pay-bubble-head">
          <span className="pay-bubble-kind">
            <IconMoney size={16} />
            <span className="pay-bubble-direction" data-testid="payment-direction">
              {directionLabel(p.type, m.direction, peerName)}
            </span>
          </span>{' '}
          <strong className="pay-bubble-amount" data-testid="payment-amount">
            {amountText(p)}
          </strong>
        </div>
        <div className="pay-bubble-token">{tokenNetworkText(p)}</div>
        {p.note && <div className="pay-bubble-note" data-testid="payment-note">{p.note}</div>}
        <div className="pay-bubble-status">
          <span className={`pay-pill pay-pill-${tone}`} data-testid="payment-status" data-status={p.status}>
            {p.status === 'pending' && <Spinner size={12} />}
            {statusLabel(p.status)}
          </span>
          <span className="pay-bubble-detail" data-testid="payment-detail">
            {statusDetail(p)}
          </span>
        </div>
        {hash && (
          <div className="pay-bubble-hash">
            <span className="mono" title={hash} data-testid="payment-tx">
              Tx {shortHash(hash)}
            </span>
            <CopyButton value={hash} label="Copy transaction hash" />
          </div>
        )}
        {canPay(m) && canAct && (
          <Button variant="primary" size="sm" className="pay-bubble-pay" onClick={() => setPaying(true)} data-testid="payment-pay">
            Pay {amountText(p)}
          </Button>
        )}
        <span className="pay-bubble-meta">
          <time dateTime={new Date(shownTime(m)).toISOString()} title={formatFullDate(shownTime(m))}>
            {formatClock(shownTime(m))}
          </time>
          {m.direction === 'out' && <MessageStatus state={m.state} />}
        </span>
      </div>
      {m.direction === 'out' && m.state === 'failed' && (
        <div className="bubble-failed-note" role="note" data-testid="payment-undelivered">
          {peerName || 'Your friend'} did not get this message.{p.txHash ? ' The transaction itself is on chain.' : ''}
        </div>
      )}
      {paying && <PayRequestDialog message={m} peerName={peerName} onClose={() => setPaying(false)} />}
    </div>
  );
}
