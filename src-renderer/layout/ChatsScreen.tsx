/**
 * @module renderer/layout/ChatsScreen
 * The messenger: conversation sidebar | open conversation (the rail's "Chats" entry).
 */
import { ConversationView } from '../features/chat/ConversationView';
import { Sidebar } from '../features/contacts/Sidebar';

export function ChatsScreen() {
  return (
    <div className="chats-screen" data-testid="chats-screen">
      <Sidebar />
      <ConversationView />
    </div>
  );
}
