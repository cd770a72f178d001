/**
 * @module renderer/features/chat/payments/SendMoneyDialog
 * "Send money" to a friend: fill in (network, token, amount, note, fee) → "Review" prices it
 * with `wallet.quote({ friend, … })` → "Send" calls `payments.send({ …, confirm: true })`.
 * The friend's wallet comes from their signed profile. While sending the dialog cannot be
 * dismissed; a failure is shown in words and the user can go back and change the payment.
 */
import { useState } from 'react';
import type { ContactT, SendQuoteT } from '../../../../src-preload/contract';
import { errorText } from '../../../lib/errors';
import { Button } from '../../../ui/Button';
import { Dialog } from '../../../ui/Dialog';
import { Spinner } from '../../../ui/Spinner';
import { toast } from '../../../ui/toast-store';
import { quotePayment, sendPayment, type FeeTier } from './payment-actions';
import { amountError } from './payment-labels';
import { PaymentForm, selectedToken } from './PaymentForm';
import { QuoteSummary } from './QuoteSummary';
import { usePaymentOptions } from './use-payment-options';

type Step = { kind: 'form' } | { kind: 'quoting' } | { kind: 'review'; quote: SendQuoteT } | { kind: 'sending'; quote: SendQuoteT };

export function SendMoneyDialog({ contact, onClose }: { contact: ContactT; onClose(): void }) {
  const options = usePaymentOptions(true);
  const [token, setToken] = useState<string | null>(null);
  const [amount, setAmount] = useState('');
  const [note, setNote] = useState('');
  const [tier, setTier] = useState<FeeTier>('normal');
  const [touched, setTouched] = useState(false);
  const [step, setStep] = useState<Step>({ kind: 'form' });
  const [error, setError] = useState<string | null>(null);

  const network = options.networks.find((n) => n.id === options.networkId) ?? null;
  const tok = selectedToken(options.tokens, token);
  const decimals = tok?.decimals ?? network?.decimals ?? 18;
  const symbol = tok?.symbol ?? network?.symbol ?? '';
  const invalid = amountError(amount, decimals, symbol);
  const draft = { friend: contact.address, networkId: options.networkId, token, amount, note };

  const review = async () => {
    setTouched(true);
    if (invalid || !options.networkId) return;
    setError(null);
    setStep({ kind: 'quoting' });
    try {
      setStep({ kind: 'review', quote: await quotePayment(draft, tier) });
    } catch (e) {
      setError(errorText(e));
      setStep({ kind: 'form' });
    }
  };

  const send = async (quote: SendQuoteT) => {
    setError(null);
    setStep({ kind: 'sending', quote });
    try {
      await sendPayment(draft, tier);
      toast.success(`Sent ${quote.amount.formatted} to ${contact.name}`);
      onClose();
    } catch (e) {
      setError(errorText(e));
      setStep({ kind: 'review', quote });
    }
  };

  const sending = step.kind === 'sending';
  const inReview = step.kind === 'review' || step.kind === 'sending';
  const footer = inReview ? (
    <>
      <Button variant="ghost" onClick={() => setStep({ kind: 'form' })} disabled={sending} data-testid="pay-back">
        Back
      </Button>
      <Button variant="primary" onClick={() => void send(step.quote)} busy={sending} disabled={!step.quote.sufficient} data-testid="pay-confirm" data-autofocus>
        {sending ? 'Sending…' : `Send ${step.quote.amount.formatted}`}
      </Button>
    </>
  ) : (
    <>
      <Button variant="ghost" onClick={onClose}>
        Cancel
      </Button>
      <Button variant="primary" onClick={() => void review()} busy={step.kind === 'quoting'} disabled={options.loading || !options.networkId} data-testid="pay-review">
        Review
      </Button>
    </>
  );

  return (
    <Dialog title={inReview ? `Send to ${contact.name}?` : `Send money to ${contact.name}`} onClose={onClose} dismissable={!sending} testId="pay-send-dialog" footer={footer}>
      {options.loading ? (
        <div className="center-fill pay-loading">
          <Spinner size={20} label="Loading your wallet" />
        </div>
      ) : inReview ? (
        <QuoteSummary quote={step.quote} note={note.trim() || null} />
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void review();
          }}
        >
          <PaymentForm
            options={options}
            party={{ label: 'To', name: contact.name, wallet: contact.wallet }}
            token={token}
            setToken={setToken}
            amount={amount}
            setAmount={setAmount}
            amountError={touched ? invalid : null}
            note={note}
            setNote={setNote}
            tier={tier}
            setTier={setTier}
            disabled={step.kind === 'quoting'}
          />
          <button type="submit" hidden aria-hidden="true" tabIndex={-1} />
        </form>
      )}
      {(error ?? options.error) && (
        <p className="form-error" role="alert" data-testid="pay-error">
          {error ?? options.error}
        </p>
      )}
    </Dialog>
  );
}
