/**
 * @module renderer/features/settings/ProfileSection
 * Your display name (`profile.setName`) and full address.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { call } from '../../bridge';
import { errorText } from '../../lib/errors';
import { Avatar } from '../../ui/Avatar';
import { Button } from '../../ui/Button';
import { CopyButton } from '../../ui/CopyButton';
import { TextField } from '../../ui/TextField';
import { toast } from '../../ui/toast-store';
import { useAppStore } from '../status/app-store';
import { applyAppState } from '../status/sync';

export function ProfileSection() {
  const app = useAppStore((s) => s.app);
  const [name, setName] = useState(app?.name ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const trimmed = name.trim();
  const changed = trimmed !== (app?.name ?? '');

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!trimmed) return setError('Enter the name your friends will see.');
    if (trimmed.length > 64) return setError('Use at most 64 characters.');
    setBusy(true);
    try {
      applyAppState(await call('profile.setName', { name: trimmed }));
      setError(null);
      toast.success('Name updated');
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="settings-section" aria-labelledby="settings-profile">
      <h3 id="settings-profile">Profile</h3>
      <div className="settings-profile">
        <Avatar name={trimmed || app?.name || null} address={app?.address ?? null} size="lg" />
        <form className="settings-name-form" onSubmit={save} noValidate>
          <TextField
            label="Display name"
            hint="Friends see this name when you add them."
            value={name}
            error={error ?? undefined}
            maxLength={64}
            disabled={busy}
            data-testid="settings-name-input"
            onChange={(e) => {
              setName(e.target.value);
              setError(null);
            }}
          />
          <Button type="submit" variant="primary" disabled={!changed} busy={busy} data-testid="settings-name-save">
            Save
          </Button>
        </form>
      </div>
      {app?.address && (
        <div className="settings-address">
          <span className="field-label">Your address</span>
          <div className="address-line">
            <code className="mono" data-testid="settings-address">
              {app.address}
            </code>
            <CopyButton value={app.address} label="Copy your address" />
          </div>
        </div>
      )}
    </section>
  );
}
