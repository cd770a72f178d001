/**
 * @module renderer/features/chat/chat-actions
 * Bridge calls for conversations: load the newest page, load older pages (by `beforeSeq`),
 * send, mark read. Each call updates the stores; failures surface as `UiError`.
 */
import { call } from '../../bridge';
import { errorText } from '../../lib/errors';
import { useContactsStore } from '../contacts/contacts-store';
import { PAGE_SIZE, useChatStore } from './chat-store';
import { addrKey } from '../../lib/format';
import { currentEpoch } from '../../lib/epoch';

const inflight = new Set<string>();

export async function loadThread(address: string): Promise<void> {
  const key = addrKey(address);
  if (inflight.has(key)) return;
  inflight.add(key);
  const epoch = currentEpoch();
  useChatStore.getState().startLoad(address);
  try {
    const items = await call('messages.list', { address, limit: PAGE_SIZE });
    if (epoch !== currentEpoch()) return;
    useChatStore.getState().setPage(address, items, { older: false, hasMore: items.length >= PAGE_SIZE });
  } catch (error) {
    if (epoch !== currentEpoch()) return;
    useChatStore.getState().loadFailed(address, errorText(error));
  } finally {
    inflight.delete(key);
  }
}

export async function loadOlder(address: string): Promise<void> {
  const t = useChatStore.getState().threads[addrKey(address)];
  const first = t?.items[0];
  if (!t || !first || !t.hasMore || t.loadingOlder) return;
  const epoch = currentEpoch();
  useChatStore.getState().setLoadingOlder(address, true);
  try {
    const items = await call('messages.list', { address, beforeSeq: first.seq, limit: PAGE_SIZE });
    if (epoch !== currentEpoch()) return;
    useChatStore.getState().setPage(address, items, { older: true, hasMore: items.length >= PAGE_SIZE });
  } catch (error) {
    if (epoch !== currentEpoch()) return;
    useChatStore.getState().loadFailed(address, errorText(error));
  }
}

/** Sends and merges the stored message; throws UiError (the composer keeps the text). */
export async function sendMessage(address: string, text: string): Promise<void> {
  const message = await call('messages.send', { address, text });
  useChatStore.getState().merge(message);
  useContactsStore.getState().noteMessage(message);
}

const marking = new Set<string>();

export async function markRead(address: string): Promise<void> {
  const key = addrKey(address);
  if (marking.has(key)) return;
  marking.add(key);
  useContactsStore.getState().patch(address, { unread: 0 });
  try {
    await call('messages.markRead', { address });
  } catch {
    // Not worth a toast: the badge comes back with the next contact.updated and we retry then.
  } finally {
    marking.delete(key);
  }
}
