/**
 * @module renderer/features/contacts/contacts-store
 * Contacts keyed by lower-cased address. `contact.updated` events replace one entry (the
 * node sends the whole contact, so counts such as `unread` are authoritative); a new
 * message only moves `lastMessage` forward, which is idempotent. Derived lists
 * (conversations, requests, blocked) are pure functions of the map, used with `useMemo`.
 */
import { create } from 'zustand';
import type { ContactT, MessageT } from '../../../src-preload/contract';
import { addrKey } from '../../lib/format';

export type ContactMap = Record<string, ContactT>;

type ContactsStore = {
  byKey: ContactMap;
  status: 'idle' | 'loading' | 'ready' | 'error';
  query: string;
  setAll(list: ContactT[]): void;
  setStatus(status: ContactsStore['status']): void;
  upsert(contact: ContactT): void;
  patch(address: string, patch: Partial<ContactT>): void;
  noteMessage(message: MessageT): void;
  setQuery(query: string): void;
  reset(): void;
};

export const useContactsStore = create<ContactsStore>()((set) => ({
  byKey: {},
  status: 'idle',
  query: '',
  setAll: (list) => set({ byKey: Object.fromEntries(list.map((c) => [addrKey(c.address), c])), status: 'ready' }),
  setStatus: (status) => set({ status }),
  upsert: (contact) => set((s) => ({ byKey: { ...s.byKey, [addrKey(contact.address)]: contact } })),
  patch: (address, patch) =>
    set((s) => {
      const key = addrKey(address);
      const current = s.byKey[key];
      return current ? { byKey: { ...s.byKey, [key]: { ...current, ...patch } } } : s;
    }),
  noteMessage: (m) =>
    set((s) => {
      const key = addrKey(m.peer);
      const current = s.byKey[key];
      if (!current) return s;
      const at = m.localAt;
      if (current.lastMessage && current.lastMessage.at > at) return s;
      const lastMessage = { text: m.text, at, direction: m.direction };
      return { byKey: { ...s.byKey, [key]: { ...current, lastMessage } } };
    }),
  setQuery: (query) => set({ query }),
  reset: () => set({ byKey: {}, status: 'idle', query: '' }),
}));

export function contactOf(map: ContactMap, address: string | null | undefined): ContactT | null {
  return address ? (map[addrKey(address)] ?? null) : null;
}

/** Sort key: the last message, or for a contact without messages when it last changed (e.g. accepted). */
export function activityAt(c: ContactT): number {
  return c.lastMessage?.at ?? c.updatedAt;
}

function matches(c: ContactT, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return c.name.toLowerCase().includes(q) || c.address.toLowerCase().includes(q);
}

/** Friends, and blocked contacts you once talked to, most recent activity first. */
export function conversationList(map: ContactMap, query = ''): ContactT[] {
  return Object.values(map)
    .filter((c) => c.state === 'friend' || (c.state === 'blocked' && c.lastMessage !== null))
    .filter((c) => matches(c, query))
    .sort((a, b) => activityAt(b) - activityAt(a) || a.name.localeCompare(b.name));
}

export function incomingRequests(map: ContactMap, query = ''): ContactT[] {
  return Object.values(map)
    .filter((c) => c.state === 'pending_in' && matches(c, query))
    .sort((a, b) => b.updatedAt - a.updatedAt);
}

export function outgoingRequests(map: ContactMap, query = ''): ContactT[] {
  return Object.values(map)
    .filter((c) => c.state === 'pending_out' && matches(c, query))
    .sort((a, b) => b.updatedAt - a.updatedAt);
}

export function blockedContacts(map: ContactMap): ContactT[] {
  return Object.values(map)
    .filter((c) => c.state === 'blocked')
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Whether the user has anyone at all (drives the first-run empty state). */
export function hasAnyContact(map: ContactMap): boolean {
  return Object.values(map).some((c) => c.state !== 'declined');
}

/** Unread messages from friends (window title, the rail's Chats badge). */
export function unreadTotal(map: ContactMap): number {
  return Object.values(map).reduce((n, c) => n + (c.state === 'friend' ? c.unread : 0), 0);
}
