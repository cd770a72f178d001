/**
 * @module renderer/features/node/StakeDialog
 * The confirmations of the Stake row (issue 9, seed 003's pledge): register as a sealer (an
 * amount field prefilled with the contract's minimum, checked as it is typed, and what
 * happens: the tokens are locked, sealing earns rewards, leaving takes the unbonding delay),
 * stop sealing (the stake unbonds), withdraw the unbonded stake. Built on the app's Dialog
 * (native `<dialog>`: focus trapped, Esc closes) in ConfirmDialog's pattern: while the node
 * signs and sends the transaction the dialog cannot be dismissed and its button shows
 * progress; then it says it waits for a block (it may be closed: the transaction goes on)
 * and closes by itself once the registration shows the effect. A failure is the bridge
 * error's sentence (lib/errors), shown in the dialog.
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import type { StakeInfoT } from '../../../src-preload/contract';
import { errorText } from '../../lib/errors';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { Spinner } from '../../ui/Spinner';
import { TextField } from '../../ui/TextField';
import { shortHash } from './chain-format';
import { sendStake, useStakeStore } from './stake-actions';
import { minimumAmountText, parseStakeAmount, tokensText, unbondingText, type StakeAction } from './stake-format';

type Phase = 'form' | 'sending' | 'waiting';

const TITLE: Record<StakeAction, string> = { register: 'Register as a sealer', exit: 'Stop sealing?', withdraw: 'Withdraw your stake?' };

function Facts({ info, secPerBlock }: { info: StakeInfoT; secPerBlock: number | null }) {
  return (
    <ul className="stake-facts" data-testid="stake-facts">
      <li>
        <strong>The tokens are locked.</strong> While you are registered they stay in the staking contract: you cannot spend or send them.
      </li>
      <li>
        <strong>You earn sealing rewards.</strong> Every block your computer seals pays a reward to this account (it seals as set in “Seal blocks”).
      </li>
      <li>
        <strong>Leaving takes an unbonding delay.</strong> When you stop sealing, the stake stays locked for {unbondingText(secPerBlock, info.unbondingBlocks)} before you can
        withdraw it.
      </li>
      <li className="muted">The registration is a transaction: a small fee is paid from your wallet. The minimum stake is {tokensText(info.minStakeWei)}.</li>
    </ul>
  );
}

function Body({ action, info, secPerBlock }: { action: Exclude<StakeAction, 'register'>; info: StakeInfoT; secPerBlock: number | null }) {
  if (action === 'exit') {
    return (
      <>
        <p>Your computer stops sealing, and stops earning sealing rewards, from the next blocks on.</p>
        <p>
          Your stake of <strong>{tokensText(info.stakeWei)}</strong> stays locked while it unbonds for {unbondingText(secPerBlock, info.unbondingBlocks)}. After that, “Withdraw
          stake” pays it back to your wallet.
        </p>
      </>
    );
  }
  return (
    <>
      <p>
        <strong>{tokensText(info.stakeWei)}</strong> go back to your wallet, minus a small transaction fee.
      </p>
      <p className="muted">You can register as a sealer again at any time.</p>
    </>
  );
}

function Progress({ phase, txHash }: { phase: Phase; txHash: string | null }): ReactNode {
  if (phase === 'sending') {
    return (
      <p className="stake-progress" role="status" data-testid="stake-progress">
        <Spinner size={16} /> Signing and sending the transaction…
      </p>
    );
  }
  if (phase === 'waiting') {
    return (
      <div className="stake-progress" role="status" data-testid="stake-progress">
        <Spinner size={16} />
        <div>
          <p>Sent. Waiting for a block to include it…</p>
          <p className="muted">
            You can close this: the transaction goes on{txHash ? <> (<span className="mono">{shortHash(txHash)}</span>)</> : null}.
          </p>
        </div>
      </div>
    );
  }
  return null;
}

export function StakeDialog({ action, info: current, secPerBlock, onClose }: { action: StakeAction; info: StakeInfoT; secPerBlock: number | null; onClose(): void }) {
  const formId = useId();
  // The registration as it was when the dialog opened: the words stay put while the transaction lands.
  const [info] = useState(current);
  const pending = useStakeStore((s) => s.pending);
  const failed = useStakeStore((s) => s.failed);
  const [phase, setPhase] = useState<Phase>('form');
  const [error, setError] = useState<string | null>(null);
  const [txHash, setTxHash] = useState<string | null>(null);
  const [amount, setAmount] = useState(() => minimumAmountText(info.minStakeWei));
  const [showCheck, setShowCheck] = useState(false);
  const check = action === 'register' ? parseStakeAmount(amount, info.minStakeWei) : null;
  const amountError = check && !check.ok && showCheck ? check.error : undefined;

  // First focus: the amount, or the confirm button. React's autoFocus runs before Dialog's
  // showModal (a child's effect, so it ran before this one) and the browser then focuses the
  // first control (the close button); this effect comes after both.
  const amountRef = useRef<HTMLInputElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (phase === 'waiting') closeRef.current?.focus();
    else if (phase === 'form') (amountRef.current ?? confirmRef.current)?.focus();
  }, [phase]);

  // Once the transaction's effect shows (nothing pending any more), close; if it never showed, say so.
  useEffect(() => {
    if (phase !== 'waiting' || pending) return;
    if (failed) {
      setError(failed);
      setPhase('form');
    } else onClose();
  }, [phase, pending, failed, onClose]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (phase !== 'form') return;
    if (check && !check.ok) return setShowCheck(true);
    setPhase('sending');
    setError(null);
    try {
      const sent = await sendStake(action, check?.ok ? check.wei : undefined);
      setTxHash(sent.txHash);
      setPhase('waiting');
    } catch (err) {
      setError(errorText(err));
      setPhase('form');
    }
  };

  const confirmLabel =
    action === 'register' ? (check?.ok ? `Stake ${tokensText(check.wei.toString())} and register` : 'Register') : action === 'exit' ? 'Stop sealing' : `Withdraw ${tokensText(info.stakeWei)}`;
  const busy = phase === 'sending';
  return (
    <Dialog
      title={TITLE[action]}
      onClose={onClose}
      size="sm"
      dismissable={!busy}
      testId={`stake-dialog-${action}`}
      footer={
        phase === 'waiting' ? (
          <Button variant="primary" onClick={onClose} ref={closeRef} data-testid="stake-dialog-close">
            Close
          </Button>
        ) : (
          <>
            <Button variant="ghost" onClick={onClose} disabled={busy}>
              Cancel
            </Button>
            <Button
              type="submit"
              form={formId}
              variant={action === 'exit' ? 'danger' : 'primary'}
              busy={busy}
              ref={confirmRef}
              data-testid="confirm-action"
            >
              {confirmLabel}
            </Button>
          </>
        )
      }
    >
      <form id={formId} className="form confirm-body" onSubmit={submit} noValidate>
        {action === 'register' ? (
          <>
            <TextField
              label="Stake, in tokens"
              hint={`At least ${tokensText(info.minStakeWei)}.`}
              value={amount}
              error={amountError}
              errorTestId="stake-amount-error"
              inputMode="decimal"
              autoComplete="off"
              spellCheck={false}
              ref={amountRef}
              onFocus={(e) => e.currentTarget.select()}
              disabled={phase !== 'form'}
              data-testid="stake-amount"
              onChange={(e) => {
                setAmount(e.target.value);
                setShowCheck(true);
                setError(null);
              }}
            />
            <Facts info={info} secPerBlock={secPerBlock} />
          </>
        ) : (
          <Body action={action} info={info} secPerBlock={secPerBlock} />
        )}
        <Progress phase={phase} txHash={txHash} />
        {error && (
          <p className="form-error" role="alert" data-testid="stake-error">
            {error}
          </p>
        )}
      </form>
    </Dialog>
  );
}
