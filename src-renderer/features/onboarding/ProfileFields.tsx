/**
 * @module renderer/features/onboarding/ProfileFields
 * Display name + new password + confirmation, shared by "create" and both imports. The
 * parent owns the values; `validateProfile` gives the errors shown after a submit attempt.
 */
import { MIN_PASSWORD } from '../../lib/password';
import { PasswordField, TextField } from '../../ui/TextField';
import { PasswordStrength } from './PasswordStrength';

export type ProfileValues = { name: string; password: string; confirm: string };
export type ProfileErrors = Partial<Record<keyof ProfileValues, string>>;

export const EMPTY_PROFILE: ProfileValues = { name: '', password: '', confirm: '' };

export function validateProfile(v: ProfileValues): ProfileErrors {
  const errors: ProfileErrors = {};
  const name = v.name.trim();
  if (!name) errors.name = 'Enter the name your friends will see.';
  else if (name.length > 64) errors.name = 'Use at most 64 characters.';
  if (v.password.length < MIN_PASSWORD) errors.password = `Use at least ${MIN_PASSWORD} characters.`;
  else if (v.password.length > 1024) errors.password = 'That password is too long.';
  if (!errors.password && v.confirm !== v.password) errors.confirm = 'The passwords don’t match.';
  return errors;
}

type Props = {
  values: ProfileValues;
  errors: ProfileErrors;
  onChange(values: ProfileValues): void;
  disabled?: boolean;
  passwordLabel?: string;
  autoFocusName?: boolean;
};

export function ProfileFields({ values, errors, onChange, disabled, passwordLabel = 'Password', autoFocusName }: Props) {
  const set = (patch: Partial<ProfileValues>) => onChange({ ...values, ...patch });
  return (
    <>
      <TextField
        label="Display name"
        hint="Shown to the friends you add. You can change it later."
        value={values.name}
        error={errors.name}
        maxLength={64}
        autoComplete="nickname"
        autoFocus={autoFocusName}
        disabled={disabled}
        data-testid="name-input"
        onChange={(e) => set({ name: e.target.value })}
      />
      <PasswordField
        label={passwordLabel}
        value={values.password}
        error={errors.password}
        autoComplete="new-password"
        disabled={disabled}
        data-testid="password-input"
        onChange={(e) => set({ password: e.target.value })}
      />
      <PasswordStrength password={values.password} />
      <PasswordField
        label="Confirm password"
        value={values.confirm}
        error={errors.confirm}
        autoComplete="new-password"
        disabled={disabled}
        data-testid="password-confirm-input"
        onChange={(e) => set({ confirm: e.target.value })}
      />
      <p className="fine-print">
        This password unlocks BitUnicom on this device. It can’t be recovered — only your recovery phrase can restore the account.
      </p>
    </>
  );
}
