/**
 * @module renderer/layout/nav-store
 * Which screen of the navigation rail is shown. The ids are the rail's (layout/nav-items);
 * the store only holds the choice, so any feature can switch screens without importing
 * the screens themselves.
 */
import { create } from 'zustand';

/** One id per rail entry; add the id here when adding an entry to NAV_ITEMS. */
export type ViewId = 'chats' | 'calls' | 'wallet' | 'dapps' | 'node';

type NavStore = { view: ViewId; setView(view: ViewId): void };

export const useNavStore = create<NavStore>()((set) => ({
  view: 'chats',
  setView: (view) => set({ view }),
}));

/** Show a screen (from anywhere: shortcuts, links in dialogs). */
export function showView(view: ViewId): void {
  useNavStore.getState().setView(view);
}
