/**
 * @module renderer/features/wallet/SendDialog
 * Send from the chosen account on the selected network. Step one, the form: to an address or
 * a friend (contacts whose signed profile carries a wallet; their address is never typed),
 * native or a followed token (with "Max" for tokens), amount, fee tier and an optional max
 * fee in gwei. Enter goes to step two, the review from wallet.quote: amount, max fee, total,
 * warnings; when the balance does not cover it, "Send" is disabled with the reason. "Send"
 * calls wallet.send({confirm:true}) with progress, then a toast and the activity list.
 */
import { useMemo, useState } from 'react';
import type { SendQuoteT, WalletAccountT, WalletNetworkT } from '../../../src-preload/contract';
import { call } from '../../bridge';
import { errorText } from '../../lib/errors';
import { shortAddress } from '../../lib/format';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { Spinner } from '../../ui/Spinner';
import { toast } from '../../ui/toast-store';
import { useContactsStore } from '../contacts/contacts-store';
import { SendFields } from './SendFields';
import { sendProblems, toSendInput, type SendForm } from './send-input';
import { refreshActivity, refreshBalances, useWalletStore } from './wallet-store';

type Phase = 'form' | 'quoting' | 'review' | 'sending';

function Review({ q }: { q: SendQuoteT }) {
  return (
    <div className="pay-quote" data-testid="send-quote">
      <div className="pay-quote-amount" data-testid="send-quote-amount">
        {q.amount.formatted}
      </div>
      <dl className="pay-quote-rows">
        <div>
          <dt>To</dt>
          <dd>
            {q.friend ? `${q.friend.name} · ` : ''}
            <span className="mono" title={q.to} data-testid="send-quote-to">
              {shortAddress(q.to)}
            </span>
          </dd>
        </div>
        <div>
          <dt>Network</dt>
          <dd>{q.network.name}</dd>
        </div>
        <div>
          <dt>Fee ({q.tier})</dt>
          <dd data-testid="send-quote-fee">at most {q.maxFee.formatted}</dd>
        </div>
        <div className="pay-quote-total">
          <dt>Total</dt>
          <dd data-testid="send-quote-total">{q.total}</dd>
        </div>
      </dl>
      {q.warnings.length > 0 && (
        <ul className="pay-warnings" data-testid="send-quote-warnings">
          {q.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      {!q.sufficient && (
        <p className="form-error" role="alert" data-testid="send-insufficient">
          Your balance does not cover {q.total}.
        </p>
      )}
    </div>
  );
}

export function SendDialog({ account, network, onClose }: { account: WalletAccountT; network: WalletNetworkT; onClose(): void }) {
  const byKey = useContactsStore((s) => s.byKey);
  const friends = useMemo(() => Object.values(byKey).filter((c) => c.state === 'friend' && c.wallet !== null), [byKey]);
  const tokens = useWalletStore((s) => s.balances?.tokens ?? []);
  const [form, setForm] = useState<SendForm>({ mode: 'address', to: '', friend: '', token: '', amount: '', tier: 'normal', maxFeeGwei: '' });
  const [touched, setTouched] = useState(false);
  const [phase, setPhase] = useState<Phase>('form');
  const [quote, setQuote] = useState<SendQuoteT | null>(null);
  const [error, setError] = useState<string | null>(null);
  const token = tokens.find((t) => t.address === form.token) ?? null;
  const unit = { decimals: token?.decimals ?? network.decimals, symbol: token?.symbol ?? network.symbol };
  const problems = sendProblems(form, unit);
  const ok = Object.keys(problems).length === 0;

  const review = async () => {
    setTouched(true);
    if (!ok) return;
    setPhase('quoting');
    setError(null);
    try {
      setQuote(await call('wallet.quote', toSendInput(form, account.address, network.id)));
      setPhase('review');
    } catch (e) {
      setError(errorText(e));
      setPhase('form');
    }
  };

  const send = async () => {
    setPhase('sending');
    setError(null);
    try {
      const sent = await call('wallet.send', { ...toSendInput(form, account.address, network.id), confirm: true });
      toast.success(`Sent ${sent.amount.formatted}. Waiting for a block to confirm it.`);
      void refreshActivity();
      void refreshBalances();
      onClose();
    } catch (e) {
      setError(errorText(e));
      setPhase('review');
    }
  };

  const busy = phase === 'quoting' || phase === 'sending';
  const inReview = phase === 'review' || phase === 'sending';
  return (
    <Dialog
      title={inReview ? 'Review and send' : `Send on ${network.name}`}
      onClose={onClose}
      size="sm"
      dismissable={!busy}
      testId="send-dialog"
      footer={
        inReview ? (
          <>
            <Button variant="ghost" onClick={() => setPhase('form')} disabled={busy} data-testid="send-back">
              Back
            </Button>
            <Button variant="primary" onClick={send} busy={phase === 'sending'} disabled={!quote?.sufficient} data-testid="send-confirm" data-autofocus>
              Send
            </Button>
          </>
        ) : (
          <>
            <Button variant="ghost" onClick={onClose} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" form="wallet-send-form" variant="primary" busy={phase === 'quoting'} data-testid="send-review">
              Review
            </Button>
          </>
        )
      }
    >
      {inReview && quote ? (
        <Review q={quote} />
      ) : (
        <form
          id="wallet-send-form"
          className="form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void review();
          }}
        >
          <SendFields form={form} setForm={(p) => setForm((f) => ({ ...f, ...p }))} problems={touched ? problems : {}} friends={friends} tokens={tokens} network={network} disabled={busy} />
        </form>
      )}
      {phase === 'sending' && (
        <p className="stake-progress" role="status" data-testid="send-progress">
          <Spinner size={16} /> Signing and sending the transaction…
        </p>
      )}
      {error && (
        <p className="form-error" role="alert" data-testid="send-error">
          {error}
        </p>
      )}
    </Dialog>
  );
}
