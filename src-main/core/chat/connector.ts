/**
 * @module chat/connector
 * The traversal ladder (issue 3, seed 000 "AR"): to reach a friend we try, in order,
 *   1. direct  — the endpoints saved from invites and PINGs (LAN, public, port-forwarded);
 *   2. direct  — fresh endpoints from the friend's signed DHT record (address, CHAT_APP_ID);
 *   3. punched — a rendezvous through one of the friend's routers: both sides learn each other's
 *                mapped ip:port and connect at once (UDP hole punching, like DCUtR / hyperdht);
 *   4. relayed — a relay circuit through a router; the router forwards session ciphertext only.
 * A relayed link keeps trying to upgrade (step 3): first after `upgradeEveryMs` (35 s, longer
 * than Linux's 30 s life of an unreplied conntrack entry, so a failed punch's leftovers have
 * expired), then twice as long after each failure, up to 8×; the relayed session carries the
 * conversation meanwhile. At most one attempt per peer runs at a time, and failed attempts back
 * off, so callers may ask freely. Each run leaves a trace (`report()`): which rung was tried
 * and why it failed — `status --json` shows it as the reason a link is relayed.
 */
import type { Logger } from '../base';
import { sameEndpoint, type Endpoint } from '../net';
import type { SessionManager } from '../session';
import { backoffMs } from './backoff';

export type LinkKind = 'direct' | 'punched' | 'relayed';
export type LadderStep = 'saved' | 'dht' | 'punch' | 'relay' | 'upgrade';
export type StepOutcome = { step: LadderStep; ok: boolean; detail: string };
/** The last ladder run (or upgrade attempt) for one peer. */
export type LinkReport = { at: number; steps: StepOutcome[] };

const UPGRADE_MAX_FACTOR = 8;
const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref?.());
const epList = (eps: Endpoint[]) => eps.map((e) => `${e.host}:${e.port}`).join(', ');

/** Where a friend can be found (the DHT, behind an interface so chat stays testable). */
export type Discovery = {
  lookup(address: string): Promise<{ endpoints: Endpoint[]; routers: Endpoint[]; prekeys: Uint8Array | null } | null>;
};

/** Router services used to get through NATs. */
export type Traversal = {
  introduce(peer: string, via: Endpoint[]): Promise<{ endpoints: Endpoint[] } | null>;
  openRelay(peer: string, via: Endpoint[]): Promise<Endpoint | null>;
  isRelayEndpoint(e: Endpoint): boolean;
};

export type ConnectorOptions = {
  sessions: SessionManager;
  logger: Logger;
  now?: () => number;
  discovery?: Discovery | null;
  traversal?: Traversal | null;
  directTimeoutMs?: number;
  punchTimeoutMs?: number;
  relayTimeoutMs?: number;
  upgradeEveryMs?: number;
  /** How long direct candidates get before the rendezvous starts alongside them. */
  headStartMs?: number;
};

type PeerRef = { address: string; publicKey: Uint8Array };

export class Connector {
  private inFlight = new Map<string, Promise<boolean>>();
  private failures = new Map<string, { count: number; notBefore: number }>();
  private links = new Map<string, { kind: LinkKind; at: number }>();
  private upgrades = new Map<string, { at: number; failures: number }>();
  private reports = new Map<string, LinkReport>();
  /** Routers last seen in each friend's DHT record (for mailbox delivery). */
  readonly lastRecord = new Map<string, { routers: Endpoint[]; prekeys: Uint8Array | null; at: number }>();
  private readonly now: () => number;

  constructor(private o: ConnectorOptions) {
    this.now = o.now ?? Date.now;
  }

  private key(address: string): string {
    return address.toLowerCase();
  }

  /** How the live session with `address` was reached ('none' without one). */
  linkOf(address: string): LinkKind | 'none' {
    const info = this.o.sessions.info(address);
    if (!info) return 'none';
    if (this.o.traversal?.isRelayEndpoint(info.endpoint)) return 'relayed';
    return this.links.get(this.key(address))?.kind === 'punched' ? 'punched' : 'direct';
  }

  /** The peer reached us (or a router introduced it): remember how, for status. */
  noteLink(address: string, kind: LinkKind): void {
    this.links.set(this.key(address), { kind, at: this.now() });
  }

  /** What the last ladder run / upgrade attempt for `address` tried, and how each rung ended. */
  report(address: string): LinkReport | null {
    return this.reports.get(this.key(address)) ?? null;
  }

