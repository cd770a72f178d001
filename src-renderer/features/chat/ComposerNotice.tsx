/**
 * @module renderer/features/chat/ComposerNotice
 * Replaces the composer when you can't message this contact, explaining why and offering
 * the action that fixes it (accept, unblock).
 */
import { useState } from 'react';
import type { ContactT } from '../../../src-preload/contract';
import { useDialogStore } from '../../layout/dialog-store';
import { Button } from '../../ui/Button';
import { toast } from '../../ui/toast-store';
import { acceptRequest, declineRequest } from '../contacts/contact-actions';

export function ComposerNotice({ contact }: { contact: ContactT }) {
  const open = useDialogStore((s) => s.open);
  const [busy, setBusy] = useState<string | null>(null);
  const run = async (kind: string, fn: () => Promise<unknown>) => {
    setBusy(kind);
    try {
      await fn();
    } catch (e) {
      toast.error(e);
    } finally {
      setBusy(null);
    }
  };

  let text: string;
  let actions = null;
  switch (contact.state) {
    case 'pending_in':
      text = `${contact.name} wants to be your friend. Accept to start chatting.`;
      actions = (
        <>
          <Button variant="primary" busy={busy === 'accept'} disabled={busy !== null} onClick={() => run('accept', () => acceptRequest(contact.address))}>
            Accept
          </Button>
          <Button variant="ghost" busy={busy === 'decline'} disabled={busy !== null} onClick={() => run('decline', () => declineRequest(contact.address))}>
            Decline
          </Button>
        </>
      );
      break;
    case 'pending_out':
      text = `Waiting for ${contact.name} to accept your request. You can send messages once they do.`;
      break;
    case 'blocked':
      text = `You blocked ${contact.name}. Unblock them to send messages.`;
      actions = (
        <Button onClick={() => open({ kind: 'unblock', address: contact.address })} data-testid="notice-unblock">
          Unblock
        </Button>
      );
      break;
    case 'declined':
      text = `The friend request with ${contact.name} was declined. Add them again from an invite link to chat.`;
      break;
    default:
      text = 'You can only message people who accepted your request.';
  }
  return (
    <div className="composer-notice" role="note" data-testid="composer-disabled">
      <p>{text}</p>
      {actions && <div className="composer-notice-actions">{actions}</div>}
    </div>
  );
}
