/**
 * @module dapps/registry/reader
 * The store's view of the DappRegistry contract, built from its events over Ethereum JSON-RPC
 * (execution-apis: eth_getLogs, eth_call, eth_blockNumber) — works against the embedded
 * devnet, anvil or any node.
 *
 * `sync()` reads the registry's Published, Rated, Reported and Delisted logs from the block
 * after the last one it saw up to the head, in ranges of at most `chunkBlocks` (the devnet
 * RPC allows 100,000) and halving a range the node refuses as too large (-32005). Apps seeded
 * by the constructor in a genesis alloc have no logs: the first sync asks `seededApps()`
 * and reads those from storage (getApp, versionsOf, getVersion). Ratings are each rater's
 * latest `Rated` (so the average matches the contract's ratingSum / ratingCount); reports
 * are counted per reason. If the head falls below the last block seen (a devnet reset or
 * reorg), the next sync starts over.
 */
import { BuError } from '../../base';
import { REGISTRY_TOPICS, registryInterface, unpackVersion } from './abi';

/** An EIP-1193-style request function (e.g. `(m, p) => rpcClient.call(m, p)` or `provider.send`). */
export type RegistryRequest = (method: string, params: unknown[]) => Promise<unknown>;

export type DappVersion = {
  version: bigint;
  versionText: string;
  contentHash: string;
  authorKey: string;
  manifestUri: string;
  /** Block of publication (0 for genesis seeds). */
  block: bigint;
  /** Transaction hash, null for genesis seeds. */
  txHash: string | null;
  feePaid: bigint;
};

export type DappListing = {
  appId: string;
  author: string;
  name: string;
  category: string;
  latest: DappVersion;
  /** Oldest first. */
  versions: DappVersion[];
  rating: { sum: number; count: number; average: number | null };
  reportCount: number;
  reportsByReason: Record<number, number>;
  delisted: boolean;
  /** Published by the constructor (genesis sample). */
  seeded: boolean;
};

export type SearchOptions = { category?: string; includeDelisted?: boolean; sort?: 'name' | 'rating' | 'recent' };

export type RegistryReaderOptions = {
  request: RegistryRequest;
  address: string;
  /** First block to scan (default 0: the deployment block makes syncing faster). */
  fromBlock?: bigint;
  chunkBlocks?: bigint;
};

type RawLog = { topics: string[]; data: string; blockNumber: string; logIndex: string; transactionHash: string | null; removed?: boolean };
type AppState = Omit<DappListing, 'latest' | 'rating' | 'reportCount'> & { ratings: Map<string, number>; reporters: Set<string> };

const LIMIT_EXCEEDED = -32005;

export class RegistryReader {
  private readonly address: string;
  private readonly chunk: bigint;
  private apps = new Map<string, AppState>();
  private next: bigint;
  private seeded = false;

  constructor(private readonly o: RegistryReaderOptions) {
    if (!/^0x[0-9a-fA-F]{40}$/.test(o.address)) throw new BuError('BAD_INPUT', `"${o.address}" is not a contract address.`);
    this.address = o.address.toLowerCase();
    this.chunk = o.chunkBlocks ?? 50_000n;
    this.next = o.fromBlock ?? 0n;
  }

  /** Read what happened since the last sync; resolves to the head block read up to. */
  async sync(): Promise<bigint> {
    const head = BigInt((await this.o.request('eth_blockNumber', [])) as string);
    if (head + 1n < this.next) this.reset();
    if (!this.seeded) {
      await this.readSeeds();
      this.seeded = true;
    }
    const logs: RawLog[] = [];
    for (let from = this.next; from <= head; from += this.chunk) {
      const to = from + this.chunk - 1n < head ? from + this.chunk - 1n : head;
      logs.push(...(await this.logs(from, to)));
    }
    logs.sort((a, b) => cmp(BigInt(a.blockNumber), BigInt(b.blockNumber)) || cmp(BigInt(a.logIndex), BigInt(b.logIndex)));
    for (const l of logs) if (!l.removed) this.apply(l);
    this.next = head + 1n;
    return head;
  }

  /** Every app, delisted ones included, in order of first publication. */
  all(): DappListing[] {
    return [...this.apps.values()].map(view);
  }

  app(appId: string): DappListing | null {
    const a = this.apps.get(appId.toLowerCase());
    return a ? view(a) : null;
  }

  /**
   * Apps whose name, category, id or author contain every word of `query` (case-insensitive;
   * an empty query lists all). Delisted apps only with `includeDelisted`.
   */
  search(query = '', o: SearchOptions = {}): DappListing[] {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    const out = this.all().filter((a) => {
      if (a.delisted && !o.includeDelisted) return false;
      if (o.category !== undefined && a.category.toLowerCase() !== o.category.toLowerCase()) return false;
      const hay = `${a.name}\n${a.category}\n${a.appId}\n${a.author}`.toLowerCase();
      return words.every((w) => hay.includes(w));
    });
    if (o.sort === 'name') out.sort((a, b) => a.name.localeCompare(b.name));
    if (o.sort === 'rating') out.sort((a, b) => (b.rating.average ?? 0) - (a.rating.average ?? 0) || b.rating.count - a.rating.count);
    if (o.sort === 'recent') out.sort((a, b) => cmp(b.latest.block, a.latest.block));
    return out;
  }

