/**
 * @module renderer/features/dapps/FeedbackDialogs
 * Rate (1–5 stars) and Report (a reason), each confirmed: both are transactions to the
 * DappRegistry from the selected wallet account (the node signs them), so the dialog says
 * so and stays until the node answers; a refusal is shown inside it.
 */
import { useState } from 'react';
import { FormDialog } from '../wallet/FormDialog';
import { rateDapp, reportDapp } from './dapp-actions';
import { REPORT_REASONS } from './dapp-format';
import type { ReportReason } from './dapp-format';
import { StarPicker } from './Stars';

type Base = { appId: string; name: string; onClose(): void };

export function RateDialog({ appId, name, current, onClose }: Base & { current: number | null }) {
  const [stars, setStars] = useState(current ?? 0);
  return (
    <FormDialog
      title={`Rate ${name}`}
      submitLabel="Send rating"
      testId="rate-dialog"
      disabled={stars < 1}
      onClose={onClose}
      onSubmit={() => rateDapp(appId, stars)}
      description="Your rating is public and recorded on chain: it is a transaction from your selected account and costs a small network fee. Rating again replaces it."
    >
      <StarPicker value={stars} onChange={setStars} label={`Stars for ${name}`} />
    </FormDialog>
  );
}

export function ReportDialog({ appId, name, onClose }: Base) {
  const [reason, setReason] = useState<ReportReason | null>(null);
  return (
    <FormDialog
      title={`Report ${name}`}
      submitLabel="Send report"
      danger
      testId="report-dialog"
      disabled={!reason}
      onClose={onClose}
      onSubmit={() => reportDapp(appId, reason!)}
      description="Reports are public and recorded on chain (a transaction from your selected account, with a small network fee). Other people see how many reports a dapp has, and why."
    >
      <fieldset className="report-reasons">
        <legend className="field-label">Why?</legend>
        {REPORT_REASONS.map((r) => (
          <label key={r.key} className={`report-reason${reason === r.key ? ' is-on' : ''}`}>
            <input type="radio" name="report-reason" value={r.key} checked={reason === r.key} onChange={() => setReason(r.key)} data-testid={`report-${r.key}`} />
            <span>
              <strong>{r.label}</strong>
              <span className="muted"> {r.sentence}</span>
            </span>
          </label>
        ))}
      </fieldset>
    </FormDialog>
  );
}
