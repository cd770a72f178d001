/**
 * @module renderer/features/onboarding/ImportKeystore
 * Import from a keystore V3 file (`account.importKeystore`): pick the file, enter the
 * password that protects it, then the display name and a password for this device.
 */
import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { errorCode, errorText } from '../../lib/errors';
import { shortAddress } from '../../lib/format';
import { Button } from '../../ui/Button';
import { IconFile } from '../../ui/Icons';
import { PasswordField } from '../../ui/TextField';
import { refreshAppState } from '../status/sync';
import { importKeystore } from './account-actions';
import { readKeystoreFile } from './keystore-file';
import type { KeystoreFile } from './keystore-file';
import { OnboardingShell } from './OnboardingShell';
import { useOnboardingStore } from './onboarding-store';
import { EMPTY_PROFILE, ProfileFields, validateProfile } from './ProfileFields';
import type { ProfileErrors, ProfileValues } from './ProfileFields';

type Field = 'file' | 'keystorePassword' | 'password' | 'form';

export function ImportKeystore() {
  const reset = useOnboardingStore((s) => s.reset);
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<KeystoreFile | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [keystorePassword, setKeystorePassword] = useState('');
  const [profile, setProfile] = useState<ProfileValues>(EMPTY_PROFILE);
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<{ field: Field; text: string } | null>(null);

  const errorFor = (f: Field) => (serverError?.field === f ? serverError.text : undefined);
  const profileErrors: ProfileErrors = submitted ? validateProfile(profile) : {};
  if (errorFor('password')) profileErrors.password = errorFor('password');
  const fileMessage = fileError ?? errorFor('file') ?? (submitted && !file ? 'Choose your keystore file.' : undefined);
  const ksPasswordError = errorFor('keystorePassword') ?? (submitted && !keystorePassword ? 'Enter the password of the keystore file.' : undefined);

  const pick = async (f: File | undefined) => {
    setServerError(null);
    if (!f) return;
    const result = await readKeystoreFile(f);
    if (result.ok) {
      setFile(result.file);
      setFileError(null);
    } else {
      setFile(null);
      setFileError(result.error);
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!file || !keystorePassword || Object.keys(validateProfile(profile)).length > 0) return;
    setBusy(true);
    setServerError(null);
    try {
      await importKeystore(file.text, keystorePassword, profile.password, profile.name);
    } catch (err) {
      setBusy(false);
      const code = errorCode(err);
      if (code === 'WRONG_PASSWORD') setServerError({ field: 'keystorePassword', text: 'That password doesn’t open this keystore file.' });
      else if (code === 'BAD_KEYSTORE') setServerError({ field: 'file', text: errorText(err) });
      else if (code === 'WEAK_PASSWORD') setServerError({ field: 'password', text: errorText(err) });
      else setServerError({ field: 'form', text: errorText(err) });
      if (code === 'ACCOUNT_EXISTS') void refreshAppState();
    }
  };

  return (
    <OnboardingShell
      title="Import a keystore file"
      lead="Use an encrypted key file (Web3 Secret Storage, version 3) exported from BitUnicom or an Ethereum wallet."
      onBack={busy ? undefined : reset}
      testId="onboarding-import-keystore"
    >
      <form className="form" onSubmit={submit} noValidate>
        <div className={`field${fileMessage ? ' field-invalid' : ''}`}>
          <span className="field-label" id="keystore-file-label">
            Keystore file
          </span>
          <div className="file-pick">
            <Button icon={<IconFile size={18} />} onClick={() => input.current?.click()} disabled={busy} aria-describedby="keystore-file-label">
              {file ? 'Choose another file' : 'Choose file…'}
            </Button>
            <span className="file-name" data-testid="keystore-file-name">
              {file ? `${file.name}${file.address ? ` · ${shortAddress(file.address)}` : ''}` : 'No file chosen'}
            </span>
          </div>
          <input
            ref={input}
            type="file"
            className="visually-hidden"
            tabIndex={-1}
            aria-labelledby="keystore-file-label"
            data-testid="keystore-file-input"
            onChange={(e) => {
              void pick(e.target.files?.[0]);
              e.target.value = '';
            }}
          />
          {fileMessage && (
            <div className="field-error" role="alert">
              {fileMessage}
            </div>
          )}
        </div>
        <PasswordField
          label="Keystore password"
          hint="The password that protects this file."
          value={keystorePassword}
          error={ksPasswordError}
          disabled={busy}
          data-testid="keystore-password-input"
          onChange={(e) => {
            setKeystorePassword(e.target.value);
            if (serverError?.field === 'keystorePassword') setServerError(null);
          }}
        />
        <ProfileFields values={profile} errors={profileErrors} onChange={setProfile} disabled={busy} passwordLabel="New password for this device" />
        {serverError?.field === 'form' && (
          <p className="form-error" role="alert" data-testid="onboarding-error">
            {serverError.text}
          </p>
        )}
        <Button type="submit" variant="primary" size="lg" block busy={busy} data-testid="import-submit">
          {busy ? 'Importing…' : 'Import account'}
        </Button>
      </form>
    </OnboardingShell>
  );
}
