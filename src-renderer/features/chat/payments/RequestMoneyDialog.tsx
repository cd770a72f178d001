/**
 * @module renderer/features/chat/payments/RequestMoneyDialog
 * "Request money" from a friend: network, token, amount and note → `payments.request`. The
 * money is asked to the wallet of our signed profile (account 0) on that network; the friend
 * pays it from the request bubble with one confirm.
 */
import { useState } from 'react';
import type { ContactT } from '../../../../src-preload/contract';
import { errorText } from '../../../lib/errors';
import { Button } from '../../../ui/Button';
import { Dialog } from '../../../ui/Dialog';
import { Spinner } from '../../../ui/Spinner';
import { toast } from '../../../ui/toast-store';
import { requestPayment } from './payment-actions';
import { amountError } from './payment-labels';
import { PaymentForm, selectedToken } from './PaymentForm';
import { usePaymentOptions } from './use-payment-options';

export function RequestMoneyDialog({ contact, onClose }: { contact: ContactT; onClose(): void }) {
  const options = usePaymentOptions(false);
  const [token, setToken] = useState<string | null>(null);
  const [amount, setAmount] = useState('');
  const [note, setNote] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const network = options.networks.find((n) => n.id === options.networkId) ?? null;
  const tok = selectedToken(options.tokens, token);
  const invalid = amountError(amount, tok?.decimals ?? network?.decimals ?? 18, tok?.symbol ?? network?.symbol ?? '');

  const submit = async () => {
    setTouched(true);
    if (invalid || !options.networkId || busy) return;
    setBusy(true);
    setError(null);
    try {
      const m = await requestPayment({ friend: contact.address, networkId: options.networkId, token, amount, note });
      toast.success(`Asked ${contact.name} for ${m.payment?.amount.formatted ?? amount}`);
      onClose();
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={`Request money from ${contact.name}`}
      onClose={onClose}
      dismissable={!busy}
      testId="pay-request-dialog"
      footer={
        <>
          <Button variant="ghost" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button variant="primary" onClick={() => void submit()} busy={busy} disabled={options.loading || !options.networkId} data-testid="pay-request-submit">
            Request
          </Button>
        </>
      }
    >
      {options.loading ? (
        <div className="center-fill pay-loading">
          <Spinner size={20} label="Loading your wallet" />
        </div>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <PaymentForm
            options={options}
            party={{ label: 'Paid to', name: 'You', wallet: null }}
            token={token}
            setToken={setToken}
            amount={amount}
            setAmount={setAmount}
            amountError={touched ? invalid : null}
            note={note}
            setNote={setNote}
            disabled={busy}
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
