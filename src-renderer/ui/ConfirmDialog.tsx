/**
 * @module renderer/ui/ConfirmDialog
 * "Are you sure?" for destructive or consequential actions. The confirm callback may be
 * async: the button shows progress and the dialog stays until it settles; a failure is
 * shown inside the dialog.
 */
import { useState } from 'react';
import type { ReactNode } from 'react';
import { errorText } from '../lib/errors';
import { Button } from './Button';
import { Dialog } from './Dialog';

type Props = {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onConfirm(): Promise<void> | void;
  onClose(): void;
  testId?: string;
};

export function ConfirmDialog({ title, body, confirmLabel, danger = false, onConfirm, onClose, testId }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={title}
      onClose={onClose}
      size="sm"
      dismissable={!busy}
      testId={testId}
      footer={
        <>
          <Button variant="ghost" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button variant={danger ? 'danger' : 'primary'} onClick={confirm} busy={busy} data-testid="confirm-action" autoFocus data-autofocus>
            {confirmLabel}
          </Button>
        </>
      }
    >
      <div className="confirm-body">{body}</div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
