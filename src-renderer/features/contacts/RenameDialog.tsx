/**
 * @module renderer/features/contacts/RenameDialog
 * Give a contact a local name (only you see it).
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { ContactT } from '../../../src-preload/contract';
import { errorText } from '../../lib/errors';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { TextField } from '../../ui/TextField';
import { toast } from '../../ui/toast-store';
import { renameContact } from './contact-actions';

export function RenameDialog({ contact, onClose }: { contact: ContactT; onClose(): void }) {
  const [name, setName] = useState(contact.name);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return setError('Enter a name.');
    if (trimmed.length > 64) return setError('Use at most 64 characters.');
    if (trimmed === contact.name) return onClose();
    setBusy(true);
    try {
      await renameContact(contact.address, trimmed);
      toast.success(`Renamed to ${trimmed}`);
      onClose();
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };

  return (
    <Dialog title={`Rename ${contact.name}`} onClose={onClose} size="sm" dismissable={!busy} testId="rename-dialog">
      <form className="form" onSubmit={submit} noValidate>
        <TextField
          label="Name"
          hint="Only you see this name."
          value={name}
          error={error ?? undefined}
          maxLength={64}
          autoFocus
          data-autofocus
          onFocus={(e) => e.currentTarget.select()}
          disabled={busy}
          data-testid="rename-input"
          onChange={(e) => {
            setName(e.target.value);
            setError(null);
          }}
        />
        <div className="form-actions">
          <Button variant="ghost" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" busy={busy} data-testid="rename-save">
            Save
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
