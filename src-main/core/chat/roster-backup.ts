/**
 * @module chat/roster-backup
 * Seed 000: what waits for an account follows its credential to a new machine. Messages do so
 * through the routers' mailbox (and the senders' outboxes); this module does it for the contact
 * list, kept sealed and signed (roster-blob.ts) in the vault of every home router
 * (ar/README.md "Vault").
 *
 *  - backup: any contact change (events from add/accept/decline/block/unblock/rename and from
 *    inbound state changes) schedules, 2 s later, a new version = max(last + 1, now ms), kept
 *    in the store's settings so it never goes backwards across restarts, and its upload to every
 *    home router; a router registered later gets the latest copy too. Endpoint-only changes are
 *    uploaded at most every 10 minutes.
 *  - restore: a profile that starts with no contacts at all (init or import on a new machine)
 *    asks its home routers and the routers of its own previous DHT record, every 5 s for 2 min.
 *    A valid roster is merged in one transaction (rows that exist win, except that a pending
 *    request from someone the roster calls a friend is that friend asking again: it becomes a
 *    friend), then every friend is reached at once with an ACCEPT — a friend that receives it
 *    flushes its outbox, so what waited for us arrives without anyone accepting anything.
 *    Nothing is uploaded until a registered router has answered that it holds no backup (a new
 *    account), so an empty new profile never overwrites the backup it is about to fetch; from
 *    then on fetching goes on (a router of our previous record may still have one) but skips
 *    the copies this run wrote itself.
 */
import { sha256 } from '../crypto';
import { toHex, type Logger } from '../base';
import type { Endpoint } from '../net';
import type { ContactRow } from '../store';
import type { ChatService } from './chat-service';
import { Kind } from './payload';
import { openRoster, sealRoster, type Roster, type RosterContact } from './roster-blob';
import { isRelayEndpoint } from '../ar';

/** What the chat needs from the routers' vault (implemented by node/network.ts over ArClient). */
export type RosterPort = {
  /** Store `blob` at every home router (or those of `routers`); the version each now holds (null: no answer). */
  putRoster(version: number, blob: Uint8Array, routers?: readonly string[]): Promise<Array<{ router: string; version: number | null }>>;
  /** The best copy `verify` accepts among the home routers and `via` (routers of our previous DHT record); `verify` throws on invalid ones. */
  getRoster(via: Endpoint[], verify: (blob: Uint8Array, version: number) => boolean): Promise<{ router: string; version: number; blob: Uint8Array } | null>;
  /** Addresses of the home routers we are registered with. */
  homeRouters(): string[];
  /** Routers listed in our own DHT record as it was before this run published (empty if unknown). */
  previousRouters(): Promise<Endpoint[]>;
  /** Called whenever the set of home routers changes; returns an unsubscribe function. */
  onRoutersChanged(cb: () => void): () => void;
  /** Whether any router is known at all (bootstrap list, DHT): without one a restore cannot come. */
  hasRouters(): boolean;
};

export type RosterStatus = {
  /** Version of our latest sealed roster (0: none yet). */
  version: number;
  restoring: boolean;
  /** When a roster was restored into this profile (null: never). */
  restoredAt: number | null;
  /** Contacts that restore brought in. */
  contacts: number;
  /** Last time a router confirmed our latest version (this run). */
  uploadedAt: number | null;
  /** Home routers known to hold our latest version. */
  routers: number;
};

export type RosterTiming = { debounceMs: number; endpointsEveryMs: number; refreshEveryMs: number; retryMs: number; restoreForMs: number; holdUnknownMs: number };
const DEFAULT_TIMING: RosterTiming = { debounceMs: 2000, endpointsEveryMs: 10 * 60_000, refreshEveryMs: 7 * 24 * 3600_000, retryMs: 5000, restoreForMs: 120_000, holdUnknownMs: 30_000 };

const VERSION_KEY = 'roster.version';
const RESTORED_KEY = 'roster.restored';

