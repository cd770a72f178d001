/**
 * @module renderer/features/node/StakeRow
 * The Sealing card's "Stake" row (issue 9, seed 003's pledge): the user's registration as a
 * sealer in PoeStaking — "Registered — 100 tokens staked", "Not registered — sealing earns
 * nothing until you stake (minimum 100)", "Leaving — withdrawable from block N (now M)" — and
 * the one action that fits it: "Register as a sealer", "Stop sealing" or "Withdraw stake"
 * (each confirmed in StakeDialog). A button that cannot be pressed says why next to it
 * (locked account, a transaction still pending, the stake still unbonding). The registration
 * is read again on every new block (the `node.status` event moves the head) and, while a
 * transaction of ours is pending, every second until its effect shows (stake-actions).
 */
import { useEffect, useId, useState } from 'react';
import type { NodeStatusT } from '../../../src-preload/contract';
import { Button } from '../../ui/Button';
import { Spinner } from '../../ui/Spinner';
import { refreshStake, useStakeStore } from './stake-actions';
import { stakeButton, stakeLine, type StakeAction } from './stake-format';
import { StakeDialog } from './StakeDialog';

const PENDING_TEXT: Record<StakeAction, string> = {
  register: 'Registering — waiting for the transaction to be in a block…',
  exit: 'Leaving — waiting for the transaction to be in a block…',
  withdraw: 'Withdrawing — waiting for the transaction to be in a block…',
};

const POLL_MS = 1000;

export function StakeRow({ status }: { status: NodeStatusT }) {
  const info = useStakeStore((s) => s.info);
  const loadError = useStakeStore((s) => s.loadError);
  const pending = useStakeStore((s) => s.pending);
  const failed = useStakeStore((s) => s.failed);
  const [dialog, setDialog] = useState<StakeAction | null>(null);
  const reasonId = useId();
  const head = status.chain?.head.number ?? null;
  const unlocked = status.phase === 'unlocked';
  const secPerBlock = status.chain?.blockTimeSec ?? status.chain?.intervalSec ?? null;

  useEffect(() => {
    void refreshStake();
  }, [head, unlocked]);
  useEffect(() => {
    if (!pending) return;
    const t = window.setInterval(() => void refreshStake(), POLL_MS);
    return () => window.clearInterval(t);
  }, [pending]);

  const line = info ? stakeLine(info) : null;
  const button = stakeButton({ info, unlocked, pending: pending !== null, secPerBlock });
  return (
    <div className="node-row stake-row" data-testid="stake-row" data-status={info?.status ?? 'unknown'}>
      <div className="node-row-text">
        <div className="node-row-title">Stake</div>
        <div className="stake-line" data-testid="stake-status" data-tone={line?.tone ?? 'none'}>
          {line ? line.value : loadError ? 'Unknown' : 'Reading your registration…'}
        </div>
        {pending && (
          <p className="stake-pending" role="status" data-testid="stake-pending">
            <Spinner size={14} /> {PENDING_TEXT[pending.action]}
          </p>
        )}
        {failed && !pending && (
          <p className="form-error" role="alert" data-testid="stake-failed">
            {failed}
          </p>
        )}
        {loadError && (
          <p className="muted" data-testid="stake-load-error">
            Your registration could not be read: {loadError}
          </p>
        )}
      </div>
      {button && (
        <div className="stake-action">
          <Button
            variant={button.action === 'register' ? 'primary' : 'secondary'}
            disabled={button.disabledReason !== null}
            aria-describedby={button.disabledReason ? reasonId : undefined}
            onClick={() => setDialog(button.action)}
            data-testid={`stake-${button.action}`}
          >
            {button.label}…
          </Button>
          {button.disabledReason && (
            <p id={reasonId} className="stake-reason" data-testid="stake-disabled-reason">
              {button.disabledReason}
            </p>
          )}
        </div>
      )}
      {dialog && info && <StakeDialog action={dialog} info={info} secPerBlock={secPerBlock} onClose={() => setDialog(null)} />}
    </div>
  );
}
