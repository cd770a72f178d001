/**
 * @module renderer/features/chat/payments/PayRequestDialog
 * The one confirm for paying a request we received: prices it with `wallet.quote` (the
 * request's amount, token and network, `friend` = the peer), shows the quote, and "Pay" calls
 * `payments.pay({ address, id, confirm: true })`. A request on a chain we have no network for
 * cannot be paid from here, and the dialog says so.
 */
import { useEffect, useState } from 'react';
import type { MessageT, PaymentT, SendQuoteT } from '../../../../src-preload/contract';
import { errorText } from '../../../lib/errors';
import { Button } from '../../../ui/Button';
import { Dialog } from '../../../ui/Dialog';
import { Spinner } from '../../../ui/Spinner';
import { toast } from '../../../ui/toast-store';
import { loadNetworks, payRequest, quotePayment } from './payment-actions';
import { baseToDecimal, networkForChain } from './payment-labels';
import { QuoteSummary } from './QuoteSummary';

type State = { kind: 'loading' } | { kind: 'error'; text: string } | { kind: 'ready'; quote: SendQuoteT } | { kind: 'paying'; quote: SendQuoteT };

type Props = { message: MessageT & { payment: PaymentT }; peerName: string; onClose(): void };

export function PayRequestDialog({ message: m, peerName, onClose }: Props) {
  const p = m.payment;
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    (async () => {
      const network = networkForChain(await loadNetworks(), p.chainId);
      if (!network) throw new Error(`NO_NETWORK`);
      const amount = baseToDecimal(p.amount.amount, p.amount.decimals);
      return quotePayment({ friend: m.peer, networkId: network.id, token: p.token?.address ?? null, amount }, 'normal');
    })()
      .then((quote) => live && setState({ kind: 'ready', quote }))
      .catch((e: unknown) => {
        if (!live) return;
        const text = e instanceof Error && e.message === 'NO_NETWORK' ? `None of your networks is ${p.networkName} (chain id ${p.chainId}). Add it in the Wallet to pay this request.` : errorText(e);
        setState({ kind: 'error', text });
      });
    return () => {
      live = false;
    };
  }, [m.peer, p]);

  const pay = async (quote: SendQuoteT) => {
    setError(null);
    setState({ kind: 'paying', quote });
    try {
      await payRequest(m.peer, m.id, 'normal');
      toast.success(`Paid ${quote.amount.formatted} to ${peerName}`);
      onClose();
    } catch (e) {
      setError(errorText(e));
      setState({ kind: 'ready', quote });
    }
  };

  const paying = state.kind === 'paying';
  const quote = state.kind === 'ready' || state.kind === 'paying' ? state.quote : null;
  return (
    <Dialog
      title={`Pay ${peerName}?`}
      onClose={onClose}
      size="sm"
      dismissable={!paying}
      testId="pay-request-confirm"
      footer={
        <>
          <Button variant="ghost" onClick={onClose} disabled={paying}>
            Cancel
          </Button>
          <Button variant="primary" onClick={() => quote && void pay(quote)} busy={paying || state.kind === 'loading'} disabled={!quote || !quote.sufficient} data-testid="pay-confirm" data-autofocus>
            {paying ? 'Paying…' : quote ? `Pay ${quote.amount.formatted}` : 'Pay'}
          </Button>
        </>
      }
    >
      {state.kind === 'loading' && (
        <div className="center-fill pay-loading">
          <Spinner size={20} label="Pricing the payment" />
        </div>
      )}
      {state.kind === 'error' && (
        <p className="form-error" role="alert" data-testid="pay-error">
          {state.text}
        </p>
      )}
      {quote && <QuoteSummary quote={quote} note={p.note} />}
      {error && (
        <p className="form-error" role="alert" data-testid="pay-error">
          {error}
        </p>
      )}
    </Dialog>
  );
}
