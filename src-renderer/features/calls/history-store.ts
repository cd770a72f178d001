/**
 * @module renderer/features/calls/history-store
 * The Calls screen's data. The bridge has no call-history method, so the records are read
 * out of each friend's conversation (`messages.list`, the latest HISTORY_PAGE messages per
 * friend, a few friends at a time) and then kept current from `message.added` /
 * `message.updated` events while the screen is shown.
 */
import { create } from 'zustand';
import type { ContactT, MessageT } from '../../../src-preload/contract';
import { call, subscribe } from '../../bridge';
import { currentEpoch } from '../../lib/epoch';
import type { CallEntry } from './call-history';
import { callEntries, mergeEntries } from './call-history';

export const HISTORY_PAGE = 500;
const PARALLEL = 3;

type HistoryStore = {
  entries: CallEntry[];
  status: 'idle' | 'loading' | 'ready' | 'error';
  /** Friends whose conversation could not be read (shown as a note). */
  failed: number;
  add(messages: MessageT[]): void;
};

export const useHistoryStore = create<HistoryStore>()((set) => ({
  entries: [],
  status: 'idle',
  failed: 0,
  add: (messages) => {
    const fresh = callEntries(messages);
    if (fresh.length > 0) set((s) => ({ entries: mergeEntries(s.entries, fresh) }));
  },
}));

/** Forget the history (leaving the unlocked app). */
export function resetHistory(): void {
  useHistoryStore.setState({ entries: [], status: 'idle', failed: 0 });
}

/** Read the call records of these contacts' conversations. */
export async function loadHistory(contacts: readonly ContactT[]): Promise<void> {
  const epoch = currentEpoch();
  useHistoryStore.setState((s) => ({ status: s.status === 'ready' ? 'ready' : 'loading' }));
  const queue = [...contacts];
  let failed = 0;
  const worker = async () => {
    for (let c = queue.shift(); c; c = queue.shift()) {
      try {
        const page = await call('messages.list', { address: c.address, limit: HISTORY_PAGE });
        if (epoch !== currentEpoch()) return;
        useHistoryStore.getState().add(page);
      } catch {
        failed += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, queue.length) }, worker));
  if (epoch !== currentEpoch()) return;
  useHistoryStore.setState({ status: failed > 0 && failed === contacts.length ? 'error' : 'ready', failed });
}

/** Keep the history current while the screen is shown. */
export function followHistory(): () => void {
  const add = (m: MessageT) => {
    if (m.call) useHistoryStore.getState().add([m]);
  };
  const offs = [subscribe('message.added', add), subscribe('message.updated', add)];
  return () => offs.forEach((off) => off());
}
