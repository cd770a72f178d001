/**
 * @module renderer/features/wallet/FormDialog
 * The Wallet screen's small forms in one shape: a Dialog whose body is a form (Enter
 * submits, Esc closes), a primary button that shows progress while the async submit runs
 * (the dialog cannot be dismissed meanwhile), and the bridge error's sentence under the fields.
 */
import { useId, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { errorText } from '../../lib/errors';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';

type Props = {
  title: string;
  submitLabel: string;
  testId: string;
  /** Resolves to close the dialog; throws to show the error. Returning false keeps it open silently. */
  onSubmit(): Promise<boolean | void>;
  onClose(): void;
  children: ReactNode;
  disabled?: boolean;
  danger?: boolean;
  description?: ReactNode;
  extraActions?: ReactNode;
  size?: 'sm' | 'md' | 'lg';
};

export function FormDialog({ title, submitLabel, testId, onSubmit, onClose, children, disabled, danger, description, extraActions, size = 'sm' }: Props) {
  const formId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy || disabled) return;
    setBusy(true);
    setError(null);
    try {
      const keep = (await onSubmit()) === false;
      setBusy(false);
      if (!keep) onClose();
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={title}
      onClose={onClose}
      size={size}
      dismissable={!busy}
      testId={testId}
      description={description}
      footer={
        <>
          {extraActions}
          <Button variant="ghost" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" form={formId} variant={danger ? 'danger' : 'primary'} busy={busy} disabled={disabled} data-testid={`${testId}-submit`}>
            {submitLabel}
          </Button>
        </>
      }
    >
      <form id={formId} className="form" onSubmit={submit} noValidate>
        {children}
        {error && (
          <p className="form-error" role="alert" data-testid={`${testId}-error`}>
            {error}
          </p>
        )}
      </form>
    </Dialog>
  );
}
