/**
 * @module renderer/layout/DialogHost
 * Renders whichever app-level dialog the dialog store says is open.
 */
import { AddFriendDialog } from '../features/contacts/AddFriendDialog';
import { BlockDialog } from '../features/contacts/BlockDialog';
import { contactOf, useContactsStore } from '../features/contacts/contacts-store';
import { RenameDialog } from '../features/contacts/RenameDialog';
import { SettingsPanel } from '../features/settings/SettingsPanel';
import { useDialogStore } from './dialog-store';

export function DialogHost() {
  const dialog = useDialogStore((s) => s.dialog);
  const close = useDialogStore((s) => s.close);
  const byKey = useContactsStore((s) => s.byKey);
  if (!dialog) return null;
  switch (dialog.kind) {
    case 'add-friend':
      return <AddFriendDialog initialTab={dialog.tab} onClose={close} />;
    case 'settings':
      return <SettingsPanel onClose={close} />;
    case 'rename':
    case 'block':
    case 'unblock': {
      const contact = contactOf(byKey, dialog.address);
      if (!contact) return null;
      if (dialog.kind === 'rename') return <RenameDialog contact={contact} onClose={close} />;
      return <BlockDialog contact={contact} unblock={dialog.kind === 'unblock'} onClose={close} />;
    }
  }
}
