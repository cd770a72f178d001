/**
 * @module dht/dht-node
 * A Kademlia node (Maymounkov & Mazières 2002) on the shared UDP socket: endpoint-bound ids
 * (dht-rpc style), BEP 5 transaction ids and write tokens, BEP 44-style signed mutable
 * records, k-bucket LRU with replacement caches, α-parallel iterative lookups, bucket refresh,
 * join through bootstrap nodes with a self-lookup, and an ephemeral (client) mode.
 */
import { BuError, bytesEqual, silentLogger, type Logger } from '../base';
import { randomBytes } from '../crypto';
import { endpointKey, RateLimiter, type Endpoint } from '../net';
import { CMD_FIND_NODE, CMD_GET, CMD_PING, CMD_PUT, DEFAULTS, PUT_STATUS_NAMES, type PutStatusName } from './constants';
import { iterativeLookup, type Candidate, type QueryAnswer } from './lookup';
import { decodeMessage, encodeRequest, isDhtPacket, type DhtRequest, type DhtResponse, type NodeInfo } from './messages';
import { commonPrefixBits, idMatchesEndpoint, nodeIdOf, randomIdInBucket } from './node-id';
import { Observations, type Observation } from './observations';
import { Publisher, type PublishOptions, type PublishResult } from './publisher';
import { recordKey, type DhtIdentity, type DhtRecord, type RecordEntry } from './record';
import { RecordStore } from './record-store';
import { RecordCollector } from './record-collector';
import { RoutingTable } from './routing-table';
import { Rpc, type DatagramSocket } from './rpc';
import { handleRequest, type ServerContext } from './server';
import { WriteTokens } from './tokens';
import { isDhtWireError } from './wire';
import type { DhtNodeOptions, DhtStats, LookupDetails } from './node-types';

export type { DhtNodeOptions, DhtStats, LookupDetails } from './node-types';


export class DhtNode {
  readonly ephemeral: boolean;
  readonly router: boolean;
  private selfId: Uint8Array;
  private readonly opts: DhtNodeOptions;
  private readonly k: number;
  private readonly alpha: number;
  private readonly now: () => number;
  private readonly logger: Logger;
  private readonly socket: DatagramSocket;
  private readonly rpc: Rpc;
  private readonly table: RoutingTable;
  private readonly store: RecordStore;
  private readonly server: ServerContext;
  private readonly publisher: Publisher;
  private readonly seen = new Observations();
  private readonly routerSet = new Map<string, Endpoint>();
  private unsubscribe: (() => void) | null = null;
  private refreshTimer: ReturnType<typeof setInterval> | null = null;
  private refreshing = false;
  private closed = false;
  private readonly probing = new Set<string>();
  private counters = { malformed: 0, lookups: 0, verifications: 0, probes: 0 };

  constructor(opts: DhtNodeOptions) {
    this.opts = opts;
    this.socket = opts.socket;
    this.ephemeral = opts.ephemeral ?? false;
    this.router = opts.router ?? false;
    this.k = Math.max(1, Math.min(32, Math.floor(opts.k ?? DEFAULTS.k)));
    this.alpha = Math.max(1, Math.floor(opts.alpha ?? DEFAULTS.alpha));
    this.now = opts.now ?? Date.now;
    this.logger = opts.logger ?? silentLogger;
    const bound = opts.publicEndpoint ?? this.socket.address();
    this.selfId = (!this.ephemeral && isConcrete(bound) && nodeIdOf(bound)) || randomBytes(32);
    this.rpc = new Rpc(this.socket, opts.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs, opts.retries ?? DEFAULTS.retries);
    this.table = new RoutingTable({ selfId: this.selfId, k: this.k, now: this.now, ping: (c) => this.ping(c.endpoint) });
    this.store = new RecordStore({ maxRecords: opts.maxRecords ?? DEFAULTS.maxRecords, putRate: opts.putRate ?? DEFAULTS.putRate, now: this.now });
    const rate = opts.requestRate ?? DEFAULTS.requestRate;
    this.server = {
      socket: this.socket,
      table: this.table,
      store: this.store,
      tokens: new WriteTokens(opts.tokenRotateMs ?? DEFAULTS.tokenRotateMs, this.now),
      limiter: new RateLimiter({ ratePerSec: rate.ratePerSec, burst: rate.burst, maxKeys: 4096 }),
      k: this.k,
      stats: { requestsReceived: 0, rateLimited: 0 },
      selfId: () => (this.ephemeral ? null : this.selfId),
      router: this.router,
      now: this.now,
      probe: (id, endpoint) => this.probe(id, endpoint),
    };
    this.publisher = new Publisher({
      now: this.now,
      logger: this.logger,
      storeLocal: (key, bytes) => void this.store.put(key, bytes, 'self'),
      closestWithTokens: async (key) => {
        const r = await this.runLookup(key, CMD_FIND_NODE);
        return { nodes: r.closest.filter((c) => c.token).map((c) => ({ endpoint: c.endpoint, token: c.token! })), rounds: r.rounds };
      },
      put: (to, key, token, bytes) => this.putTo(to, key, token, bytes),
    });
    this.unsubscribe = this.socket.onPacket((data, from) => this.handlePacket(data, from));
  }

