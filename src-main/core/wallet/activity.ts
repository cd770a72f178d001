/**
 * @module wallet/activity
 * `ActivityLog`: what happened to the user's accounts, per network — the transactions we sent
 * (pending → confirmed / failed / replaced / dropped) and what the block scanner saw (native
 * transfers in and out, ERC-20 Transfer logs). One record per (transaction, account, asset):
 * a transfer between two of our accounts is "out" for one and "in" for the other.
 *
 * Per network the log also keeps the scanner's position and the chain's genesis hash: when the
 * genesis changes (the devnet was reset), that network's records and position are dropped, since
 * none of those transactions exist any more.
 *
 * File `activity.json`: { version: 1, networks: { [id]: { genesis, scannedTo, items } } },
 * replaced atomically; at most MAX_ITEMS per network (the oldest settled ones go first).
 */
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { writeFileAtomic } from '../account';
import type { TokenInfo } from './erc20';

export const MAX_ITEMS = 5000;

export type ActivityStatus = 'pending' | 'confirmed' | 'failed' | 'replaced' | 'dropped';

export type ActivityRecord = {
  hash: string;
  chainId: number;
  /** The account this record belongs to (EIP-55). */
  account: string;
  direction: 'out' | 'in' | 'self';
  from: string;
  to: string | null;
  /** Base units (wei, or the token's). */
  value: string;
  token: TokenInfo | null;
  nonce: string | null;
  status: ActivityStatus;
  blockNumber: string | null;
  at: number;
  /** Wei: the paid fee once mined, the max fee while pending (ours only). */
  fee: string | null;
  replacement: 'speed-up' | 'cancel' | null;
  /** Sent from this app (so it can be sped up or cancelled while pending). */
  ours: boolean;
};

type Net = { genesis: string | null; scannedTo: string | null; items: ActivityRecord[] };
type Doc = { version: 1; networks: Record<string, Net> };

const keyOf = (r: Pick<ActivityRecord, 'hash' | 'account' | 'token'>) => `${r.hash.toLowerCase()}:${r.account.toLowerCase()}:${r.token ? r.token.address.toLowerCase() : 'native'}`;

export class ActivityLog {
  loadProblem: string | null = null;
  private doc: Doc = { version: 1, networks: {} };

  constructor(readonly file: string) {
    if (!existsSync(file)) return;
    try {
      const raw = JSON.parse(readFileSync(file, 'utf8')) as Doc;
      if (raw?.version !== 1 || typeof raw.networks !== 'object' || raw.networks === null) throw new Error('not a version 1 activity file');
      for (const n of Object.values(raw.networks)) if (!Array.isArray(n.items)) throw new Error('a network has no item list');
      this.doc = raw;
    } catch (e) {
      renameSync(file, `${file}.corrupt`);
      this.loadProblem = `The activity file was damaged (${e instanceof Error ? e.message : String(e)}); it was moved to ${file}.corrupt and history is rebuilt from new blocks.`;
    }
  }

  /** Newest first; `account` filters (case-insensitive). */
  list(networkId: string, account?: string, limit = 100): ActivityRecord[] {
    const items = this.doc.networks[networkId]?.items ?? [];
    const a = account?.toLowerCase();
    return items
      .filter((r) => a === undefined || r.account.toLowerCase() === a)
      .sort((x, y) => y.at - x.at || (x.hash < y.hash ? -1 : 1))
      .slice(0, limit)
      .map((r) => ({ ...r }));
  }

  /** Records of one transaction hash (all accounts and assets). */
  byHash(networkId: string, hash: string): ActivityRecord[] {
    const h = hash.toLowerCase();
    return (this.doc.networks[networkId]?.items ?? []).filter((r) => r.hash.toLowerCase() === h).map((r) => ({ ...r }));
  }

  /** Adds records; a record already known keeps what we knew (ours, fee, replacement) and takes the newer status. */
  upsert(networkId: string, records: ActivityRecord[]): boolean {
    if (records.length === 0) return false;
    const net = this.net(networkId);
    const byKey = new Map(net.items.map((r) => [keyOf(r), r]));
    let changed = false;
    for (const r of records) {
      const k = keyOf(r);
      const old = byKey.get(k);
      if (!old) {
        byKey.set(k, { ...r });
        changed = true;
        continue;
      }
      const merged: ActivityRecord = {
        ...old,
        status: old.status === 'pending' || r.status !== 'pending' ? r.status : old.status,
        blockNumber: r.blockNumber ?? old.blockNumber,
        at: r.blockNumber && !old.blockNumber ? r.at : old.at,
        fee: r.status === 'confirmed' || r.status === 'failed' ? (r.fee ?? old.fee) : old.fee,
        ours: old.ours || r.ours,
      };
      if (JSON.stringify(merged) !== JSON.stringify(old)) {
        byKey.set(k, merged);
        changed = true;
      }
    }
    if (!changed) return false;
    this.write(networkId, { ...net, items: trim([...byKey.values()]) });
    return true;
  }

  /** Sets the status (and block, fee) of every record of `hash`. */
  settle(networkId: string, hash: string, patch: { status: ActivityStatus; blockNumber?: string | null; fee?: string | null; at?: number }): boolean {
    const net = this.net(networkId);
    const h = hash.toLowerCase();
    let changed = false;
    const items = net.items.map((r) => {
      if (r.hash.toLowerCase() !== h || r.status === patch.status) return r;
      changed = true;
      return { ...r, status: patch.status, blockNumber: patch.blockNumber ?? r.blockNumber, fee: patch.fee ?? r.fee, at: patch.at ?? r.at };
    });
    if (changed) this.write(networkId, { ...net, items });
    return changed;
  }

  scanState(networkId: string): { genesis: string | null; scannedTo: bigint | null } {
    const n = this.doc.networks[networkId];
    return { genesis: n?.genesis ?? null, scannedTo: n?.scannedTo ? BigInt(n.scannedTo) : null };
  }

  /** The scanner read up to block `to` (inclusive) of the chain with genesis `genesis`. */
  setScanned(networkId: string, genesis: string, to: bigint): void {
    const net = this.net(networkId);
    if (net.genesis === genesis && net.scannedTo === to.toString()) return;
    this.write(networkId, { ...net, genesis, scannedTo: to.toString() });
  }

  /** The chain behind `networkId` is a different one now (reset): forget its records. */
  resetNetwork(networkId: string, genesis: string | null): void {
    this.write(networkId, { genesis, scannedTo: null, items: [] });
  }

  drop(networkId: string): void {
    if (!this.doc.networks[networkId]) return;
    const networks = { ...this.doc.networks };
    delete networks[networkId];
    this.commit({ version: 1, networks });
  }

  private net(networkId: string): Net {
    return this.doc.networks[networkId] ?? { genesis: null, scannedTo: null, items: [] };
  }

  private write(networkId: string, net: Net): void {
    this.commit({ version: 1, networks: { ...this.doc.networks, [networkId]: net } });
  }

  private commit(doc: Doc): void {
    writeFileAtomic(this.file, JSON.stringify(doc));
    this.doc = doc;
  }
}

/** Keeps the newest MAX_ITEMS, never dropping a pending record. */
function trim(items: ActivityRecord[]): ActivityRecord[] {
  if (items.length <= MAX_ITEMS) return items;
  const sorted = [...items].sort((a, b) => b.at - a.at);
  const keep = sorted.filter((r) => r.status === 'pending');
  for (const r of sorted) {
    if (keep.length >= MAX_ITEMS) break;
    if (r.status !== 'pending') keep.push(r);
  }
  return keep;
}
