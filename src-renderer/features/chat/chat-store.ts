/**
 * @module renderer/features/chat/chat-store
 * Messages per conversation (lower-cased peer address → thread sorted by `seq`), the
 * selected conversation and per-conversation drafts. Events merge by message id, so a
 * `message.added` that races the `messages.send` reply, or a page load, never duplicates
 * a bubble. When a page load and an event disagree on a message, the state further along
 * (sending → failed → sent → delivered) wins.
 */
import { create } from 'zustand';
import type { MessageStateT, MessageT } from '../../../src-preload/contract';
import { addrKey } from '../../lib/format';

export const PAGE_SIZE = 100;

export type Thread = {
  items: MessageT[];
  status: 'loading' | 'ready' | 'error';
  hasMore: boolean;
  loadingOlder: boolean;
  error: string | null;
};

type ChatStore = {
  selected: string | null;
  threads: Record<string, Thread>;
  drafts: Record<string, string>;
  select(address: string | null): void;
  startLoad(address: string): void;
  loadFailed(address: string, error: string): void;
  setPage(address: string, items: MessageT[], opts: { older: boolean; hasMore: boolean }): void;
  setLoadingOlder(address: string, loading: boolean): void;
  merge(message: MessageT): void;
  setDraft(address: string, text: string): void;
  reset(): void;
};

const RANK: Record<MessageStateT, number> = { received: 0, sending: 1, failed: 2, sent: 3, delivered: 4 };

const EMPTY_THREAD: Thread = { items: [], status: 'loading', hasMore: false, loadingOlder: false, error: null };

function bySeq(a: MessageT, b: MessageT): number {
  return a.seq - b.seq || a.localAt - b.localAt;
}

/** Union of two message lists by id; on conflict keep the more advanced state. */
export function unionMessages(current: MessageT[], incoming: MessageT[]): MessageT[] {
  const map = new Map<string, MessageT>();
  for (const m of current) map.set(m.id, m);
  for (const m of incoming) {
    const old = map.get(m.id);
    map.set(m.id, old && RANK[old.state] > RANK[m.state] ? old : m);
  }
  return [...map.values()].sort(bySeq);
}

/** Insert or replace one message (events are newer than what we hold). */
export function upsertMessage(items: MessageT[], m: MessageT): MessageT[] {
  const i = items.findIndex((x) => x.id === m.id);
  if (i >= 0) {
    const next = items.slice();
    next[i] = m;
    return next;
  }
  const last = items[items.length - 1];
  if (!last || bySeq(last, m) <= 0) return [...items, m];
  return [...items, m].sort(bySeq);
}

export const useChatStore = create<ChatStore>()((set) => {
  const update = (address: string, fn: (t: Thread) => Thread) =>
    set((s) => {
      const key = addrKey(address);
      return { threads: { ...s.threads, [key]: fn(s.threads[key] ?? EMPTY_THREAD) } };
    });
  return {
    selected: null,
    threads: {},
    drafts: {},
    select: (selected) => set({ selected }),
    startLoad: (address) => update(address, (t) => ({ ...t, status: t.status === 'ready' ? 'ready' : 'loading', error: null })),
    loadFailed: (address, error) => update(address, (t) => ({ ...t, status: t.status === 'ready' ? 'ready' : 'error', error, loadingOlder: false })),
    setPage: (address, items, { older, hasMore }) =>
      update(address, (t) => ({
        ...t,
        items: unionMessages(t.items, items),
        status: 'ready',
        error: null,
        loadingOlder: false,
        // Only an initial/refresh load may say whether older pages exist when we already have some.
        hasMore: older || t.status !== 'ready' ? hasMore : t.hasMore,
      })),
    setLoadingOlder: (address, loadingOlder) => update(address, (t) => ({ ...t, loadingOlder })),
    merge: (m) =>
      set((s) => {
        const key = addrKey(m.peer);
        const t = s.threads[key];
        // Threads never opened are loaded from the node when opened; only the preview changes.
        if (!t) return s;
        return { threads: { ...s.threads, [key]: { ...t, items: upsertMessage(t.items, m) } } };
      }),
    setDraft: (address, text) => set((s) => ({ drafts: { ...s.drafts, [addrKey(address)]: text } })),
    reset: () => set({ selected: null, threads: {}, drafts: {} }),
  };
});

export function threadOf(threads: Record<string, Thread>, address: string | null): Thread | null {
  return address ? (threads[addrKey(address)] ?? null) : null;
}