  get id(): Uint8Array {
    return this.selfId;
  }

  /** Join: ping the bootstrap nodes, adopt the observed id, self-lookup, start bucket refresh. */
  async start(): Promise<void> {
    if (this.closed) throw new BuError('NOT_RUNNING', 'DHT node is closed');
    const boot = this.opts.bootstrap ?? [];
    if (boot.length) {
      const alive = await this.pingBootstrap();
      if (!alive) throw new BuError('NETWORK', 'no DHT bootstrap node answered');
      const seen = this.seen.mostCommon();
      if (seen && !this.ephemeral && !this.opts.publicEndpoint) {
        const id = nodeIdOf(seen);
        if (id && !bytesEqual(id, this.selfId)) {
          this.selfId = id;
          this.table.rebase(id);
        }
      }
      const self = await this.runLookup(this.selfId, CMD_FIND_NODE);
      // Kademlia §2.3: then refresh the buckets further away than our closest neighbour. The
      // self-lookup already found every node sharing at least as many bits with us as the k-th
      // closest one, so only buckets above that depth that are not full need a lookup.
      const kth = self.closest.length >= this.k ? self.closest[self.closest.length - 1] : undefined;
      const covered = kth ? commonPrefixBits(this.selfId, kth.id) : 0;
      await this.refreshBuckets(this.table.staleBuckets(Infinity, true).filter((i) => i < covered));
    }
    for (let i = 0; i < 256; i++) this.table.touch(i); // the join counts as a refresh of every bucket
    if (!this.refreshTimer && !this.closed) {
      const every = Math.max(1000, Math.floor((this.opts.refreshIntervalMs ?? DEFAULTS.refreshIntervalMs) / 4));
      this.refreshTimer = setInterval(() => void this.refresh(), every);
      this.refreshTimer.unref?.();
    }
  }

  private async pingBootstrap(): Promise<number> {
    const boot = this.opts.bootstrap ?? [];
    const ok = await Promise.all(boot.map((b) => this.ping(b)));
    return ok.filter(Boolean).length;
  }

  /** Refresh every bucket not touched for `refreshIntervalMs`, and drop expired records. */
  async refresh(): Promise<number> {
    if (this.refreshing || this.closed) return 0;
    this.refreshing = true;
    try {
      this.store.sweep();
      const stale = this.table.staleBuckets(this.now() - (this.opts.refreshIntervalMs ?? DEFAULTS.refreshIntervalMs));
      await this.refreshBuckets(stale);
      return stale.length;
    } finally {
      this.refreshing = false;
    }
  }

  /** One lookup for a random id inside each bucket, two at a time. */
  private async refreshBuckets(indices: number[]): Promise<void> {
    const queue = [...indices];
    const worker = async () => {
      for (let i = queue.shift(); i !== undefined && !this.closed; i = queue.shift()) {
        const bucket = i;
        await this.runLookup(randomIdInBucket(this.selfId, bucket), CMD_FIND_NODE, undefined, () => this.table.bucketFull(bucket));
      }
    };
    await Promise.all([worker(), worker()]);
  }

  observedEndpoint(): Endpoint | null {
    return this.seen.mostCommon();
  }