  /** Why the link is relayed (or absent), in one line: the rung that failed last; null if direct. */
  reason(address: string): string | null {
    const link = this.linkOf(address);
    if (link === 'direct' || link === 'punched') return null;
    const r = this.report(address);
    if (!r) return link === 'relayed' ? 'relay: the friend opened a relay circuit to us' : null;
    const failed = r.steps.filter((s) => !s.ok && s.step !== 'saved' && s.step !== 'dht');
    const last = failed[failed.length - 1] ?? r.steps.filter((s) => !s.ok).pop();
    if (last) return `${last.step}: ${last.detail}`;
    return link === 'relayed' ? 'relay: the friend opened a relay circuit to us' : null;
  }

  /** Number of failed ladder runs since the last success (0 = reachable or untried). */
  failureCount(address: string): number {
    return this.failures.get(this.key(address))?.count ?? 0;
  }

  /** Resolves true once a session to the peer is live. Never rejects. */
  ensure(peer: PeerRef, saved: Endpoint[], force = false): Promise<boolean> {
    const key = this.key(peer.address);
    if (this.o.sessions.isConnected(peer.address)) {
      this.maybeUpgrade(peer);
      return Promise.resolve(true);
    }
    const running = this.inFlight.get(key);
    if (running) return running;
    const f = this.failures.get(key);
    if (!force && f && f.notBefore > this.now()) return Promise.resolve(false);
    const p = this.ladder(peer, saved)
      .then((kind) => {
        if (kind) {
          this.failures.delete(key);
          this.noteLink(peer.address, kind);
          return true;
        }
        const count = (this.failures.get(key)?.count ?? 0) + 1;
        this.failures.set(key, { count, notBefore: this.now() + backoffMs(count - 1, { baseMs: 2000 }) });
        return false;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, p);
    return p;
  }

  /** Forget failure history (e.g. after the peer reached us), so the next ensure() tries at once. */
  reset(address: string): void {
    this.failures.delete(this.key(address));
  }

  private async attempt(peer: PeerRef, endpoints: Endpoint[], timeoutMs: number): Promise<boolean> {
    if (endpoints.length === 0) return false;
    try {
      await this.o.sessions.connect(peer, endpoints, timeoutMs);
      return true;
    } catch (e) {
      this.o.logger.debug('connect attempt failed', { peer: peer.address, endpoints: endpoints.length, error: String(e) });
      return this.o.sessions.isConnected(peer.address);
    }
  }

  /**
   * Direct candidates get a head start, not their whole timeout: saved endpoints first; if
   * none answers within `headStartMs` the DHT record is looked up and its new endpoints tried
   * too; `headStartMs` later the rendezvous starts while the direct attempts keep going
   * (ICE-style: a LAN or public path wins when it exists, a punch does not wait for every
   * direct timeout). The link kind is read off the endpoint the session ends up on.
   */
  private async ladder(peer: PeerRef, saved: Endpoint[]): Promise<LinkKind | null> {
    const steps: StepOutcome[] = [];
    this.reports.set(this.key(peer.address), { at: this.now(), steps });
    const connected = () => this.o.sessions.isConnected(peer.address);
    const timeout = this.o.directTimeoutMs ?? 2500;
    const headStart = this.o.headStartMs ?? 250;
    const savedP = this.attempt(peer, saved, timeout);
    if (saved.length > 0) await Promise.race([savedP, pause(headStart)]);
    const rec = connected() || !this.o.discovery ? null : await this.o.discovery.lookup(peer.address).catch(() => null);
    if (rec) this.lastRecord.set(this.key(peer.address), { routers: rec.routers, prekeys: rec.prekeys, at: this.now() });
    const fresh = (rec?.endpoints ?? []).filter((e) => !saved.some((s) => sameEndpoint(s, e)));
    const directSet = [...saved, ...fresh];
    const freshP = this.attempt(peer, fresh, timeout);
    const directDone = Promise.all([savedP, freshP]);
    if (fresh.length > 0) await Promise.race([directDone, pause(headStart)]);
    const directSteps = () => {
      steps.push({ step: 'saved', ok: false, detail: saved.length ? `no answer from ${epList(saved)}` : 'no saved endpoint' });
      steps.push({
        step: 'dht',
        ok: false,
        detail: !rec ? 'no DHT record found' : fresh.length ? `no answer from ${epList(fresh)}` : `record lists no new endpoint (${rec.routers.length} router(s))`,
      });
    };
    const finish = (step: LadderStep, detail: string): LinkKind => {
      const kind = this.kindOf(peer.address, directSet);
      if (kind === 'direct') {
        const at = this.o.sessions.info(peer.address)?.endpoint;
        const viaSaved = !!at && saved.some((e) => sameEndpoint(e, at));
        steps.splice(0, steps.length, { step: viaSaved ? 'saved' : 'dht', ok: true, detail: at ? `reached ${at.host}:${at.port}` : 'reached' });
      } else steps.push({ step: kind === 'relayed' ? 'relay' : step === 'saved' ? 'punch' : step, ok: true, detail });
      return kind;
    };
    const meanwhile = 'the friend reached us meanwhile';
    if (connected()) return finish('saved', meanwhile);
    directSteps();
    const t = this.o.traversal;
    if (!t) {
      await directDone;
      return connected() ? finish('saved', meanwhile) : null;
    }
    const via = rec?.routers ?? [];
    const intro = await t.introduce(peer.address, via).catch(() => null);
    if (connected()) return finish('punch', 'introduced; a path opened');
    if (intro && (await this.attempt(peer, intro.endpoints, this.o.punchTimeoutMs ?? 3000))) return finish('punch', `punched to ${epList(intro.endpoints.slice(0, 1))}`);
    steps.push({ step: 'punch', ok: false, detail: intro ? punchFailure(intro.endpoints) : 'no router introduced us (friend offline, or not registered at a router we reach)' });
    await directDone;
    if (connected()) return finish('saved', meanwhile);
    const relay = await t.openRelay(peer.address, via).catch(() => null);
    if (connected()) return finish('relay', meanwhile);
    if (relay && (await this.attempt(peer, [relay], this.o.relayTimeoutMs ?? 5000))) return finish('relay', 'relay circuit through a router');
    steps.push({ step: 'relay', ok: false, detail: relay ? 'no handshake through the relay circuit' : 'no router opened a relay circuit' });
    return null;
  }

  /** relayed: a circuit endpoint; direct: one of the direct candidates; otherwise punched. */
  private kindOf(address: string, directSet: Endpoint[]): LinkKind {
    const at = this.o.sessions.info(address)?.endpoint;
    if (!at) return 'direct';
    if (this.o.traversal?.isRelayEndpoint(at)) return 'relayed';
    return directSet.some((e) => sameEndpoint(e, at)) ? 'direct' : 'punched';
  }

  /**
   * A relayed link asks for a rendezvous again from time to time (backing off while it keeps
   * failing, e.g. both NATs symmetric); a punched session then takes over. The relayed one
   * keeps carrying messages meanwhile.
   */
  maybeUpgrade(peer: PeerRef): void {
    const t = this.o.traversal;
    if (!t || this.linkOf(peer.address) !== 'relayed') return;
    const key = this.key(peer.address);
    const u = this.upgrades.get(key) ?? { at: this.links.get(key)?.at ?? this.now(), failures: 0 };
    const every = (this.o.upgradeEveryMs ?? 35_000) * Math.min(UPGRADE_MAX_FACTOR, 2 ** u.failures);
    if (this.now() - u.at < every || this.inFlight.has(key)) {
      this.upgrades.set(key, u);
      return;
    }
    this.upgrades.set(key, { at: this.now(), failures: u.failures });
    const via = this.lastRecord.get(key)?.routers ?? [];
    const p = (async () => {
      const intro = await t.introduce(peer.address, via).catch(() => null);
      let detail = 'no router introduced us (friend offline, or not registered at a router we reach)';
      if (intro && intro.endpoints.length > 0) {
        try {
          await this.o.sessions.connect(peer, intro.endpoints, this.o.punchTimeoutMs ?? 3000, { fresh: true });
        } catch {
          /* still relayed */
        }
        detail = punchFailure(intro.endpoints);
      }
      const info = this.o.sessions.info(peer.address);
      const ok = !!info && !t.isRelayEndpoint(info.endpoint);
      if (ok) {
        this.noteLink(peer.address, 'punched');
        this.upgrades.delete(key);
      } else this.upgrades.set(key, { at: this.now(), failures: u.failures + 1 });
      const steps: StepOutcome[] = [{ step: 'upgrade', ok, detail: ok ? `punched to ${epList(intro?.endpoints ?? [])}` : detail }];
      this.reports.set(key, { at: this.now(), steps: [...(this.reports.get(key)?.steps.filter((s) => s.step !== 'upgrade') ?? []), ...steps] });
      return true;
    })().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, p);
  }
}

function punchFailure(endpoints: Endpoint[]): string {
  return `introduced, but no answer through the friend's mapping ${epList(endpoints.slice(0, 1))} (an endpoint-dependent "symmetric" NAT or port-dependent filtering on the way)`;
}
