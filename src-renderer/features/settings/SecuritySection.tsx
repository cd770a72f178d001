/**
 * @module renderer/features/settings/SecuritySection
 * Export the identity key as an encrypted keystore file (`account.exportKeystore`, the
 * node re-checks the password) and lock the app now (`account.lock`).
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { call } from '../../bridge';
import { downloadText } from '../../lib/browser';
import { errorCode, errorText } from '../../lib/errors';
import { Button } from '../../ui/Button';
import { IconDownload, IconLock } from '../../ui/Icons';
import { PasswordField } from '../../ui/TextField';
import { toast } from '../../ui/toast-store';
import { lock } from '../onboarding/account-actions';

export function SecuritySection({ onLocked }: { onLocked(): void }) {
  const [password, setPassword] = useState('');
  const [exporting, setExporting] = useState(false);
  const [locking, setLocking] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const exportKeystore = async (e: FormEvent) => {
    e.preventDefault();
    if (!password) return setError('Enter your password to export.');
    setExporting(true);
    setError(null);
    try {
      const { filename, keystore } = await call('account.exportKeystore', { password });
      downloadText(filename, keystore);
      setPassword('');
      toast.success(`Keystore saved as ${filename}`);
    } catch (err) {
      setError(errorCode(err) === 'WRONG_PASSWORD' ? 'That password is not correct.' : errorText(err));
    } finally {
      setExporting(false);
    }
  };

  const lockNow = async () => {
    setLocking(true);
    try {
      await lock();
      onLocked();
    } catch (err) {
      toast.error(err);
      setLocking(false);
    }
  };

  return (
    <section className="settings-section" aria-labelledby="settings-security">
      <h3 id="settings-security">Security</h3>
      <form className="settings-export" onSubmit={exportKeystore} noValidate>
        <p className="muted">
          Download your account key as an encrypted keystore file (Web3 Secret Storage). It is protected by your current password; keep it as a
          backup alongside your recovery phrase.
        </p>
        <div className="inline-form">
          <PasswordField
            label="Current password"
            value={password}
            error={error ?? undefined}
            errorTestId="export-error"
            autoComplete="current-password"
            disabled={exporting}
            data-testid="export-password-input"
            onChange={(e) => {
              setPassword(e.target.value);
              setError(null);
            }}
          />
          <Button type="submit" icon={<IconDownload size={18} />} busy={exporting} data-testid="export-keystore">
            Export keystore
          </Button>
        </div>
      </form>
      <div className="settings-row">
        <div>
          <div className="settings-row-title">Lock BitUnicom</div>
          <div className="muted">Your password will be needed to open it again.</div>
        </div>
        <Button icon={<IconLock size={18} />} busy={locking} onClick={lockNow} data-testid="lock-button">
          Lock now
        </Button>
      </div>
    </section>
  );
}