  observations(): Observation[] {
    return this.seen.list();
  }

  /** Endpoints of nodes that advertised the ROUTER flag (our table, and the last 64 router responders). */
  routers(): Endpoint[] {
    const out = new Map(this.routerSet);
    for (const c of this.table.all()) if (c.router) out.set(c.key, c.endpoint);
    return [...out.values()].map((e) => ({ ...e }));
  }

  /** Contacts currently in the routing table. */
  contacts(): NodeInfo[] {
    return this.table.all().map((c) => ({ id: c.id, endpoint: { ...c.endpoint }, router: c.router }));
  }

  publish(identity: DhtIdentity, appId: number, entries: RecordEntry[], opts?: PublishOptions): Promise<PublishResult> {
    return this.publisher.publish(identity, appId, entries, opts);
  }

  /** Stop republishing a record (it stays stored until it expires). */
  unpublish(address: string, appId: number): void {
    this.publisher.forget(recordKey(address, appId));
  }

  async lookup(address: string, appId: number): Promise<DhtRecord | null> {
    return (await this.lookupDetailed(address, appId)).record;
  }

  /** Like `lookup`, with the round and query counts (benchmarks, tests). */
  async lookupDetailed(address: string, appId: number): Promise<LookupDetails> {
    const key = recordKey(address, appId);
    const collector = new RecordCollector(key, this.now, () => this.counters.verifications++);
    const local = this.store.get(key);
    if (local) collector.consider(local);
    const r = await this.runLookup(key, CMD_GET, collector);
    return { record: collector.best(), rounds: r.rounds, queries: r.queries, found: collector.found };
  }

  async findNode(target: Uint8Array): Promise<{ closest: NodeInfo[]; rounds: number }> {
    const r = await this.runLookup(target, CMD_FIND_NODE);
    return { closest: r.closest.map((c) => ({ id: c.id, endpoint: c.endpoint, router: c.router })), rounds: r.rounds };
  }

  private async runLookup(target: Uint8Array, command: typeof CMD_FIND_NODE | typeof CMD_GET, collector?: RecordCollector, stopWhen?: () => boolean) {
    if (this.closed) throw new BuError('NOT_RUNNING', 'DHT node is closed');
    this.counters.lookups++;
    if (this.table.size === 0 && this.opts.bootstrap?.length) await this.pingBootstrap();
    const bi = this.table.bucketIndex(target);
    if (bi < 256) this.table.touch(bi);
    const selfKey = this.ephemeral ? null : this.selfId;
    return iterativeLookup({
      target,
      k: this.k,
      alpha: this.alpha,
      maxQueries: DEFAULTS.maxLookupQueries,
      stallMs: () => this.rpc.stallMs(),
      seeds: this.table.closest(target, this.k).map((c) => ({ id: c.id, endpoint: c.endpoint, router: c.router })),
      stopWhen,
      accept: (n) => (!selfKey || !bytesEqual(n.id, selfKey)) && idMatchesEndpoint(n.id, n.endpoint),
      query: async (c: Candidate): Promise<QueryAnswer | null> => {
        const req = command === CMD_GET ? ({ command: CMD_GET, key: target } as const) : ({ command: CMD_FIND_NODE, target } as const);
        const res = await this.request(c.endpoint, req);
        if (!res) return null;
        if (res.command === CMD_GET || res.command === CMD_FIND_NODE) for (const n of res.nodes) this.probe(n.id, n.endpoint);
        if (res.command === CMD_GET) {
          if (res.record && collector) collector.consider(res.record);
          return { nodes: res.nodes, token: res.token };
        }
        if (res.command === CMD_FIND_NODE) return { nodes: res.nodes, token: res.token };
        return null;
      },
    });
  }

  /**
   * Ping an unknown node if its bucket has room and its id is bound to its endpoint: used for
   * requesters (ping back) and for nodes learned from responses (as libtorrent does). A node
   * enters the table only by answering; at most `maxProbes` probes run at once.
   */
  private probe(id: Uint8Array, endpoint: Endpoint): void {
    if (this.closed || this.table.has(id) || !this.table.hasRoomFor(id)) return;
    if (this.probing.size >= (this.opts.maxProbes ?? DEFAULTS.maxProbes)) return;
    const key = endpointKey(endpoint);
    if (this.probing.has(key) || !idMatchesEndpoint(id, endpoint)) return;
    this.probing.add(key);
    this.counters.probes++;
    const done = () => void this.probing.delete(key);
    this.ping(endpoint).then(done, done);
  }

