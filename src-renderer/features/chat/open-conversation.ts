/**
 * @module renderer/features/chat/open-conversation
 * Selecting a conversation: remember it and load its newest page unless already loaded.
 */
import { addrKey } from '../../lib/format';
import { loadThread } from './chat-actions';
import { useChatStore } from './chat-store';

export function openConversation(address: string | null): void {
  const chat = useChatStore.getState();
  chat.select(address);
  if (!address) return;
  const t = chat.threads[addrKey(address)];
  if (!t || t.status === 'error') void loadThread(address);
}
