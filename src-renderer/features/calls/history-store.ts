/**
 * @module renderer/features/calls/history-store
 * The Calls screen's data: the node's call history (`calls.history`: every conversation's
 * call records, newest first, HISTORY_PAGE at a time). The first page loads when the screen
 * opens, older pages as the list scrolls to its end (`loadMore`, following the page's
 * `next` cursor), and `message.added` / `message.updated` events with a call keep it current
 * while the screen is shown.
 */
import { create } from 'zustand';
import type { CallCursorT, CallHistoryEntryT, MessageT } from '../../../src-preload/contract';
import { call, subscribe } from '../../bridge';
import { currentEpoch } from '../../lib/epoch';
import type { CallEntry } from './call-history';
import { callEntries, mergeEntries } from './call-history';

export const HISTORY_PAGE = 50;

type HistoryStore = {
  entries: CallEntry[];
  status: 'idle' | 'loading' | 'ready' | 'error';
  /** Where the next (older) page starts; null once the oldest call is loaded. */
  next: CallCursorT | null;
  /** An older page is being read. */
  loadingMore: boolean;
  add(messages: MessageT[]): void;
};

const INITIAL = { entries: [] as CallEntry[], status: 'idle' as const, next: null, loadingMore: false };

export const useHistoryStore = create<HistoryStore>()((set) => ({
  ...INITIAL,
  add: (messages) => {
    const fresh = callEntries(messages);
    if (fresh.length > 0) set((s) => ({ entries: mergeEntries(s.entries, fresh) }));
  },
}));

function toEntry(e: CallHistoryEntryT): CallEntry {
  return { id: e.id, peer: e.peer, at: e.at, record: e.record };
}

/** Forget the history (leaving the unlocked app). */
export function resetHistory(): void {
  useHistoryStore.setState(INITIAL);
}

/** Read the newest page (again): what is already shown stays, the cursor starts over. */
export async function loadHistory(): Promise<void> {
  const epoch = currentEpoch();
  useHistoryStore.setState((s) => ({ status: s.status === 'ready' ? 'ready' : 'loading' }));
  try {
    const page = await call('calls.history', { limit: HISTORY_PAGE });
    if (epoch !== currentEpoch()) return;
    useHistoryStore.setState((s) => ({ entries: mergeEntries(s.entries, page.entries.map(toEntry)), next: page.next, status: 'ready' }));
  } catch {
    if (epoch !== currentEpoch()) return;
    useHistoryStore.setState((s) => ({ status: s.status === 'ready' ? 'ready' : 'error' }));
  }
}

/** Read the next older page, if there is one and none is being read; false when nothing was asked. */
export async function loadMore(): Promise<boolean> {
  const { next, loadingMore, status } = useHistoryStore.getState();
  if (!next || loadingMore || status !== 'ready') return false;
  const epoch = currentEpoch();
  useHistoryStore.setState({ loadingMore: true });
  try {
    const page = await call('calls.history', { before: next, limit: HISTORY_PAGE });
    if (epoch !== currentEpoch()) return true;
    useHistoryStore.setState((s) => ({ entries: mergeEntries(s.entries, page.entries.map(toEntry)), next: page.next, loadingMore: false }));
  } catch {
    // Keep the cursor: the next scroll to the end tries again.
    if (epoch === currentEpoch()) useHistoryStore.setState({ loadingMore: false });
  }
  return true;
}

/** Keep the history current while the screen is shown. */
export function followHistory(): () => void {
  const add = (m: MessageT) => {
    if (m.call) useHistoryStore.getState().add([m]);
  };
  const offs = [subscribe('message.added', add), subscribe('message.updated', add)];
  return () => offs.forEach((off) => off());
}
