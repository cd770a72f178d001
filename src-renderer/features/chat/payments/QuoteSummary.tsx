/**
 * @module renderer/features/chat/payments/QuoteSummary
 * A priced payment (`wallet.quote`): to whom, on which network, the amount, the most the fee
 * can cost, the total and any warnings. When the balance does not cover it, says so — the
 * dialog then keeps "Send" disabled.
 */
import type { SendQuoteT } from '../../../../src-preload/contract';
import { shortAddress } from '../../../lib/format';

export function insufficientReason(q: SendQuoteT): string | null {
  if (q.sufficient) return null;
  return `Your balance does not cover ${q.total}.`;
}

export function QuoteSummary({ quote: q, note }: { quote: SendQuoteT; note?: string | null }) {
  const reason = insufficientReason(q);
  return (
    <div className="pay-quote" data-testid="pay-quote">
      <div className="pay-quote-amount" data-testid="pay-quote-amount">
        {q.amount.formatted}
      </div>
      <dl className="pay-quote-rows">
        <div>
          <dt>To</dt>
          <dd>
            {q.friend ? `${q.friend.name} · ` : ''}
            <span className="mono" title={q.to}>
              {shortAddress(q.to)}
            </span>
          </dd>
        </div>
        <div>
          <dt>From</dt>
          <dd className="mono" title={q.from}>
            {shortAddress(q.from)}
          </dd>
        </div>
        <div>
          <dt>Network</dt>
          <dd>{q.network.name}</dd>
        </div>
        <div>
          <dt>Fee</dt>
          <dd data-testid="pay-quote-fee">at most {q.maxFee.formatted}</dd>
        </div>
        <div className="pay-quote-total">
          <dt>Total</dt>
          <dd data-testid="pay-quote-total">{q.total}</dd>
        </div>
        {note ? (
          <div>
            <dt>Note</dt>
            <dd className="pay-quote-note">{note}</dd>
          </div>
        ) : null}
      </dl>
      {q.warnings.length > 0 && (
        <ul className="pay-warnings" data-testid="pay-quote-warnings">
          {q.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      {reason && (
        <p className="form-error" role="alert" data-testid="pay-insufficient">
          {reason}
        </p>
      )}
    </div>
  );
}
