/**
 * @module renderer/features/dapps/dapps-store
 * What the DApps screen shows: the store's catalog for the current search / category / sort,
 * the installed dapps, each opened listing's detail, and running installs' progress.
 * Loads go through the bridge; a catalog answer for a search that has since changed is
 * dropped (typing fast never shows stale rows). `dapps.progress` is merged per app id and
 * `dapps.changed` reloads just what changed (a bridge reconnect reloads the lists). A node
 * without the store (`UNKNOWN_METHOD`) makes the screen say so in words instead of an error.
 */
import { create } from 'zustand';
import type { DappCatalogT, DappDetailT, DappProgressT, InstalledDappT } from '../../../src-preload/contract';
import { call, getTransport, subscribe } from '../../bridge';
import { currentEpoch } from '../../lib/epoch';
import { errorCode, errorText } from '../../lib/errors';
import { useDappsView } from './dapps-view';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error' | 'unavailable';
export type Sort = 'name' | 'rating' | 'recent';

type DappsStore = {
  query: string;
  category: string | null;
  sort: Sort;
  catalog: DappCatalogT | null;
  catalogStatus: LoadStatus;
  catalogError: string | null;
  installed: InstalledDappT[];
  installedStatus: LoadStatus;
  details: Record<string, DappDetailT>;
  detailStatus: Record<string, LoadStatus>;
  detailError: Record<string, string>;
  progress: Record<string, DappProgressT>;
  /** Ratings we sent whose transaction may not be in a block yet (the detail's myRating lags). */
  sentRatings: Record<string, number>;
};

const INITIAL: DappsStore = {
  query: '',
  category: null,
  sort: 'rating',
  catalog: null,
  catalogStatus: 'idle',
  catalogError: null,
  installed: [],
  installedStatus: 'idle',
  details: {},
  detailStatus: {},
  detailError: {},
  progress: {},
  sentRatings: {},
};

export const useDappsStore = create<DappsStore>()(() => ({ ...INITIAL }));

const get = () => useDappsStore.getState();
const set = useDappsStore.setState;

function statusOf(error: unknown): LoadStatus {
  return errorCode(error) === 'UNKNOWN_METHOD' ? 'unavailable' : 'error';
}

let catalogSeq = 0;

export async function loadCatalog(): Promise<void> {
  const seq = ++catalogSeq;
  const epoch = currentEpoch();
  const { query, category, sort } = get();
  if (!get().catalog) set({ catalogStatus: 'loading' });
  const input: { query?: string; category?: string; sort: Sort } = { sort };
  if (query.trim()) input.query = query.trim().slice(0, 100);
  if (category) input.category = category;
  try {
    const catalog = await call('dapps.catalog', input);
    if (seq !== catalogSeq || epoch !== currentEpoch()) return;
    set({ catalog, catalogStatus: 'ready', catalogError: null });
  } catch (error) {
    if (seq !== catalogSeq || epoch !== currentEpoch()) return;
    set({ catalogStatus: statusOf(error), catalogError: errorText(error) });
  }
}

export function setQuery(query: string): void {
  if (query === get().query) return;
  set({ query });
  void loadCatalog();
}

export function setCategory(category: string | null): void {
  set({ category });
  void loadCatalog();
}

export function setSort(sort: Sort): void {
  set({ sort });
  void loadCatalog();
}

export async function loadInstalled(): Promise<void> {
  const epoch = currentEpoch();
  if (get().installedStatus !== 'ready') set({ installedStatus: 'loading' });
  try {
    const installed = await call('dapps.installed', {});
    if (epoch === currentEpoch()) set({ installed, installedStatus: 'ready' });
  } catch (error) {
    if (epoch === currentEpoch()) set({ installedStatus: statusOf(error) });
  }
}

export async function loadDetail(appId: string): Promise<void> {
  const epoch = currentEpoch();
  if (!get().details[appId]) set((s) => ({ detailStatus: { ...s.detailStatus, [appId]: 'loading' } }));
  try {
    const detail = await call('dapps.detail', { appId });
    if (epoch !== currentEpoch()) return;
    set((s) => ({ details: { ...s.details, [appId]: detail }, detailStatus: { ...s.detailStatus, [appId]: 'ready' } }));
  } catch (error) {
    if (epoch !== currentEpoch()) return;
    set((s) => ({ detailStatus: { ...s.detailStatus, [appId]: statusOf(error) }, detailError: { ...s.detailError, [appId]: errorText(error) } }));
  }
}

export function installedOf(appId: string, list: InstalledDappT[] = get().installed): InstalledDappT | null {
  return list.find((d) => d.appId === appId) ?? null;
}

/** Merge a progress event (the latest phase per app). */
export function setProgress(p: DappProgressT): void {
  set((s) => ({ progress: { ...s.progress, [p.appId]: p } }));
}

export function clearProgress(appId: string): void {
  set((s) => {
    const next = { ...s.progress };
    delete next[appId];
    return { progress: next };
  });
}

/** Reload what an install / update / uninstall touched. */
export async function refreshAfterChange(appId: string | null): Promise<void> {
  const jobs: Array<Promise<void>> = [loadInstalled(), loadCatalog()];
  if (appId && get().details[appId]) jobs.push(loadDetail(appId));
  await Promise.all(jobs);
}

/** Installed dapps matching the search box (the Installed tab filters locally). */
export function filterInstalled(list: InstalledDappT[], query: string): InstalledDappT[] {
  const q = query.trim().toLowerCase();
  const rows = q ? list.filter((d) => d.name.toLowerCase().includes(q) || d.appId.includes(q)) : list;
  return [...rows].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Follow `dapps.progress` and `dapps.changed` while the screen is shown; returns the
 * unsubscribe. Connection changes are for the connections store (its own follower).
 */
export function followDapps(): () => void {
  const offProgress = subscribe('dapps.progress', setProgress);
  const offChanged = subscribe('dapps.changed', (c) => {
    if (c.kind === 'installed') void refreshAfterChange(c.appId);
    else if (c.kind === 'catalog') {
      void loadCatalog();
      if (c.appId && get().details[c.appId]) void loadDetail(c.appId);
    }
  });
  // After the web bridge comes back, events may have been missed: read the lists again.
  let down = false;
  const offConnection = getTransport().onConnection((state) => {
    if (state === 'open' && down) void refreshAfterChange(useDappsView.getState().detail);
    down = state !== 'open';
  });
  return () => {
    offProgress();
    offChanged();
    offConnection();
  };
}

export function resetDapps(): void {
  catalogSeq++;
  set({ ...INITIAL });
}
