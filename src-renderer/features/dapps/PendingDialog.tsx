/**
 * @module renderer/features/dapps/PendingDialog
 * The confirm dialog of one provider request (kinds connect / personal-sign / typed-data /
 * transaction / switch-chain / channel). Approve sends `dapps.providerDecide` with the
 * accounts or friends ticked; Reject, Escape, the close button and the backdrop reject (the
 * dapp gets EIP-1193 4001). First focus is on Reject, so Enter approves only when the user
 * has moved to Approve. While the decision is on its way the dialog stays and cannot be
 * dismissed; a failure is shown inside it.
 */
import { useState } from 'react';
import type { PendingRequestT } from '../../../src-preload/contract';
import { errorText } from '../../lib/errors';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { approveBlocker, approveLabel, initialChoice, kindMeaning, queueLabel } from './pending-format';
import type { Choice } from './pending-format';
import { Choices, Context, DecodedCall, RequestOrigin, Rows, Warnings } from './PendingParts';
import { decide } from './pending-store';

type Props = { req: PendingRequestT; position: number; total: number };

export function PendingDialog({ req, position, total }: Props) {
  const [choice, setChoice] = useState<Choice>(() => initialChoice(req));
  const [busy, setBusy] = useState<'approve' | 'reject' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const blocker = approveBlocker(req, choice);

  const answer = async (approve: boolean) => {
    if (busy || (approve && blocker)) return;
    setBusy(approve ? 'approve' : 'reject');
    setError(null);
    try {
      await decide(req, { approve, accounts: choice.accounts, friends: choice.friends });
    } catch (e) {
      setError(errorText(e));
      setBusy(null);
    }
  };

  const queue = queueLabel(position, total);
  return (
    <Dialog
      title={req.title}
      onClose={() => void answer(false)}
      size="md"
      dismissable={busy === null}
      testId="pending-dialog"
      description={queue ?? undefined}
      footer={
        <>
          {blocker && (
            <span className="pending-blocker muted" id={`blocker-${req.id}`}>
              {blocker}
            </span>
          )}
          <Button variant="ghost" onClick={() => void answer(false)} busy={busy === 'reject'} disabled={busy === 'approve'} data-testid="pending-reject" data-autofocus>
            Reject
          </Button>
          <Button
            variant="primary"
            onClick={() => void answer(true)}
            busy={busy === 'approve'}
            disabled={!!blocker || busy === 'reject'}
            aria-describedby={blocker ? `blocker-${req.id}` : undefined}
            data-testid="pending-approve"
          >
            {approveLabel(req.kind)}
          </Button>
        </>
      }
    >
      <div className="pending-body" data-kind={req.kind} data-request-id={req.id}>
        <RequestOrigin req={req} />
        <p className="pending-meaning">{kindMeaning(req.kind)}</p>
        <Context req={req} />
        <Warnings warnings={req.warnings} />
        <Rows rows={req.rows} label="Details" />
        {req.call && <DecodedCall call={req.call} rows={req.rows} />}
        {req.kind === 'connect' && (
          <Choices legend="Accounts to connect" items={req.choices} chosen={choice.accounts} onChange={(accounts) => setChoice((c) => ({ ...c, accounts }))} testId="pending-accounts" />
        )}
        {req.kind === 'channel' && (
          <Choices legend="Friends it may message" items={req.friends} chosen={choice.friends} onChange={(friends) => setChoice((c) => ({ ...c, friends }))} testId="pending-friends" />
        )}
        {error && (
          <p className="form-error" role="alert" data-testid="pending-error">
            {error}
          </p>
        )}
      </div>
    </Dialog>
  );
}
