/**
 * @module node/dapp-host
 * The node's dapp store host (issue 12): while unlocked, the installed dapps (dapps/library on
 * `<data>/dapps`, state in the store's key-value table), the catalog (dapps/store over the
 * embedded devnet's DappRegistry, read through its JSON-RPC), and the runtime's BundleSwarm,
 * which serves every installed bundle and every sample bundle the app ships
 * (`<resources>/dapps/bundles/*.bud`) and downloads what is installed. Progress and changes
 * become the `dapps.progress` / `dapps.changed` events.
 *
 * The shell says how dapps are served (`setServer`): the headless daemon's dapp server
 * (`http://<id>.localhost:<port>`) or Electron's `bu-dapp://<id>`; `launch` asks it for the URL.
 * `installedInfo` is the read API of the provider (dapps/provider DappDirectory).
 */
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DappLaunchT } from '../../../src-preload/contract';
import { BuError, TypedEmitter, fromHex, type Logger } from '../base';
import { devnetSection } from '../chain';
import { DappLibrary, DappStore, RegistryReader, refusing, registryInterface, verifyBundle, type DappInfo, type Resolved } from '../dapps';
import { RpcClient, type WalletService } from '../wallet';
import type { ChainHost } from './chain-host';
import type { NodeEvents } from './node';
import type { Runtime } from './runtime';
import { DEVNET_NETWORK_ID } from './wallet-host';

/** How the shell serves dapps. `originOf` (optional) must not mint launch tokens. */
export type DappServerPort = { urlOf(appId: string, entry: string): { url: string; origin: string }; originOf?(appId: string): string };

export type DappHostOptions = {
  dataDir: string;
  resourcesDir?: string;
  chain: ChainHost;
  wallet: () => WalletService | null;
  events: Pick<TypedEmitter<NodeEvents>, 'emit'>;
  logger: Logger;
  version: string;
};

export type DappHostEvents = { uninstalled: { appId: string } };

/** How long after a new block the registry is read again (blocks come ~20 ms after a transaction). */
const REFRESH_AFTER_HEAD_MS = 1500;

const PUBLISHED_KEY = 'dapps.published';

function readPublished(raw: string | null): string[] {
  try {
    const v = raw ? (JSON.parse(raw) as unknown) : [];
    return Array.isArray(v) ? v.filter((h): h is string => typeof h === 'string' && /^[0-9a-f]{64}$/.test(h)) : [];
  } catch {
    return [];
  }
}

/** The contract's report reasons (resources/contracts/DappRegistry.sol; registry REPORT_REASONS). */
const REPORT_CODES = { malware: 1, scam: 2, illegal: 3, broken: 5, other: 255 } as const;

export class DappHost extends TypedEmitter<DappHostEvents> {
  private library: DappLibrary | null = null;
  private dappStore: DappStore | null = null;
  private runtime: Runtime | null = null;
  private server: DappServerPort | null = null;
  private reader: { key: string; reader: RegistryReader; rpc: RpcClient } | null = null;
  private readonly blockTimes = new Map<bigint, number>();
  /** Content hashes (hex) of the shipped sample bundles: always served. */
  private readonly samples = new Set<string>();
  /** Content hashes (hex) of bundles the user asked us to seed (`seedBundle`, e.g. after publishing): kept in settings. */
  private published = new Set<string>();
  private offs: Array<() => void> = [];

  constructor(private readonly o: DappHostOptions) {
    super();
  }

