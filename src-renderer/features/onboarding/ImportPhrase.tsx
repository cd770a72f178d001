/**
 * @module renderer/features/onboarding/ImportPhrase
 * Restore from a recovery phrase (`account.importMnemonic`). The phrase is checked as it
 * is typed (word count, unknown words, checksum) so mistakes show before submitting.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { errorCode, errorText } from '../../lib/errors';
import { checkPhrase } from '../../lib/mnemonic';
import { Button } from '../../ui/Button';
import { TextArea } from '../../ui/TextField';
import { refreshAppState } from '../status/sync';
import { importMnemonic } from './account-actions';
import { OnboardingShell } from './OnboardingShell';
import { useOnboardingStore } from './onboarding-store';
import { EMPTY_PROFILE, ProfileFields, validateProfile } from './ProfileFields';
import type { ProfileErrors, ProfileValues } from './ProfileFields';

export function ImportPhrase() {
  const reset = useOnboardingStore((s) => s.reset);
  const [phrase, setPhrase] = useState('');
  const [profile, setProfile] = useState<ProfileValues>(EMPTY_PROFILE);
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<{ field: 'phrase' | 'password' | 'form'; text: string } | null>(null);

  const check = checkPhrase(phrase);
  const profileErrors: ProfileErrors = submitted ? validateProfile(profile) : {};
  if (serverError?.field === 'password') profileErrors.password = serverError.text;
  const phraseBad = check.status === 'unknown-words' || check.status === 'bad-checksum' || check.status === 'bad-length';
  const phraseError = serverError?.field === 'phrase' ? serverError.text : (submitted || phraseBad) && check.status !== 'valid' ? check.message : undefined;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (check.status !== 'valid' || Object.keys(validateProfile(profile)).length > 0) return;
    setBusy(true);
    setServerError(null);
    try {
      await importMnemonic(phrase, profile.password, profile.name);
    } catch (err) {
      setBusy(false);
      const code = errorCode(err);
      const field = code === 'BAD_MNEMONIC' ? 'phrase' : code === 'WEAK_PASSWORD' ? 'password' : 'form';
      setServerError({ field, text: errorText(err) });
      if (code === 'ACCOUNT_EXISTS') void refreshAppState();
    }
  };

  return (
    <OnboardingShell
      title="Restore your account"
      lead="Enter your recovery phrase: the 12 or 24 words you wrote down, in order."
      onBack={busy ? undefined : reset}
      testId="onboarding-import-phrase"
    >
      <form className="form" onSubmit={submit} noValidate>
        <TextArea
          label="Recovery phrase"
          rows={3}
          value={phrase}
          error={phraseError}
          hint={<span className={check.status === 'valid' ? 'ok-text' : undefined}>{check.message}</span>}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          autoFocus
          disabled={busy}
          data-testid="import-phrase-input"
          data-status={check.status}
          onChange={(e) => {
            setPhrase(e.target.value);
            if (serverError?.field === 'phrase') setServerError(null);
          }}
        />
        <ProfileFields values={profile} errors={profileErrors} onChange={setProfile} disabled={busy} />
        {serverError?.field === 'form' && (
          <p className="form-error" role="alert" data-testid="onboarding-error">
            {serverError.text}
          </p>
        )}
        <Button type="submit" variant="primary" size="lg" block busy={busy} data-testid="import-submit">
          {busy ? 'Restoring…' : 'Restore account'}
        </Button>
      </form>
    </OnboardingShell>
  );
}
