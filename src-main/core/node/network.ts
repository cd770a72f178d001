/**
 * @module node/network
 * The issue-3 network around the chat: one UDP socket shared (by first byte) by the DHT, the
 * relay frames of application routers and the session layer.
 *
 *   UdpSocket ─┬─ DhtNode (0x20/0x21)              find friends: signed records (address, CHAT_APP_ID)
 *              └─ RelaySocket (0x40 frames) ─ SessionManager (0x01–0x0F) ─ ArClient (0xA7 payloads)
 *
 * It publishes our record — our own endpoints (never the NAT mapping, see entries()), the
 * routers we are registered with (`via`), and our prekey bundle (`extra`) — and republishes when
 * any of that changes. It adapts DhtNode/ArClient to the chat's Discovery/Traversal/Mailbox ports
 * and classifies our NAT from the mappings several observers report (RFC 4787 terms), and the
 * routers' vault to the chat's RosterPort (contact-list backup). A fresh profile first looks up
 * its own previous record (before publishing over it): its routers may hold that backup.
 */
import type { NatTypeT } from '../../../src-preload/contract';
import type { Logger } from '../base';
import type { Identity } from '../account';
import { ArClient, RelaySocket, isRelayEndpoint } from '../ar';
import type { Discovery, MailboxPort, RosterPort, Traversal } from '../chat';
import { CHAT_APP_ID, DhtNode, type RecordEntry } from '../dht';
import { endpointKey, parseEndpoint, type Endpoint, type UdpSocket } from '../net';
import type { SessionManager } from '../session';

export const AGENT = 'bitunicom-desktop/0.1';
const REPUBLISH_CHECK_MS = 15_000;
/** How long a fresh profile holds its first publish for the look at its own previous record. */
const RECALL_WAIT_MS = 10_000;

export type NetworkOptions = {
  socket: UdpSocket;
  identity: Identity;
  bootstrap: Endpoint[];
  logger: Logger;
  advertised: () => Endpoint[];
  prekeyBundle: () => Uint8Array | null;
  /** Who may be introduced to us or open a relay circuit to us (contacts, not strangers). */
  acceptPeer: (address: string) => boolean;
  /** Look up our own previous DHT record before the first publish (a fresh profile: its routers may hold our roster). */
  recallOwnRecord?: () => boolean;
};

export class Network {
  readonly relay: RelaySocket;
  readonly dht: DhtNode;
  ar: ArClient | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastPublished = '';
  private closed = false;
  /** Routers of our own record as it was before this run published; publishing waits for that look. */
  private previous: Endpoint[] = [];
  private recalled = false;
  private publishing: Promise<void> | null = null;
  private publishAgain = false;

  constructor(private o: NetworkOptions) {
    this.relay = new RelaySocket(o.socket);
    this.dht = new DhtNode({ socket: o.socket, bootstrap: o.bootstrap, ephemeral: true, logger: o.logger });
  }

  /** Second phase, once the session manager (built on `relay`) exists. */
  attach(sessions: SessionManager): ArClient {
    this.ar = new ArClient({
      sessions,
      socket: this.relay,
      logger: this.o.logger,
      routers: () => {
        const seen = new Set<string>();
        const out: Endpoint[] = [];
        for (const e of [...this.o.bootstrap, ...this.dht.routers()]) {
          const k = endpointKey(e);
          if (seen.has(k)) continue;
          seen.add(k);
          out.push(e);
        }
        return out;
      },
      localEndpoints: () => this.o.advertised(),
      acceptPeer: (address) => this.o.acceptPeer(address),
    });
    return this.ar;
  }

  /** Join the DHT and the routers in the background; publish and keep publishing. */
  start(): void {
    const ar = this.ar;
    this.recalled = !this.o.recallOwnRecord?.();
    if (!this.recalled) {
      // a slow DHT join must not keep a fresh profile unpublished for long
      const t = setTimeout(() => {
        this.recalled = true;
        void this.publishIfChanged();
      }, RECALL_WAIT_MS);
      t.unref?.();
    }
    void this.dht
      .start()
      .catch((e: unknown) => this.o.logger.warn('DHT join failed', { error: String(e) }))
      .then(() => this.recallOwnRecord())
      .then(() => this.publishIfChanged());
    void ar?.start().catch((e: unknown) => this.o.logger.warn('router registration failed', { error: String(e) }));
    ar?.on('routers', () => void this.publishIfChanged());
    this.timer = setInterval(() => void this.publishIfChanged(), REPUBLISH_CHECK_MS);
    this.timer.unref?.();
  }

  /**
   * Where we can be reached without help: our own interface addresses (a public host, a LAN
   * peer). Our NAT's mapping is NOT published: it only lets in packets from where we already
   * sent (most NATs filter by address and port), and a friend's unsolicited packets to it can
   * even spoil a later hole punch (a router that answers them keeps a conntrack entry that
   * steals our port; ar/punch.ts). Routers hand the mapping out at rendezvous time instead.
   */
  private entries(): RecordEntry[] {
    const routers = this.ar?.connectedRouters() ?? [];
    const out: RecordEntry[] = this.o.advertised().slice(0, 6).map((e) => ({ host: e.host, port: e.port, appId: CHAT_APP_ID, agent: AGENT }));
    for (const r of routers.slice(0, 2)) {
      out.push({ host: r.endpoint.host, port: r.endpoint.port, appId: CHAT_APP_ID, agent: AGENT, via: endpointKey(r.endpoint) });
    }
    return out;
  }

