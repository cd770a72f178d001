/**
 * @module renderer/features/contacts/BlockDialog
 * Confirmation before blocking or unblocking someone.
 */
import type { ContactT } from '../../../src-preload/contract';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { blockContact, unblockContact } from './contact-actions';

export function BlockDialog({ contact, unblock, onClose }: { contact: ContactT; unblock: boolean; onClose(): void }) {
  if (unblock) {
    return (
      <ConfirmDialog
        title={`Unblock ${contact.name}?`}
        body={<p>{contact.name} will be able to message you again.</p>}
        confirmLabel="Unblock"
        testId="unblock-dialog"
        onClose={onClose}
        onConfirm={async () => {
          await unblockContact(contact.address);
        }}
      />
    );
  }
  return (
    <ConfirmDialog
      title={`Block ${contact.name}?`}
      body={
        <p>
          You won’t receive messages or requests from {contact.name}, and you can’t message them. You can unblock them later in
          Settings.
        </p>
      }
      confirmLabel="Block"
      danger
      testId="block-dialog"
      onClose={onClose}
      onConfirm={async () => {
        await blockContact(contact.address);
      }}
    />
  );
}
