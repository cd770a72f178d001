/**
 * @module dapps/channels/grants
 * Per-app, per-friend channel grants, persisted in the encrypted store's key-value table
 * (`store.settings`, keys `dapps.channels.<appId>` plus the index `dapps.channels.index`; no
 * SQL migration). For each (app, friend):
 *
 * - `me`: we granted the friend a channel for this app (the user approved a 'channel' request);
 * - `them`: the friend told us it granted us (its OPEN / ACCEPT / HAVE), until its CLOSE;
 * - `hasAppAt`: when the friend last showed it has the app installed (who may be offered);
 * - `invitedAt`: when its OPEN arrived while we had not granted it — an invitation our dapp
 *   can show (`them && !me`).
 *
 * A message is delivered only when `me` holds (and the sender, by sending, shows `them`);
 * seed 000: "If B does not find matched source address added previously, the message is
 * discarded to resist malicious attack."
 */
import { BuError } from '../../base';

export const GRANTS_PREFIX = 'dapps.channels.';
const INDEX_KEY = `${GRANTS_PREFIX}index`;
const RECORD_VERSION = 1;
/** Friends remembered per app (granted, invited or known to have it). */
export const MAX_PEERS_PER_APP = 1000;

export type PeerGrant = { me: boolean; them: boolean; grantedAt: number | null; invitedAt: number | null; hasAppAt: number | null };

/** The subset of `store.settings` this needs. */
export type KeyValue = { get(key: string): string | null; set(key: string, value: string): void };

const APP_ID = /^0x[0-9a-f]{40}$/;
const ADDR = /^0x[0-9a-f]{40}$/;

const empty = (): PeerGrant => ({ me: false, them: false, grantedAt: null, invitedAt: null, hasAppAt: null });

function checkApp(appId: string): void {
  if (!APP_ID.test(appId)) throw new BuError('BAD_INPUT', `not an app id: ${appId}`);
}

function key(address: string): string {
  const k = address.toLowerCase();
  if (!ADDR.test(k)) throw new BuError('BAD_ADDRESS', `not an address: ${address}`);
  return k;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Parses a stored record leniently (a damaged entry loses its grants rather than the node). */
function parsePeers(text: string | null): Map<string, PeerGrant> {
  const out = new Map<string, PeerGrant>();
  if (!text) return out;
  try {
    const v = JSON.parse(text) as { v?: number; peers?: Record<string, Record<string, unknown>> };
    if (v.v !== RECORD_VERSION || typeof v.peers !== 'object' || v.peers === null) return out;
    for (const [addr, p] of Object.entries(v.peers)) {
      if (!ADDR.test(addr) || typeof p !== 'object' || p === null) continue;
      out.set(addr, { me: p.me === true, them: p.them === true, grantedAt: num(p.grantedAt), invitedAt: num(p.invitedAt), hasAppAt: num(p.hasAppAt) });
    }
  } catch {
    /* unreadable: treated as no grants */
  }
  return out;
}

export class GrantBook {
  private readonly cache = new Map<string, Map<string, PeerGrant>>();
  private index: Set<string>;

  constructor(private readonly kv: KeyValue) {
    let apps: unknown;
    try {
      apps = JSON.parse(kv.get(INDEX_KEY) ?? '[]');
    } catch {
      apps = [];
    }
    this.index = new Set(Array.isArray(apps) ? apps.filter((a): a is string => typeof a === 'string' && APP_ID.test(a)) : []);
  }

  /** Apps with any record. */
  apps(): string[] {
    return [...this.index];
  }

  private peers(appId: string): Map<string, PeerGrant> {
    checkApp(appId);
    let m = this.cache.get(appId);
    if (!m) {
      m = parsePeers(this.kv.get(GRANTS_PREFIX + appId));
      this.cache.set(appId, m);
    }
    return m;
  }

  get(appId: string, friend: string): PeerGrant {
    const p = this.peers(appId).get(key(friend));
    return p ? { ...p } : empty();
  }

  /** Every remembered friend of an app (lowercase address → record). */
  list(appId: string): [string, PeerGrant][] {
    return [...this.peers(appId)].map(([a, p]) => [a, { ...p }]);
  }

  /** Friends (lowercase) with any record in any app. */
  friendApps(friend: string): string[] {
    const k = key(friend);
    return this.apps().filter((a) => this.peers(a).has(k));
  }

  /** Applies `change` to one record and persists it when something changed; returns the new record. */
  update(appId: string, friend: string, change: (p: PeerGrant) => void): PeerGrant {
    const peers = this.peers(appId);
    const k = key(friend);
    const before = peers.get(k) ?? empty();
    const next = { ...before };
    change(next);
    if (JSON.stringify(next) === JSON.stringify(before) && peers.has(k)) return { ...next };
    const useless = !next.me && !next.them && next.hasAppAt === null;
    if (useless) peers.delete(k);
    else {
      if (!peers.has(k) && peers.size >= MAX_PEERS_PER_APP) throw new BuError('BUSY', `at most ${MAX_PEERS_PER_APP} friends per app are remembered`);
      peers.set(k, next);
    }
    this.save(appId, peers);
    return { ...next };
  }

  /** Drops everything about an app (uninstall). */
  forgetApp(appId: string): void {
    checkApp(appId);
    this.cache.set(appId, new Map());
    this.save(appId, new Map());
  }

  private save(appId: string, peers: Map<string, PeerGrant>): void {
    this.kv.set(GRANTS_PREFIX + appId, JSON.stringify({ v: RECORD_VERSION, peers: Object.fromEntries(peers) }));
    const had = this.index.has(appId);
    if (peers.size > 0 && !had) this.index.add(appId);
    else if (peers.size === 0 && had) this.index.delete(appId);
    else return;
    this.kv.set(INDEX_KEY, JSON.stringify([...this.index]));
  }
}
