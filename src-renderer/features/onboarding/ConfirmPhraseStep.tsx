/**
 * @module renderer/features/onboarding/ConfirmPhraseStep
 * Create, step 3 of 3: type three randomly chosen words of the phrase, then the account is
 * created (`account.create`). Proves the phrase was really written down before it is gone
 * from the screen for good.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { errorCode, errorText } from '../../lib/errors';
import { splitWords } from '../../lib/mnemonic';
import { Button } from '../../ui/Button';
import { TextField } from '../../ui/TextField';
import { refreshAppState } from '../status/sync';
import { createAccount } from './account-actions';
import { OnboardingShell } from './OnboardingShell';
import { useOnboardingStore } from './onboarding-store';

export function ConfirmPhraseStep() {
  const { mnemonic, positions, name, password, go } = useOnboardingStore();
  const words = (mnemonic ?? '').split(' ');
  const [answers, setAnswers] = useState<Record<number, string>>({});
  const [checked, setChecked] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ code: string; text: string } | null>(null);

  const isRight = (pos: number) => splitWords(answers[pos] ?? '').join(' ') === words[pos - 1];
  const allRight = positions.every(isRight);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    if (!allRight || !mnemonic) return;
    setBusy(true);
    setError(null);
    try {
      await createAccount(mnemonic, password, name);
    } catch (err) {
      setBusy(false);
      setError({ code: errorCode(err), text: errorText(err) });
      if (errorCode(err) === 'ACCOUNT_EXISTS') void refreshAppState();
    }
  };

  return (
    <OnboardingShell
      title="Confirm your recovery phrase"
      lead="Enter these words from the phrase you wrote down."
      step={{ index: 3, total: 3 }}
      onBack={busy ? undefined : () => go('create-phrase')}
      testId="onboarding-confirm"
    >
      <form className="form" onSubmit={submit} noValidate>
        <div className="confirm-grid">
          {positions.map((pos, i) => (
            <TextField
              key={pos}
              label={`Word #${pos}`}
              value={answers[pos] ?? ''}
              error={checked && !isRight(pos) ? 'That’s not the right word.' : undefined}
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              autoFocus={i === 0}
              disabled={busy}
              data-testid={`confirm-word-${pos}`}
              data-position={pos}
              onChange={(e) => setAnswers((a) => ({ ...a, [pos]: e.target.value }))}
            />
          ))}
        </div>
        {error && (
          <div className="form-error" role="alert" data-testid="onboarding-error">
            {error.text}
            {error.code === 'WEAK_PASSWORD' && (
              <Button size="sm" variant="ghost" onClick={() => go('create-profile')}>
                Choose another password
              </Button>
            )}
          </div>
        )}
        <Button type="submit" variant="primary" size="lg" block busy={busy} data-testid="confirm-submit">
          {busy ? 'Creating your account…' : 'Create account'}
        </Button>
        <Button variant="ghost" block disabled={busy} onClick={() => go('create-phrase')}>
          Show the words again
        </Button>
      </form>
    </OnboardingShell>
  );
}
