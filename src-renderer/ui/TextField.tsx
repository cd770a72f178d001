/**
 * @module renderer/ui/TextField
 * Labelled inputs with hint and error text wired through `aria-describedby` /
 * `aria-invalid`: `TextField`, `PasswordField` (show/hide toggle) and `TextArea`.
 */
import { useId, useState } from 'react';
import type { InputHTMLAttributes, ReactNode, Ref, TextareaHTMLAttributes } from 'react';
import { IconEye, IconEyeOff } from './Icons';

type FieldShell = { label: ReactNode; hint?: ReactNode; error?: ReactNode; hideLabel?: boolean; errorTestId?: string };

function Shell({ id, label, hint, error, hideLabel, errorTestId, children }: FieldShell & { id: string; children: ReactNode }) {
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id} className={hideLabel ? 'visually-hidden' : 'field-label'}>
        {label}
      </label>
      {children}
      {error ? (
        <div id={`${id}-error`} className="field-error" role="alert" data-testid={errorTestId}>
          {error}
        </div>
      ) : hint ? (
        <div id={`${id}-hint`} className="field-hint">
          {hint}
        </div>
      ) : null}
    </div>
  );
}

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  if (error) return `${id}-error`;
  if (hint) return `${id}-hint`;
  return undefined;
}

export type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> & FieldShell & { ref?: Ref<HTMLInputElement> };

export function TextField({ label, hint, error, hideLabel, errorTestId, className, ...rest }: TextFieldProps) {
  const id = useId();
  return (
    <Shell id={id} label={label} hint={hint} error={error} hideLabel={hideLabel} errorTestId={errorTestId}>
      <input id={id} className={`input ${className ?? ''}`} aria-invalid={!!error || undefined} aria-describedby={describedBy(id, hint, error)} {...rest} />
    </Shell>
  );
}

export function PasswordField({ label, hint, error, hideLabel, errorTestId, className, ...rest }: Omit<TextFieldProps, 'type'>) {
  const id = useId();
  const [visible, setVisible] = useState(false);
  return (
    <Shell id={id} label={label} hint={hint} error={error} hideLabel={hideLabel} errorTestId={errorTestId}>
      <div className="input-with-action">
        <input
          id={id}
          type={visible ? 'text' : 'password'}
          className={`input ${className ?? ''}`}
          aria-invalid={!!error || undefined}
          aria-describedby={describedBy(id, hint, error)}
          autoComplete="off"
          spellCheck={false}
          {...rest}
        />
        <button
          type="button"
          className="input-action"
          aria-label={visible ? 'Hide password' : 'Show password'}
          title={visible ? 'Hide password' : 'Show password'}
          aria-pressed={visible}
          onClick={() => setVisible((v) => !v)}
        >
          {visible ? <IconEyeOff size={18} /> : <IconEye size={18} />}
        </button>
      </div>
    </Shell>
  );
}

export type TextAreaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'> & FieldShell & { ref?: Ref<HTMLTextAreaElement> };

export function TextArea({ label, hint, error, hideLabel, errorTestId, className, ...rest }: TextAreaProps) {
  const id = useId();
  return (
    <Shell id={id} label={label} hint={hint} error={error} hideLabel={hideLabel} errorTestId={errorTestId}>
      <textarea id={id} className={`input textarea ${className ?? ''}`} aria-invalid={!!error || undefined} aria-describedby={describedBy(id, hint, error)} {...rest} />
    </Shell>
  );
}
