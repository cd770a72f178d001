/**
 * @module dapps/provider/pending
 * Requests waiting for the user (EIP-1193 requests that need consent). Bounded — at most
 * MAX_PER_DAPP per dapp and MAX_TOTAL in all, more is BUSY — so a dapp cannot flood the user
 * with dialogs; each expires after PENDING_TTL_MS; each is decided once: `take` removes it
 * before its approval runs, so a second decision (or a decision racing the expiry) finds
 * nothing (NOT_FOUND). Ids are 16 random bytes in hex.
 */
import { randomBytes } from 'node:crypto';
import type { PendingRequestT } from '../../../../src-preload/contract';
import { BuError } from '../../base';
import type { Decision } from './types';

export const MAX_PER_DAPP = 5;
export const MAX_TOTAL = 20;
export const PENDING_TTL_MS = 10 * 60 * 1000;

export type PendingEntry = { request: PendingRequestT; approve: (d: Decision) => Promise<unknown> };

export class PendingQueue {
  private readonly entries = new Map<string, PendingEntry>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Adds a request; BUSY when the dapp or the wallet has too many waiting. */
  add(request: Omit<PendingRequestT, 'id' | 'createdAt'>, approve: PendingEntry['approve']): PendingRequestT {
    this.sweep();
    const mine = [...this.entries.values()].filter((e) => e.request.appId === request.appId).length;
    if (mine >= MAX_PER_DAPP) throw new BuError('BUSY', `${request.appName} already has ${MAX_PER_DAPP} requests waiting for you: answer those first.`);
    if (this.entries.size >= MAX_TOTAL) throw new BuError('BUSY', `${MAX_TOTAL} dapp requests are already waiting for you: answer those first.`);
    const full: PendingRequestT = { ...request, id: randomBytes(16).toString('hex'), createdAt: this.now() };
    this.entries.set(full.id, { request: full, approve });
    return full;
  }

  /** Removes and returns a request; NOT_FOUND if it was decided, expired, or never existed. */
  take(id: string): PendingEntry {
    this.sweep();
    const e = this.entries.get(id);
    if (!e) throw new BuError('NOT_FOUND', 'That request is no longer waiting: it was already answered, expired after 10 minutes, or the wallet was locked.');
    this.entries.delete(id);
    return e;
  }

  /** Waiting requests, oldest first. */
  list(appId?: string): PendingRequestT[] {
    this.sweep();
    return [...this.entries.values()].map((e) => e.request).filter((r) => appId === undefined || r.appId === appId);
  }

  /** Whether the dapp has a request of this kind waiting. */
  has(appId: string, kind: PendingRequestT['kind']): boolean {
    return this.list(appId).some((r) => r.kind === kind);
  }

  /** Drops the dapp's (or every) waiting request; returns what was dropped. */
  clear(appId?: string): PendingRequestT[] {
    const gone = this.list(appId);
    for (const r of gone) this.entries.delete(r.id);
    return gone;
  }

  /** Drops expired requests; returns them. */
  sweep(): PendingRequestT[] {
    const limit = this.now() - PENDING_TTL_MS;
    const gone: PendingRequestT[] = [];
    for (const [id, e] of this.entries) {
      if (e.request.createdAt <= limit) {
        this.entries.delete(id);
        gone.push(e.request);
      }
    }
    return gone;
  }
}