  /** On unlock: the library, the store, and seeding what is installed and shipped. */
  async open(rt: Runtime): Promise<void> {
    const library = await DappLibrary.open({ root: join(this.o.dataDir, 'dapps'), kv: rt.store.settings, hostVersion: this.o.version, logger: this.o.logger });
    const store = new DappStore({
      registry: () => this.registry(),
      library,
      fetcher: (hash, onProgress, signal) => {
        // a bundle we serve already (a shipped sample, a bundle kept from before) needs no peer
        const local = (rt.swarm.source as { pathOf?: (h: Uint8Array) => string | null }).pathOf?.(fromHex(hash.replace(/^0x/, '')));
        if (local) return Promise.resolve(local);
        return rt.swarm.fetch(hash, { signal, onProgress: (p) => onProgress({ receivedBytes: p.receivedBytes, totalBytes: p.totalBytes || null, peers: p.peers }) }).then((r) => r.bytes);
      },
      blockTime: (b) => this.blockTime(b),
      myRating: (appId) => this.myRating(appId),
      logger: this.o.logger,
    });
    this.offs = [
      store.on('progress', (p) => this.o.events.emit('dapps.progress', p)),
      store.on('changed', (c) => this.o.events.emit('dapps.changed', c)),
      library.on('changed', (c) => {
        this.o.events.emit('dapps.changed', { kind: 'installed', appId: c.appId });
        void this.reseed(rt, c.record?.contentHash ?? null);
        if (c.kind === 'uninstalled') this.emit('uninstalled', { appId: c.appId });
      }),
    ];
    // background update detection: read the registry again a little after new blocks
    let timer: NodeJS.Timeout | null = null;
    const offHead = this.o.chain.events.on('head', () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        if (this.dappStore === store) void store.refresh().catch(() => undefined);
      }, REFRESH_AFTER_HEAD_MS);
      timer.unref?.();
    });
    this.offs.push(offHead, () => timer && clearTimeout(timer));
    this.library = library;
    this.dappStore = store;
    this.runtime = rt;
    this.published = new Set(readPublished(rt.store.settings.get(PUBLISHED_KEY)));
    await this.seedAll(rt, library);
    void store.refresh().catch(() => undefined); // the baseline of the update detection (in the background: unlock does not wait for the RPC)
  }

  async close(): Promise<void> {
    for (const off of this.offs.splice(0)) off();
    this.library = null;
    this.dappStore = null;
    this.runtime = null;
    this.reader = null;
  }

  /** The installed dapps while unlocked (dapp channels ask who has an app), else null. */
  get installedLibrary(): DappLibrary | null {
    return this.library;
  }

  setServer(server: DappServerPort | null): void {
    this.server = server;
  }

  private requireLibrary(): DappLibrary {
    if (!this.library) throw new BuError('LOCKED', 'Unlock your account to use the dapp store.');
    return this.library;
  }

  get store(): DappStore {
    if (!this.dappStore) throw new BuError('LOCKED', 'Unlock your account to use the dapp store.');
    return this.dappStore;
  }

  /** The provider's view of an installed dapp (null: not installed, or locked). */
  installedInfo(appId: string): DappInfo | null {
    const r = this.library?.get(appId);
    if (!r) return null;
    const origin = this.server ? (this.server.originOf?.(r.appId) ?? this.server.urlOf(r.appId, r.entry).origin) : '';
    return { name: r.name, version: r.version, permissions: [...r.permissions], origin };
  }

  /** A file of an installed dapp for the shell's server (null: not installed, not in its bundle, or locked). */
  resolve(appId: string, path: string): Promise<Resolved | null> {
    return this.library ? this.library.resolve(appId, path) : Promise.resolve(null);
  }

  isInstalled(appId: string): boolean {
    return !!this.library?.get(appId);
  }

  launch(appId: string): DappLaunchT {
    const r = this.requireLibrary().get(appId);
    if (!r) throw new BuError('NOT_INSTALLED', `The dapp ${appId} is not installed.`);
    if (!this.server) throw new BuError('NOT_RUNNING', 'This shell does not serve dapps (no dapp server is running).');
    const { url, origin } = this.server.urlOf(r.appId, r.entry);
    return { appId: r.appId, name: r.name, url, origin };
  }

  /**
   * Verify a local .bud completely (container, chunks, manifest, author signature) and seed it
   * from now on, across restarts: how an author's node serves what it just published.
   */
  async seedBundle(path: string): Promise<{ appId: string; name: string; version: string; contentHash: string }> {
    const rt = this.runtime;
    if (!rt || !this.library) throw new BuError('LOCKED', 'Unlock your account to seed a dapp bundle.');
    const bytes = await readFile(path).catch((e: unknown) => {
      throw new BuError('NOT_FOUND', `Cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`);
    });
    const bundle = refusing(() => verifyBundle(new Uint8Array(bytes)));
    const hash = Buffer.from(await rt.swarm.seed(new Uint8Array(bytes))).toString('hex');
    this.published.add(hash);
    rt.store.settings.set(PUBLISHED_KEY, JSON.stringify([...this.published].sort()));
    const m = bundle.manifest;
    return { appId: m.appId.toLowerCase(), name: m.name, version: m.version, contentHash: `0x${hash}` };
  }

  /** `rate(appId, stars)` on the registry from the wallet's first visible account. */
  rate(appId: string, stars: number): Promise<{ txHash: string }> {
    return this.send(appId, registryInterface.encodeFunctionData('rate', [appId, stars]));
  }

  report(appId: string, reason: keyof typeof REPORT_CODES): Promise<{ txHash: string }> {
    return this.send(appId, registryInterface.encodeFunctionData('report', [appId, REPORT_CODES[reason]]));
  }

  private async send(appId: string, data: string): Promise<{ txHash: string }> {
    const wallet = this.o.wallet();
    if (!wallet) throw new BuError('LOCKED', 'Unlock your account to send the transaction.');
    await this.store.detail(appId); // DAPP_NOT_FOUND before anything is signed
    const to = this.registryAddress();
    if (!to) throw new BuError('DAPP_UNAVAILABLE', 'This chain has no dapp registry.');
    const item = await wallet.sendCall({ networkId: DEVNET_NETWORK_ID, to, data }, registryInterface);
    this.o.events.emit('dapps.changed', { kind: 'catalog', appId });
    return { txHash: item.hash };
  }

  private registryAddress(): string | null {
    const g = this.o.chain.running?.ledger.genesis;
    const c = g ? devnetSection(g)?.contracts.find((x) => x.artifact === 'DappRegistry') : null;
    return c?.address ?? null;
  }

  /** The reader of the running chain's registry; a new chain (devnet reset, other RPC) gets a new one. */
  private registry(): RegistryReader | null {
    const url = this.o.chain.rpcUrl;
    const address = this.registryAddress();
    if (!url || !address) return null;
    const key = `${url}|${address}|${this.o.chain.running?.ledger.genesis.timestamp ?? ''}`;
    if (this.reader?.key !== key) {
      const rpc = new RpcClient(url);
      this.reader = { key, rpc, reader: new RegistryReader({ request: (m, p) => rpc.call(m, p), address }) };
      this.blockTimes.clear();
    }
    return this.reader.reader;
  }

  private async blockTime(block: bigint): Promise<number | null> {
    const known = this.blockTimes.get(block);
    if (known !== undefined) return known;
    const rpc = this.reader?.rpc;
    const b = rpc ? await rpc.call<{ timestamp?: string } | null>('eth_getBlockByNumber', [`0x${block.toString(16)}`, false]) : null;
    if (!b?.timestamp) return null;
    const ms = Number(BigInt(b.timestamp)) * 1000;
    this.blockTimes.set(block, ms);
    return ms;
  }

  private async myRating(appId: string): Promise<number | null> {
    const account = this.o.wallet()?.accounts.list().find((a) => !a.hidden)?.address;
    const to = this.registryAddress();
    const rpc = this.reader?.rpc;
    if (!account || !to || !rpc) return null;
    const out = await rpc.call<string>('eth_call', [{ to, data: registryInterface.encodeFunctionData('ratingBy', [appId, account]) }, 'latest']);
    const stars = Number(registryInterface.decodeFunctionResult('ratingBy', out)[0]);
    return stars > 0 ? stars : null;
  }

  /** The installed bundles (in the swarm's seed folder already) and the shipped samples (copied in). */
  private async seedAll(rt: Runtime, library: DappLibrary): Promise<void> {
    for (const file of library.bundleFiles()) {
      await rt.swarm.seed(file).catch((e: unknown) => this.o.logger.warn('not seeding an installed dapp bundle', { file, error: String(e) }));
    }
    for (const file of this.sampleBundles()) {
      const hash = await rt.swarm.seed(file).catch((e: unknown) => this.o.logger.warn('not seeding a sample dapp bundle', { file, error: String(e) }));
      if (hash) this.samples.add(Buffer.from(hash).toString('hex'));
    }
  }

  /** After an install, update or uninstall: seed the new bundle, stop serving removed ones (samples stay). */
  private async reseed(rt: Runtime, added: string | null): Promise<void> {
    if (this.runtime !== rt || !this.library) return;
    const lib = this.library;
    if (added) await rt.swarm.seed(lib.disk.bundleFile(added)).catch(() => undefined);
    const keep = new Set(lib.list().map((r) => r.contentHash.replace(/^0x/, '')));
    const source = rt.swarm.source as { remove?: (h: Uint8Array) => Promise<boolean> | boolean };
    for (const h of rt.swarm.source.list()) {
      const hex = Buffer.from(h).toString('hex');
      if (!keep.has(hex) && !this.samples.has(hex) && !this.published.has(hex)) await Promise.resolve(source.remove?.(h)).catch(() => undefined);
    }
    await this.seedAll(rt, lib);
  }

  private sampleBundles(): string[] {
    const dir = this.o.resourcesDir ? join(this.o.resourcesDir, 'dapps', 'bundles') : null;
    if (!dir) return [];
    try {
      return readdirSync(dir).filter((n) => n.endsWith('.bud')).sort().map((n) => join(dir, n));
    } catch {
      return [];
    }
  }
}
