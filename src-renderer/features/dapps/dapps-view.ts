/**
 * @module renderer/features/dapps/dapps-view
 * Where the DApps screen is: the Browse or Installed tab, grid or list layout, the listing
 * opened in detail, the running dapp, the open dialog, and origins whose
 * storage is being cleared after an uninstall. A store of its own so the place survives
 * switching screens and any part of the screen can move it.
 */
import { create } from 'zustand';
import type { UpdateCheckT } from '../../../src-preload/contract';

export type DappsTab = 'browse' | 'installed';

export type RunningDapp = { appId: string; name: string; icon: string | null };

export type DappsDialog =
  | { kind: 'uninstall'; appId: string; name: string }
  | { kind: 'update-permissions'; appId: string; name: string; check: UpdateCheckT }
  | { kind: 'rate'; appId: string; name: string; current: number | null }
  | { kind: 'report'; appId: string; name: string }
  | null;

type ViewStore = {
  tab: DappsTab;
  layout: 'grid' | 'list';
  detail: string | null;
  /** The listing whose page was just left: its card takes focus back (keyboard users keep their place). */
  returnTo: string | null;
  /** The dapp shown in the DApp view (its frame asks `dapps.launch` for a fresh URL each time it mounts). */
  running: RunningDapp | null;
  dialog: DappsDialog;
  clearing: string[];
};

const INITIAL: ViewStore = { tab: 'browse', layout: 'grid', detail: null, returnTo: null, running: null, dialog: null, clearing: [] };

export const useDappsView = create<ViewStore>()(() => ({ ...INITIAL }));

const set = useDappsView.setState;

export const showTab = (tab: DappsTab) => set({ tab, detail: null });
export const setLayout = (layout: 'grid' | 'list') => set({ layout });
export const showDetail = (appId: string | null) => set((s) => ({ detail: appId, returnTo: appId === null ? s.detail : null }));

/** Focus the element of the listing just left (once), after the list has rendered. */
export function restoreFocus(root: ParentNode | null): void {
  const id = useDappsView.getState().returnTo;
  if (!id || !root) return;
  set({ returnTo: null });
  root.querySelector<HTMLElement>(`[data-focus-id="${id}"]`)?.focus();
}
export const openDialog = (dialog: Exclude<DappsDialog, null>) => set({ dialog });
export const closeDialog = () => set({ dialog: null });
export const showRunning = (running: ViewStore['running']) => set({ running });

/** Close the running dapp if it is this one (after uninstall). */
export function stopRunning(appId: string): void {
  if (useDappsView.getState().running?.appId === appId) set({ running: null });
}

/** Ask for `<origin>/__bitunicom/clear` to be loaded once (Clear-Site-Data from the dapp server). */
export function clearOrigin(origin: string): void {
  set((s) => ({ clearing: s.clearing.includes(origin) ? s.clearing : [...s.clearing, origin] }));
}

export function clearedOrigin(origin: string): void {
  set((s) => ({ clearing: s.clearing.filter((o) => o !== origin) }));
}

export function resetDappsView(): void {
  set({ ...INITIAL });
}
