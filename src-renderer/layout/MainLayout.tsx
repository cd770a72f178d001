/**
 * @module renderer/layout/MainLayout
 * The unlocked app: sidebar | conversation, the dialogs, and the global shortcuts.
 */
import { ConversationView } from '../features/chat/ConversationView';
import { Sidebar } from '../features/contacts/Sidebar';
import { DialogHost } from './DialogHost';
import { useShortcuts } from './use-shortcuts';
import { useUnreadTitle } from './use-unread-title';

export function MainLayout() {
  useShortcuts();
  useUnreadTitle();
  return (
    <div className="main-layout" data-testid="main-layout">
      <Sidebar />
      <ConversationView />
      <DialogHost />
    </div>
  );
}
