/**
 * @module renderer/features/onboarding/UnlockScreen
 * Locked profile: who it is (name and address from AppState) and a password field. A
 * wrong password says so plainly and keeps everything else as it was.
 */
import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { errorCode, errorText } from '../../lib/errors';
import { shortAddress } from '../../lib/format';
import { Avatar } from '../../ui/Avatar';
import { Button } from '../../ui/Button';
import { PasswordField } from '../../ui/TextField';
import { useAppStore } from '../status/app-store';
import { unlock } from './account-actions';
import { OnboardingShell } from './OnboardingShell';

export function UnlockScreen() {
  const app = useAppStore((s) => s.app);
  const input = useRef<HTMLInputElement>(null);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!password) {
      setError('Enter your password.');
      input.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await unlock(password);
    } catch (err) {
      setBusy(false);
      setError(errorCode(err) === 'WRONG_PASSWORD' ? 'That password is not correct.' : errorText(err));
      window.setTimeout(() => input.current?.select(), 0);
    }
  };

  return (
    <OnboardingShell title={app?.name ? `Welcome back, ${app.name}` : 'Welcome back'} testId="unlock-screen">
      <div className="unlock-identity">
        <Avatar name={app?.name ?? null} address={app?.address ?? null} size="xl" />
        {app?.address && (
          <span className="unlock-address mono" title={app.address} data-testid="unlock-address">
            {shortAddress(app.address)}
          </span>
        )}
      </div>
      <form className="form" onSubmit={submit} noValidate>
        <PasswordField
          ref={input}
          label="Password"
          value={password}
          error={error ?? undefined}
          errorTestId="unlock-error"
          autoComplete="current-password"
          autoFocus
          disabled={busy}
          data-testid="unlock-password"
          onChange={(e) => {
            setPassword(e.target.value);
            if (error) setError(null);
          }}
        />
        <Button type="submit" variant="primary" size="lg" block busy={busy} data-testid="unlock-submit">
          {busy ? 'Unlocking…' : 'Unlock'}
        </Button>
      </form>
      <p className="fine-print center">Forgot your password? It can’t be reset. Restore the account from your recovery phrase in a new profile.</p>
    </OnboardingShell>
  );
}