export class RosterBackup {
  private readonly t: RosterTiming;
  private restoring = false;
  private restoreStartedAt = 0;
  /** A registered router had no backup for us: uploads may start, friends may be told UNKNOWN. */
  private released = false;
  /** The first version this run uploaded while still restoring: fetched copies from it on are ours. */
  private ownSince: number | null = null;
  private readonly heldUnknown = new Set<string>();
  private attempting = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private flushTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private again = false;
  private latest: { version: number; blob: Uint8Array; contactsSig: string; endpointsSig: string; at: number } | null = null;
  /** Router (lowercase) → the version it told us it holds. */
  private readonly held = new Map<string, number>();
  private uploadedAt: number | null = null;
  private offs: Array<() => void> = [];
  private stopped = false;

  constructor(
    private readonly chat: ChatService,
    private readonly port: RosterPort,
    private readonly logger: Logger,
    timing: Partial<RosterTiming> = {},
  ) {
    this.t = { ...DEFAULT_TIMING, ...timing };
  }

  /** Call once the chat runs; `fresh`: the profile has no contacts at all (ask for a backup). */
  start(fresh: boolean): void {
    this.offs.push(
      this.chat.on('contact', () => this.schedule()),
      this.port.onRoutersChanged(() => this.onRouters()),
    );
    if (fresh) this.beginRestore();
    else this.schedule();
  }

  stop(): void {
    this.stopped = true;
    for (const off of this.offs.splice(0)) off();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.retryTimer = this.flushTimer = null;
  }

  /**
   * While a restore may still come, a peer that talks to us as a friend is not told UNKNOWN (it
   * would send a REQUEST for the user to accept): true = held. Held peers are told once the wait
   * is over without a roster that knows them.
   */
  holdUnknown(peer: string): boolean {
    if (!this.holding()) return false;
    this.heldUnknown.add(peer);
    return true;
  }

  private holding(): boolean {
    return this.restoring && !this.released && this.port.hasRouters() && this.chat.now() - this.restoreStartedAt < this.t.holdUnknownMs;
  }

  private releaseUnknown(): void {
    for (const peer of this.heldUnknown) {
      const c = this.chat.store.contacts.get(peer);
      if (!c || c.state === 'pending_in') this.chat.sendUnknown(peer);
    }
    this.heldUnknown.clear();
  }

  status(): RosterStatus {
    const restored = this.restoredInfo();
    const version = this.latest?.version ?? 0;
    return {
      version: Math.max(version, this.storedVersion()),
      restoring: this.restoring,
      restoredAt: restored?.at ?? null,
      contacts: restored?.contacts ?? 0,
      uploadedAt: this.uploadedAt,
      routers: version ? [...this.held.values()].filter((v) => v >= version).length : 0,
    };
  }

  // ── restore ────────────────────────────────────────────────────────────────

  private beginRestore(): void {
    this.restoring = true;
    this.restoreStartedAt = this.chat.now();
    this.logger.info('roster: no contacts in this profile; asking the routers for a backup');
    this.emitStatus();
    void this.attempt();
  }

  private endRestore(): void {
    if (!this.restoring) return;
    this.restoring = false;
    this.releaseUnknown();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.emitStatus();
    this.schedule();
  }