  /** Categories in use (listed apps), with counts, most used first. */
  categories(): { category: string; count: number }[] {
    const counts = new Map<string, number>();
    for (const a of this.search()) if (a.category) counts.set(a.category, (counts.get(a.category) ?? 0) + 1);
    return [...counts].map(([category, count]) => ({ category, count })).sort((a, b) => b.count - a.count || a.category.localeCompare(b.category));
  }

  private reset(): void {
    this.apps = new Map();
    this.next = this.o.fromBlock ?? 0n;
    this.seeded = false;
  }

  private async logs(from: bigint, to: bigint): Promise<RawLog[]> {
    const filter = {
      address: this.address,
      fromBlock: hex(from),
      toBlock: hex(to),
      topics: [[REGISTRY_TOPICS.Published, REGISTRY_TOPICS.Rated, REGISTRY_TOPICS.Reported, REGISTRY_TOPICS.Delisted]],
    };
    try {
      return (await this.o.request('eth_getLogs', [filter])) as RawLog[];
    } catch (err) {
      if (from < to && rpcCode(err) === LIMIT_EXCEEDED) {
        const mid = from + (to - from) / 2n;
        return [...(await this.logs(from, mid)), ...(await this.logs(mid + 1n, to))];
      }
      throw err;
    }
  }

  private async call(fn: string, args: unknown[]) {
    const data = registryInterface.encodeFunctionData(fn, args);
    const out = (await this.o.request('eth_call', [{ to: this.address, data }, 'latest'])) as string;
    return registryInterface.decodeFunctionResult(fn, out);
  }

  private async readSeeds(): Promise<void> {
    const [ids] = (await this.call('seededApps', [])) as unknown as [string[]];
    for (const id of ids) {
      const appId = id.toLowerCase();
      const [app] = (await this.call('getApp', [appId])) as unknown as [{ author: string; name: string; category: string; delisted: boolean }];
      const [numbers] = (await this.call('versionsOf', [appId])) as unknown as [bigint[]];
      const versions: DappVersion[] = [];
      for (const v of numbers) {
        const [r] = (await this.call('getVersion', [appId, v])) as unknown as [{ contentHash: string; authorKey: string; manifestUri: string; publishedAt: bigint }];
        versions.push(release(v, r.contentHash, r.authorKey, r.manifestUri, r.publishedAt, null, 0n));
      }
      if (versions.length === 0) continue;
      this.apps.set(appId, {
        appId,
        author: app.author,
        name: app.name,
        category: app.category,
        versions,
        delisted: false,
        seeded: true,
        reportsByReason: {},
        ratings: new Map(),
        reporters: new Set(),
      });
    }
  }

  private apply(l: RawLog): void {
    const ev = registryInterface.parseLog({ topics: l.topics, data: l.data });
    if (!ev) return;
    const appId = (ev.args.appId as string).toLowerCase();
    const block = BigInt(l.blockNumber);
    if (ev.name === 'Published') {
      const v = release(ev.args.version as bigint, ev.args.contentHash, ev.args.authorKey, ev.args.manifestUri, block, l.transactionHash, ev.args.feePaid);
      let a = this.apps.get(appId);
      if (!a) {
        a = { appId, author: ev.args.author, name: '', category: '', versions: [], delisted: false, seeded: false, reportsByReason: {}, ratings: new Map(), reporters: new Set() };
        this.apps.set(appId, a);
      }
      // a registry deployed by a transaction logs its seeds too: keep one entry, with the log's block
      const known = a.versions.findIndex((x) => x.version === v.version);
      if (known >= 0) {
        a.versions[known] = v;
        return;
      }
      a.name = ev.args.name;
      a.category = ev.args.category;
      a.versions.push(v);
      return;
    }
    const a = this.apps.get(appId);
    if (!a) return; // the contract refuses these for unknown apps; a log cannot precede its app
    if (ev.name === 'Rated') a.ratings.set((ev.args.rater as string).toLowerCase(), Number(ev.args.stars));
    else if (ev.name === 'Reported') {
      const who = (ev.args.reporter as string).toLowerCase();
      if (a.reporters.has(who)) return;
      a.reporters.add(who);
      const reason = Number(ev.args.reason);
      a.reportsByReason[reason] = (a.reportsByReason[reason] ?? 0) + 1;
    } else if (ev.name === 'Delisted') a.delisted = Boolean(ev.args.delisted);
  }
}

function release(version: bigint, contentHash: string, authorKey: string, manifestUri: string, block: bigint, txHash: string | null, feePaid: bigint): DappVersion {
  return { version, versionText: unpackVersion(version), contentHash, authorKey, manifestUri, block, txHash, feePaid };
}

function view(a: AppState): DappListing {
  const stars = [...a.ratings.values()];
  const sum = stars.reduce((s, x) => s + x, 0);
  return {
    appId: a.appId,
    author: a.author,
    name: a.name,
    category: a.category,
    delisted: a.delisted,
    seeded: a.seeded,
    versions: [...a.versions],
    reportsByReason: { ...a.reportsByReason },
    latest: a.versions[a.versions.length - 1]!,
    rating: { sum, count: stars.length, average: stars.length ? sum / stars.length : null },
    reportCount: a.reporters.size,
  };
}

const hex = (n: bigint) => `0x${n.toString(16)}`;
const cmp = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

function rpcCode(err: unknown): number | undefined {
  const e = err as { rpcCode?: unknown; code?: unknown; error?: { code?: unknown } };
  for (const c of [e?.rpcCode, e?.code, e?.error?.code]) if (typeof c === 'number') return c;
  return undefined;
}
