/**
 * @module dapps/store/store
 * The dapp store's service behind the `dapps.*` store methods: the catalog (the on-chain
 * DappRegistry read by dapps/registry over the chain's JSON-RPC, searched and sorted, with the
 * installed state and update detection), the detail page (versions, ratings, reports and the
 * latest bundle's manifest once a peer sent it), and install / update / uninstall / cancel with
 * progress (`progress` events: finding-peers → downloading → verifying → installing → done,
 * or failed / cancelled).
 *
 * What gets installed is decided by the library (dapps/library): the registry's latest listing
 * gives the content hash and author key, the bundle comes from peers by that hash (the injected
 * fetcher: the swarm), and the library refuses anything that does not verify against it.
 */
import type { CatalogState, DappBundleInfoT, DappCatalogT, DappDetailT, DappProgressT, InstalledDappT, UpdateCheckT } from '../../../../src-preload/contract';
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { BuError, TypedEmitter, isBuError, silentLogger, type Logger } from '../../base';
import { isPackageError, openContainer, verifyBundle } from '../package';
import type { DappListing, RegistryReader } from '../registry';
import type { DappLibrary, InstalledRecord, Listing } from '../library';
import { BundleCache, type BundleFetchFn } from './bundles';
import { bundleInfo, installedOf, reportsOf, summaryOf, updateOf, versionInfo } from './views';

export type RegistryLike = Pick<RegistryReader, 'sync' | 'app' | 'search' | 'categories'>;

export type StoreOptions = {
  /** The registry reader of the running chain (null: no chain). */
  registry: () => RegistryLike | null;
  library: DappLibrary;
  fetcher: BundleFetchFn;
  /** Peers currently saying they hold a content hash (the swarm's view). */
  holders?: (contentHash: string) => number;
  /** ms since the epoch of a block (null when unknown). */
  blockTime?: (block: bigint) => Promise<number | null>;
  /** Our own rating of an app (the selected account's), null if none. */
  myRating?: (appId: string) => Promise<number | null>;
  logger?: Logger;
  /** How long a detail waits for a peer's bundle before answering without it (default 1500 ms). */
  detailWaitMs?: number;
  /** Least time between two registry syncs (default 1000 ms). */
  syncEveryMs?: number;
};

export type StoreEvents = { progress: DappProgressT; changed: { kind: 'installed' | 'catalog'; appId: string | null } };

type Catalog = z.infer<typeof CatalogState>;

const lower = (s: string) => s.toLowerCase();

export class DappStore extends TypedEmitter<StoreEvents> {
  readonly bundles: BundleCache;
  private readonly logger: Logger;
  private readonly infos = new Map<string, DappBundleInfoT>();
  private readonly jobs = new Map<string, { abort: AbortController; contentHash: string; promise: Promise<InstalledDappT> }>();
  private syncing: Promise<Catalog> | null = null;
  private lastSync = 0;
  /** The registry as the last refresh saw it (null: no refresh yet). */
  private lastPrint: string | null = null;
  private state: Catalog = { state: 'syncing', syncedBlock: null, message: null };

  constructor(private readonly o: StoreOptions) {
    super();
    this.bundles = new BundleCache(o.fetcher);
    this.logger = o.logger ?? silentLogger;
  }

  /** Reads the registry's new events (at most once per `syncEveryMs`; concurrent callers share one read). */
  sync(force = false): Promise<Catalog> {
    if (this.syncing) return this.syncing;
    if (!force && Date.now() - this.lastSync < (this.o.syncEveryMs ?? 1000)) return Promise.resolve(this.state);
    const reader = this.o.registry();
    if (!reader) {
      this.state = { state: 'unavailable', syncedBlock: null, message: 'The chain is not running, so the registry cannot be read.' };
      return Promise.resolve(this.state);
    }
    this.syncing = reader
      .sync()
      .then(
        (head) => (this.state = { state: 'ok', syncedBlock: head.toString(), message: null }),
        (e: unknown) => {
          this.logger.warn('dapp registry sync failed', { error: String(e) });
          return (this.state = { ...this.state, state: 'unavailable', message: `The registry could not be read: ${e instanceof Error ? e.message : String(e)}` });
        },
      )
      .finally(() => {
        this.syncing = null;
        this.lastSync = Date.now();
      });
    return this.syncing;
  }

  /**
   * Syncs now and emits `changed` (catalog) when the registry moved since the last refresh: a
   * new app, version, rating, report or delisting — the background update detection the node
   * runs on new blocks. The first refresh only takes the baseline.
   */
  async refresh(): Promise<boolean> {
    await this.sync(true);
    const now = this.fingerprint();
    const moved = this.lastPrint !== null && now !== this.lastPrint;
    this.lastPrint = now;
    if (moved) this.emit('changed', { kind: 'catalog', appId: null });
    return moved;
  }