  private async attempt(): Promise<void> {
    if (this.stopped || !this.restoring || this.attempting) return;
    this.attempting = true;
    try {
      const homes = this.port.homeRouters().length;
      const via = await this.port.previousRouters().catch(() => []);
      const ours = this.ownSince;
      const copy = await this.port.getRoster(via, (blob, version) => {
        if (ours !== null && version >= ours) return false; // a copy this run wrote
        if (openRoster(blob, this.chat.identity).version !== version) throw new Error(`the router claims version ${version} for another one`);
        return true;
      });
      if (this.stopped) return;
      if (copy) {
        this.apply(openRoster(copy.blob, this.chat.identity), copy.router);
        return this.endRestore();
      }
      // a registered router had nothing: most likely a new account. Back up what the user adds,
      // and let the UNKNOWN fallback work; older copies elsewhere are still merged if they come.
      if (homes > 0 && !this.released) {
        this.released = true;
        this.schedule();
      }
      if (!this.holding()) this.releaseUnknown();
      if (this.chat.now() - this.restoreStartedAt >= this.t.restoreForMs) {
        this.logger.info('roster: no backup found at the routers; nothing restored');
        return this.endRestore();
      }
    } catch (e) {
      this.logger.warn('roster: restore attempt failed', { error: String(e) });
    } finally {
      this.attempting = false;
    }
    if (this.restoring && !this.stopped && !this.retryTimer) {
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        void this.attempt();
      }, this.t.retryMs);
      this.retryTimer.unref?.();
    }
  }

  /** Merge a verified roster into the store (one transaction), then reach every friend. */
  private apply(roster: Roster, router: string): void {
    const { store } = this.chat;
    const at = this.chat.now();
    const changed: ContactRow[] = [];
    store.tx(() => {
      for (const c of roster.contacts) {
        const existing = store.contacts.get(c.address);
        let row: ContactRow;
        if (!existing) row = store.contacts.upsert({ address: c.address, publicKey: c.publicKey, name: c.name, state: c.state });
        else if (existing.state === 'pending_in' && c.state === 'friend') row = store.contacts.setState(c.address, 'friend');
        else continue; // the user's rows win
        c.endpoints.forEach((e, i) => store.endpoints.put(c.address, e.host, e.port, 'observed', at - i));
        changed.push(row);
      }
      store.settings.set(RESTORED_KEY, JSON.stringify({ at, contacts: changed.length, version: roster.version }));
      this.raiseVersion(roster.version);
    });
    this.logger.info('roster: restored the contact list from a router', { router, version: roster.version, contacts: changed.length, inBackup: roster.contacts.length });
    for (const row of changed) this.chat.emitContact(row);
    // friends learn where we are now (and flush what waits for us); pending requests resume on the tick
    for (const row of changed) if (row.state === 'friend') this.chat.sendControl(row, Kind.ACCEPT);
    this.emitStatus();
  }

  // ── backup ─────────────────────────────────────────────────────────────────

  private onRouters(): void {
    if (this.restoring) void this.attempt();
    this.schedule(0);
  }

  private schedule(delayMs = this.t.debounceMs): void {
    if (this.stopped || (this.restoring && !this.released)) return;
    if (this.flushTimer) {
      if (delayMs > 0) return; // one upload per debounce window
      clearTimeout(this.flushTimer);
    }
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      void this.flush();
    }, delayMs);
    this.flushTimer.unref?.();
  }

  private flush(): Promise<void> {
    if (this.flushing) {
      this.again = true;
      return this.flushing;
    }
    this.flushing = this.upload()
      .catch((e: unknown) => this.logger.warn('roster: backup failed', { error: String(e) }))
      .finally(() => {
        this.flushing = null;
        if (this.again && !this.stopped) {
          this.again = false;
          this.schedule(0);
        }
      });
    return this.flushing;
  }

  private async upload(): Promise<void> {
    if (this.stopped || (this.restoring && !this.released)) return;
    const homes = this.port.homeRouters();
    if (homes.length === 0) return; // 'routers' brings us back
    const now = this.chat.now();
    const snap = this.snapshot();
    if (snap.contacts.length === 0 && this.storedVersion() === 0) return; // nothing to keep, nothing to protect
    const l = this.latest;
    const stale = !l || snap.contactsSig !== l.contactsSig || now - l.at >= this.t.refreshEveryMs || (snap.endpointsSig !== l.endpointsSig && now - l.at >= this.t.endpointsEveryMs);
    if (stale) {
      const sealed = this.seal(snap.contacts);
      if (!sealed) return;
      this.latest = { ...sealed, contactsSig: snap.contactsSig, endpointsSig: snap.endpointsSig, at: now };
    }
    const cur = this.latest!;
    const targets = homes.filter((r) => (this.held.get(r.toLowerCase()) ?? 0) < cur.version);
    if (targets.length === 0) return;
    if (this.restoring) this.ownSince ??= cur.version;
    const report = await this.port.putRoster(cur.version, cur.blob, targets);
    for (const r of report) {
      if (r.version === null) continue;
      this.held.set(r.router.toLowerCase(), r.version);
      if (r.version > cur.version) {
        // another machine of this account wrote a newer one: our next version goes above it
        this.logger.info('roster: a router holds a newer backup from another machine', { router: r.router, version: r.version });
        this.raiseVersion(r.version);
      } else if (r.version === cur.version) this.uploadedAt = this.chat.now();
    }
    this.logger.debug('roster: backed up', { version: cur.version, routers: report.filter((r) => r.version === cur.version).length, of: report.length });
    this.emitStatus();
  }

  /** Seal the roster with a fresh version; endpoints go first when it does not fit, then it is refused. */
  private seal(contacts: RosterContact[]): { version: number; blob: Uint8Array } | null {
    const version = this.bumpVersion();
    for (const list of [contacts, contacts.map((c) => ({ ...c, endpoints: [] }))]) {
      try {
        const blob = sealRoster(this.chat.identity, { version, contacts: list });
        if (list !== contacts) this.logger.warn('roster: too large with endpoints; backed up without them', { contacts: contacts.length });
        return { version, blob };
      } catch (e) {
        if (list !== contacts) this.logger.error('roster: the contact list is too large to back up', { contacts: contacts.length, error: String(e) });
      }
    }
    return null;
  }

  private snapshot(): { contacts: RosterContact[]; contactsSig: string; endpointsSig: string } {
    const { store } = this.chat;
    const contacts = store.contacts
      .list()
      .sort((a, b) => (a.address.toLowerCase() < b.address.toLowerCase() ? -1 : 1))
      .map((c): RosterContact => {
        // self-reported endpoints only (a NAT mapping seen on packets dies with the mapping), never relays
        const endpoints =
          c.state === 'friend' || c.state === 'pending_out'
            ? store.endpoints
                .list(c.address)
                .filter((e) => e.source !== 'ping' && !isRelayEndpoint(e))
                .slice(0, 4)
                .map((e) => ({ host: e.host, port: e.port }))
            : [];
        return { address: c.address, publicKey: c.publicKey, name: c.name, state: c.state, endpoints };
      });
    const digest = (x: unknown) => toHex(sha256(new TextEncoder().encode(JSON.stringify(x))));
    return {
      contacts,
      contactsSig: digest(contacts.map((c) => [c.address, toHex(c.publicKey), c.name, c.state])),
      endpointsSig: digest(contacts.map((c) => c.endpoints)),
    };
  }

  // ── version counter (store settings: survives restarts, never goes backwards) ──

  private storedVersion(): number {
    const v = Number(this.chat.store.settings.get(VERSION_KEY) ?? 0);
    return Number.isSafeInteger(v) && v > 0 ? v : 0;
  }

  private bumpVersion(): number {
    const v = Math.max(this.storedVersion() + 1, this.chat.now());
    this.chat.store.settings.set(VERSION_KEY, String(v));
    return v;
  }

  private raiseVersion(v: number): void {
    if (v > this.storedVersion()) this.chat.store.settings.set(VERSION_KEY, String(v));
  }

  private restoredInfo(): { at: number; contacts: number } | null {
    try {
      const r = JSON.parse(this.chat.store.settings.get(RESTORED_KEY) ?? 'null') as { at?: unknown; contacts?: unknown } | null;
      return r && typeof r.at === 'number' && typeof r.contacts === 'number' ? { at: r.at, contacts: r.contacts } : null;
    } catch {
      return null;
    }
  }

  private emitStatus(): void {
    if (!this.stopped) this.chat.emit('roster', this.status());
  }
}
