/**
 * @module renderer/features/contacts/AddFriendTab
 * "Add a friend": paste their invite link → `contacts.add` → request sent.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { errorText } from '../../lib/errors';
import { Button } from '../../ui/Button';
import { TextArea } from '../../ui/TextField';
import { addFriend } from './contact-actions';

export function AddFriendTab({ onAdded }: { onAdded(address: string): void }) {
  const [invite, setInvite] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!invite.trim()) {
      setError('Paste the invite link your friend sent you.');
      return;
    }
    if (invite.trim().length > 4096) {
      setError('That is too long to be an invite link.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const contact = await addFriend(invite);
      onAdded(contact.address);
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={submit} noValidate>
      <TextArea
        label="Friend’s invite link"
        hint="Ask your friend for the link under “Your invite” in their BitUnicom."
        rows={4}
        value={invite}
        error={error ?? undefined}
        errorTestId="add-friend-error"
        autoFocus
        spellCheck={false}
        autoComplete="off"
        disabled={busy}
        data-testid="add-friend-input"
        onChange={(e) => {
          setInvite(e.target.value);
          if (error) setError(null);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            e.currentTarget.form?.requestSubmit();
          }
        }}
      />
      <Button type="submit" variant="primary" block busy={busy} data-testid="add-friend-submit">
        {busy ? 'Sending request…' : 'Send friend request'}
      </Button>
    </form>
  );
}