  private fingerprint(): string {
    const reader = this.o.registry();
    if (!reader) return '';
    return reader
      .search('', { includeDelisted: true })
      .map((l) => `${l.appId}:${l.latest.versionText}:${l.rating.count}:${l.rating.sum}:${l.reportCount}:${l.delisted}`)
      .join('|');
  }

  async catalog(q: { query?: string; category?: string; sort?: 'name' | 'rating' | 'recent' } = {}): Promise<DappCatalogT> {
    const state = await this.sync();
    const reader = this.o.registry();
    const listings = reader ? reader.search(q.query ?? '', { category: q.category, sort: q.sort }) : [];
    const apps = await Promise.all(listings.map(async (l) => summaryOf(l, this.o.library.get(l.appId), this.infos.get(lower(l.latest.contentHash)) ?? null, await this.o.library.iconDataUrl(l.appId))));
    const categories = reader ? reader.categories().map((c) => ({ name: c.category, count: c.count })) : [];
    return { ...state, apps, categories };
  }

  async detail(appId: string): Promise<DappDetailT> {
    const l = await this.listing(appId, true);
    const installed = this.o.library.get(l.appId);
    const hash = lower(l.latest.contentHash);
    const bundle = await this.bundleInfoFor(l, installed);
    const versions = await Promise.all(l.versions.map(async (v) => versionInfo(v, v.txHash === null ? null : ((await this.o.blockTime?.(v.block).catch(() => null)) ?? null))));
    return {
      ...summaryOf(l, installed, bundle, await this.o.library.iconDataUrl(l.appId)),
      versions: versions.reverse(),
      reportsByReason: reportsOf(l),
      bundle,
      holders: this.o.holders?.(hash) ?? this.bundles.holders(hash),
      myRating: (await this.o.myRating?.(l.appId).catch(() => null)) ?? null,
    };
  }

  async installed(): Promise<InstalledDappT[]> {
    await this.sync();
    const reader = this.o.registry();
    return Promise.all(this.o.library.list().map(async (r) => installedOf(r, await this.o.library.iconDataUrl(r.appId), updateOf(reader?.app(r.appId) ?? null, r))));
  }

  /** Installs the registry's latest version (the installed content again: nothing to do). */
  async install(appId: string): Promise<InstalledDappT> {
    const l = await this.listing(appId);
    const r = this.o.library.get(l.appId);
    if (r && r.contentHash !== lower(l.latest.contentHash)) {
      throw new BuError('BAD_INPUT', `${l.name} ${r.version} is installed; update it to ${l.latest.versionText} instead (dapps.update).`);
    }
    if (r) return this.view(r);
    return this.run(l, []);
  }

  /** The permissions the latest version adds and drops (downloads and verifies it first). */
  async checkUpdate(appId: string): Promise<UpdateCheckT> {
    const r = this.requireInstalled(appId);
    const l = await this.listing(appId);
    if (!updateOf(l, r)) return { appId: r.appId, from: r.version, to: r.version, added: [], removed: [], sizeBytes: null };
    const bud = await this.bundles.get(lower(l.latest.contentHash));
    const c = this.o.library.check(bud, listingOf(l));
    return { appId: r.appId, from: r.version, to: c.bundle.manifest.version, added: c.added, removed: c.removed, sizeBytes: c.bundle.index.totalSize };
  }

  async update(appId: string, acceptPermissions: readonly string[]): Promise<InstalledDappT> {
    const r = this.requireInstalled(appId);
    const l = await this.listing(appId);
    if (!updateOf(l, r)) throw new BuError('BAD_INPUT', `${r.name} ${r.version} is the latest version listed.`);
    return this.run(l, acceptPermissions);
  }

  async uninstall(appId: string): Promise<void> {
    this.cancel(appId);
    if (!(await this.o.library.uninstall(lower(appId)))) throw new BuError('NOT_INSTALLED', `The dapp ${appId} is not installed.`);
  }

  /** Stops a running install or update of `appId`; false when none runs. */
  cancel(appId: string): boolean {
    const job = this.jobs.get(lower(appId));
    if (!job) return false;
    job.abort.abort();
    this.bundles.cancel(job.contentHash);
    return true;
  }

  private requireInstalled(appId: string): InstalledRecord {
    const r = this.o.library.get(appId);
    if (!r) throw new BuError('NOT_INSTALLED', `The dapp ${appId} is not installed.`);
    return r;
  }

  private async listing(appId: string, includeDelisted = false): Promise<DappListing> {
    await this.sync();
    let l = this.o.registry()?.app(appId) ?? null;
    if (!l) {
      await this.sync(true); // published a moment ago?
      l = this.o.registry()?.app(appId) ?? null;
    }
    if (!l) throw new BuError(this.state.state === 'ok' ? 'DAPP_NOT_FOUND' : 'DAPP_UNAVAILABLE', this.state.message ?? `No app ${appId} is listed in the registry.`);
    if (l.delisted && !includeDelisted) throw new BuError('DAPP_NOT_FOUND', `${l.name} was delisted from the registry.`);
    return l;
  }