  private async recallOwnRecord(): Promise<void> {
    if (this.recalled) return;
    try {
      const timeout = new Promise<null>((r) => setTimeout(() => r(null), 5000).unref?.());
      const rec = await Promise.race([this.discovery.lookup(this.o.identity.address).catch(() => null), timeout]);
      this.previous = rec?.routers ?? [];
      this.o.logger.debug('our previous DHT record', { found: !!rec, routers: this.previous.length });
    } finally {
      this.recalled = true;
    }
  }

  /** One publish at a time (a newer record racing an older one can lose); again after it if asked meanwhile. */
  private publishIfChanged(): Promise<void> {
    if (this.publishing) {
      this.publishAgain = true;
      return this.publishing;
    }
    this.publishing = this.publishOnce().finally(() => {
      this.publishing = null;
      if (this.publishAgain) {
        this.publishAgain = false;
        void this.publishIfChanged();
      }
    });
    return this.publishing;
  }

  private async publishOnce(): Promise<void> {
    if (this.closed || !this.recalled) return;
    const entries = this.entries();
    const extra = this.o.prekeyBundle() ?? undefined;
    const sig = JSON.stringify(entries) + (extra ? Buffer.from(extra).toString('hex') : '');
    if (sig === this.lastPublished) return;
    try {
      const r = await this.dht.publish(this.o.identity, CHAT_APP_ID, entries, { extra });
      // stored nowhere (no DHT node answered yet, or all refused): the periodic check tries again
      if (r.stored > 0) this.lastPublished = sig;
      this.o.logger.debug('published DHT record', { entries: entries.length, stored: r.stored });
    } catch (e) {
      this.o.logger.debug('DHT publish failed', { error: String(e) });
    }
  }

  readonly discovery: Discovery = {
    lookup: async (address) => {
      const rec = await this.dht.lookup(address, CHAT_APP_ID);
      if (!rec) return null;
      const endpoints: Endpoint[] = [];
      const routers: Endpoint[] = [];
      for (const e of rec.entries) {
        if (e.appId !== CHAT_APP_ID) continue;
        if (e.via) {
          try {
            routers.push(parseEndpoint(e.via));
          } catch {
            /* malformed router hint */
          }
        } else endpoints.push({ host: e.host, port: e.port });
      }
      return { endpoints, routers, prekeys: rec.extra ?? null };
    },
  };

  readonly traversal: Traversal = {
    introduce: (peer, via) => this.ar?.introduce(peer, via) ?? Promise.resolve(null),
    openRelay: (peer, via) => this.ar?.openRelay(peer, via) ?? Promise.resolve(null),
    isRelayEndpoint: (e) => isRelayEndpoint(e),
  };

  readonly mailbox: MailboxPort = {
    put: (recipient, blob, via) => this.ar?.mailboxPut(recipient, blob, via) ?? Promise.resolve(false),
    ack: (router, ids) => void this.ar?.ackMailbox(router, ids),
  };

  readonly roster: RosterPort = {
    putRoster: (version, blob, routers) => this.ar?.vaultPutReport(blob, version, routers) ?? Promise.resolve([]),
    getRoster: (via, verify) => this.ar?.vaultGet(via, verify) ?? Promise.resolve(null),
    homeRouters: () => (this.ar?.connectedRouters() ?? []).map((r) => r.address),
    previousRouters: () => Promise.resolve(this.previous),
    onRoutersChanged: (cb) => this.ar?.on('routers', cb) ?? (() => undefined),
    hasRouters: () => this.o.bootstrap.length > 0 || this.dht.routers().length > 0,
  };

  /** RFC 4787: one mapping for every destination = endpoint-independent ("cone"). */
  nat(): { type: NatTypeT; mapped: Endpoint | null } {
    const seen = new Map<string, Endpoint>();
    for (const o of this.dht.observations()) seen.set(`${endpointKey(o.by)}`, o.to);
    for (const o of this.ar?.observations() ?? []) seen.set(`ar:${o.router}`, o.observed);
    const mappings = [...seen.values()];
    if (mappings.length === 0) return { type: 'unknown', mapped: null };
    const distinct = new Set(mappings.map(endpointKey));
    const mapped = mappings[0]!;
    if (distinct.size > 1) return { type: 'symmetric', mapped };
    if (mappings.length < 2) return { type: 'unknown', mapped };
    const open = this.o.advertised().some((e) => e.host === mapped.host && e.port === mapped.port);
    return { type: open ? 'open' : 'cone', mapped };
  }

  routers(): Array<{ address: string; endpoint: Endpoint; rttMs: number | null }> {
    return this.ar?.connectedRouters() ?? [];
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.ar?.close().catch(() => undefined);
    await this.dht.close().catch(() => undefined);
  }
}