  /** PING; true when it answered. */
  async ping(to: Endpoint): Promise<boolean> {
    return (await this.request(to, { command: CMD_PING })) !== null;
  }

  /** Low-level PUT (records must come with a token from `to`); null when it did not answer. */
  async putTo(to: Endpoint, key: Uint8Array, token: Uint8Array, record: Uint8Array): Promise<PutStatusName | null> {
    const res = await this.request(to, { command: CMD_PUT, key, token, record });
    if (!res || res.command !== CMD_PUT) return null;
    return PUT_STATUS_NAMES[res.status] ?? null;
  }

  /** Low-level GET to one node: its token and stored record bytes (tests, diagnostics). */
  async getFrom(to: Endpoint, key: Uint8Array): Promise<{ token: Uint8Array; record: Uint8Array | null; nodes: NodeInfo[] } | null> {
    const res = await this.request(to, { command: CMD_GET, key });
    return res && res.command === CMD_GET ? { token: res.token, record: res.record, nodes: res.nodes } : null;
  }

  /** One request with retry; on an answer: observation, router discovery, table insertion. */
  private async request(to: Endpoint, body: DistributiveOmit<DhtRequest, 'tid' | 'id' | 'router'>): Promise<DhtResponse | null> {
    if (this.closed) return null;
    const r = await this.rpc.request(to, body.command, (tid) =>
      encodeRequest({ ...body, tid, id: this.ephemeral ? null : this.selfId, router: this.router } as DhtRequest),
    );
    if (!r) {
      const id = nodeIdOf(to);
      if (id && !this.closed) this.table.fail(id);
      return null;
    }
    const res = r.response;
    this.seen.add(to, res.to, this.now());
    if (res.router) {
      const key = endpointKey(to);
      this.routerSet.delete(key);
      this.routerSet.set(key, { ...to });
      if (this.routerSet.size > 64) this.routerSet.delete(this.routerSet.keys().next().value!);
    }
    if (res.id && idMatchesEndpoint(res.id, to) && !this.closed) this.table.add({ id: res.id, endpoint: { ...to }, router: res.router });
    return res;
  }

  /** The socket listener; public so tests and fuzzers can feed datagrams directly. */
  handlePacket(data: Uint8Array, from: Endpoint): void {
    if (this.closed || !isDhtPacket(data)) return;
    let msg;
    try {
      msg = decodeMessage(data);
    } catch (e) {
      if (isDhtWireError(e)) {
        this.counters.malformed++;
        return;
      }
      throw e;
    }
    if (msg.kind === 'request') handleRequest(this.server, msg, from);
    else this.rpc.handleResponse(msg, from);
  }

  stats(): DhtStats {
    const rs = this.rpc.stats;
    return {
      id: Buffer.from(this.selfId).toString('hex'),
      ephemeral: this.ephemeral,
      nodes: this.table.size,
      records: this.store.size,
      requestsSent: rs.requests,
      retransmits: rs.retransmits,
      timeouts: rs.timeouts,
      responses: rs.responses,
      unmatchedResponses: rs.unmatched,
      requestsReceived: this.server.stats.requestsReceived,
      rateLimited: this.server.stats.rateLimited,
      malformed: this.counters.malformed,
      probes: this.counters.probes,
      lookups: this.counters.lookups,
      signatureVerifications: this.store.verifications + this.counters.verifications,
      lruPings: this.table.counters.lruPings,
      evictions: this.table.counters.evictions,
      puts: { ...this.store.outcomes },
    };
  }

  /** Stop timers and pending requests and detach from the socket (the socket stays open). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    this.refreshTimer = null;
    this.publisher.close();
    this.rpc.close();
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function isConcrete(e: Endpoint): boolean {
  return e.host !== '0.0.0.0' && e.host !== '::' && e.port > 0;
}
