/**
 * @module seal/p2p/discovery
 * Our signed DHT record under POE_APP_ID (dht/README "Records"): one entry per declared
 * endpoint, one per home router (`via` = the router's host:port), and `extra` =
 * [version 1][flags: bit 0 public][networkId u64], so a lookup can tell a public primary from a
 * NATed sealer and skip participants of another network. Published once the DHT is joined (and,
 * behind a NAT, once the routers are known), republished when any of that changes (one publish
 * at a time, like node/network). Lookups turn a participant's record into dialable hints.
 */
import type { Logger } from '../../base';
import { POE_APP_ID, type DhtIdentity, type DhtNode, type DhtRecord, type RecordEntry } from '../../dht';
import { endpointKey, parseEndpoint, type Endpoint } from '../../net';
import { AGENT, MAX_EPS, MAX_ROUTERS } from './constants';
import type { PeerInfoUpdate } from './peer-book';

const EXTRA_VERSION = 1;

export function recordEntries(endpoints: Endpoint[], routers: Endpoint[]): RecordEntry[] {
  const out: RecordEntry[] = endpoints.slice(0, MAX_EPS).map((e) => ({ host: e.host, port: e.port, appId: POE_APP_ID, agent: AGENT }));
  for (const r of routers.slice(0, MAX_ROUTERS)) out.push({ host: r.host, port: r.port, appId: POE_APP_ID, agent: AGENT, via: endpointKey(r) });
  return out;
}

export function recordExtra(isPublic: boolean, networkId: bigint): Uint8Array {
  const b = new Uint8Array(10);
  b[0] = EXTRA_VERSION;
  b[1] = isPublic ? 1 : 0;
  new DataView(b.buffer).setBigUint64(2, BigInt.asUintN(64, networkId));
  return b;
}

/** Hints from a participant's record; null if it belongs to another network or says nothing usable. */
export function parseRecord(rec: DhtRecord, networkId: bigint): PeerInfoUpdate | null {
  let isPublic = false;
  const x = rec.extra;
  if (x && x.length >= 10 && x[0] === EXTRA_VERSION) {
    if (new DataView(x.buffer, x.byteOffset, x.length).getBigUint64(2) !== BigInt.asUintN(64, networkId)) return null;
    isPublic = (x[1]! & 1) === 1;
  }
  const endpoints: Endpoint[] = [];
  const routers: Endpoint[] = [];
  for (const e of rec.entries) {
    if (e.appId !== POE_APP_ID) continue;
    if (e.via) {
      try {
        routers.push(parseEndpoint(e.via));
      } catch {
        /* malformed router hint */
      }
    } else endpoints.push({ host: e.host, port: e.port });
  }
  if (endpoints.length === 0 && routers.length === 0) return null;
  return { endpoints: endpoints.slice(0, MAX_EPS), routers: routers.slice(0, MAX_ROUTERS), public: isPublic };
}

export type RecordPublisherDeps = {
  dht: DhtNode;
  identity: DhtIdentity;
  entries(): RecordEntry[];
  extra(): Uint8Array;
  /** False while the record would be incomplete (behind a NAT before the routers answered). */
  ready(): boolean;
  logger: Logger;
};

export class RecordPublisher {
  private last = '';
  private publishing: Promise<void> | null = null;
  private again = false;
  private closed = false;
  published = 0;

  constructor(private readonly d: RecordPublisherDeps) {}

  /** One publish at a time (a newer record racing an older one could lose); again afterwards if asked meanwhile. */
  publishIfChanged(): Promise<void> {
    if (this.publishing) {
      this.again = true;
      return this.publishing;
    }
    this.publishing = this.once().finally(() => {
      this.publishing = null;
      if (this.again && !this.closed) {
        this.again = false;
        void this.publishIfChanged();
      }
    });
    return this.publishing;
  }

  async lookup(address: string, networkId: bigint): Promise<PeerInfoUpdate | null> {
    const rec = await this.d.dht.lookup(address, POE_APP_ID);
    return rec ? parseRecord(rec, networkId) : null;
  }

  close(): void {
    this.closed = true;
  }

  private async once(): Promise<void> {
    if (this.closed || !this.d.ready()) return;
    const entries = this.d.entries();
    if (entries.length === 0) return;
    const extra = this.d.extra();
    const sig = JSON.stringify(entries) + Buffer.from(extra).toString('hex');
    if (sig === this.last) return;
    try {
      const r = await this.d.dht.publish(this.d.identity, POE_APP_ID, entries, { extra });
      if (r.stored > 0) {
        this.last = sig;
        this.published++;
      }
      this.d.logger.debug('poe: published DHT record', { entries: entries.length, stored: r.stored });
    } catch (e) {
      this.d.logger.debug('poe: DHT publish failed', { error: String(e) });
    }
  }
}