  private async view(r: InstalledRecord): Promise<InstalledDappT> {
    return installedOf(r, await this.o.library.iconDataUrl(r.appId), updateOf(this.o.registry()?.app(r.appId) ?? null, r));
  }

  private progress(appId: string, phase: DappProgressT['phase'], p: Partial<Omit<DappProgressT, 'appId' | 'phase'>> = {}): void {
    this.emit('progress', { appId, phase, receivedBytes: p.receivedBytes ?? 0, totalBytes: p.totalBytes ?? null, peers: p.peers ?? 0, message: p.message ?? null });
  }

  /** One install or update per app at a time: asking again for the same content joins the running one. */
  private run(l: DappListing, acceptPermissions: readonly string[]): Promise<InstalledDappT> {
    const running = this.jobs.get(l.appId);
    if (running?.contentHash === lower(l.latest.contentHash)) return running.promise;
    if (running) return Promise.reject(new BuError('BAD_INPUT', `${l.name} is being installed already; wait for it or cancel it.`));
    const job = { abort: new AbortController(), contentHash: lower(l.latest.contentHash), promise: Promise.resolve(null as unknown as InstalledDappT) };
    job.promise = this.runJob(l, job, acceptPermissions).finally(() => this.jobs.delete(l.appId));
    this.jobs.set(l.appId, job);
    return job.promise;
  }

  private async runJob(l: DappListing, job: { abort: AbortController; contentHash: string }, acceptPermissions: readonly string[]): Promise<InstalledDappT> {
    const appId = l.appId;
    let total: number | null = null;
    try {
      this.progress(appId, 'finding-peers');
      const bud = await this.bundles.get(job.contentHash, {
        signal: job.abort.signal,
        onProgress: (p) => {
          total = p.totalBytes || null;
          this.progress(appId, p.receivedBytes > 0 || p.totalBytes ? 'downloading' : 'finding-peers', { ...p, totalBytes: total });
        },
      });
      this.progress(appId, 'verifying', { receivedBytes: total ?? 0, totalBytes: total });
      const listing = listingOf(l);
      this.o.library.check(bud, listing);
      this.progress(appId, 'installing', { receivedBytes: total ?? 0, totalBytes: total });
      const r = await this.o.library.install(bud, listing, { acceptPermissions });
      this.progress(appId, 'done', { receivedBytes: r.sizeBytes, totalBytes: r.sizeBytes });
      return await this.view(r);
    } catch (e) {
      const cancelled = isBuError(e, 'CANCELLED') || job.abort.signal.aborted;
      this.progress(appId, cancelled ? 'cancelled' : 'failed', { message: e instanceof Error ? e.message : String(e) });
      if (cancelled && !isBuError(e, 'CANCELLED')) throw new BuError('CANCELLED', 'The download was cancelled.', { cause: e });
      throw e;
    }
  }

  /** The latest version's bundle info: installed, already seen, or asked of peers (waiting a little). */
  private async bundleInfoFor(l: DappListing, installed: InstalledRecord | null): Promise<DappBundleInfoT | null> {
    const hash = lower(l.latest.contentHash);
    const known = this.infos.get(hash);
    if (known) return known;
    const bud = installed?.contentHash === hash ? await this.installedBud(installed) : this.bundles.peek(hash);
    if (bud) return this.remember(l, bud);
    const fetching = this.bundles.get(hash).then(
      (b) => {
        const info = this.remember(l, b);
        if (info) this.emit('changed', { kind: 'catalog', appId: l.appId });
        return info;
      },
      (e: unknown) => {
        this.logger.debug('dapp bundle not fetched for its detail', { appId: l.appId, error: String(e) });
        return null;
      },
    );
    const wait = new Promise<null>((r) => setTimeout(() => r(null), this.o.detailWaitMs ?? 1500).unref?.());
    return Promise.race([fetching, wait]);
  }

  private async installedBud(r: InstalledRecord): Promise<Uint8Array | null> {
    return readFile(this.o.library.disk.bundleFile(r.contentHash)).then((b) => new Uint8Array(b), () => null);
  }

  private remember(l: DappListing, bud: Uint8Array): DappBundleInfoT | null {
    let info: DappBundleInfoT;
    try {
      info = bundleInfo(verifyBundle(bud, listingOf(l)), true);
    } catch (e) {
      if (!isPackageError(e)) throw e;
      try {
        info = bundleInfo(openContainer(bud), false);
      } catch {
        return null;
      }
    }
    this.infos.set(lower(l.latest.contentHash), info);
    return info;
  }
}

function listingOf(l: DappListing): Listing {
  return { appId: l.appId, contentHash: lower(l.latest.contentHash), authorKey: lower(l.latest.authorKey), version: l.latest.versionText };
}
