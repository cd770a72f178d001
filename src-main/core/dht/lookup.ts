/**
 * @module dht/lookup
 * Kademlia's iterative node lookup (Maymounkov & Mazières 2002, §2.3) in the asynchronous form
 * used by Mainline implementations and dht-rpc: keep α requests in flight to the closest
 * not-yet-queried candidates among the k closest known; a candidate that does not answer
 * (after its retry) is dropped from the shortlist; the lookup ends when the k closest
 * remaining candidates have all answered. A response that brings nothing closer adds no
 * candidate ahead of the queried ones, so the lookup drains and ends — the paper's "round
 * brings nothing closer" criterion falls out of the k-closest rule.
 *
 * A request that has not answered within `stallMs` stops counting against α and against the
 * k closest (libtorrent's "short timeout"): the lookup routes around dead or slow nodes instead
 * of waiting out their full timeout and retry; a late answer is still used if the lookup is
 * still running.
 *
 * Rounds are counted as hop depth: seeds from our own table are depth 1, a node learned from a
 * depth-d response is depth d + 1, and `rounds` is the deepest node that answered — the number
 * of sequential round trips the lookup needed.
 */
import { toHex } from '../base';
import type { Endpoint } from '../net';
import type { NodeInfo } from './messages';
import { compareBytes, xorDistance } from './node-id';

const NEW = 0;
const INFLIGHT = 1;
const ANSWERED = 2;
const FAILED = 3;
const STALLED = 4;

export type Candidate = {
  id: Uint8Array;
  hex: string;
  endpoint: Endpoint;
  router: boolean;
  dist: Uint8Array;
  depth: number;
  state: number;
  token: Uint8Array | null;
};

export type QueryAnswer = { nodes: NodeInfo[]; token: Uint8Array | null };

export type LookupOptions = {
  target: Uint8Array;
  seeds: NodeInfo[];
  k: number;
  alpha: number;
  maxQueries: number;
  /** Ask one candidate; null when it did not answer. */
  query: (c: Candidate) => Promise<QueryAnswer | null>;
  /** Which learned nodes may become candidates (e.g. id bound to endpoint, not ourselves). */
  accept: (n: NodeInfo) => boolean;
  /** After this long an unanswered request no longer holds up the lookup (default: never). */
  stallMs?: () => number;
  /** Stop sending new queries once this holds (bucket refresh: the bucket is full). */
  stopWhen?: () => boolean;
};

export type LookupResult = { closest: Candidate[]; rounds: number; queries: number; failures: number };

export function iterativeLookup(opts: LookupOptions): Promise<LookupResult> {
  const { target, k, alpha, maxQueries } = opts;
  const list: Candidate[] = [];
  const known = new Set<string>();
  let inflight = 0;
  let queries = 0;
  let failures = 0;
  let rounds = 0;

  const insert = (n: NodeInfo, depth: number) => {
    const hex = toHex(n.id);
    if (known.has(hex)) return;
    known.add(hex);
    const c: Candidate = { id: n.id, hex, endpoint: n.endpoint, router: n.router, dist: xorDistance(n.id, target), depth, state: NEW, token: null };
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareBytes(list[mid]!.dist, c.dist) < 0) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, c);
    // bound memory: candidates far beyond the shortlist can never be picked
    if (list.length > 8 * k) {
      for (let i = list.length - 1; i >= 0 && list.length > 8 * k; i--) if (list[i]!.state === NEW) list.splice(i, 1);
    }
  };

  for (const s of opts.seeds) if (opts.accept(s)) insert(s, 1);

  const pick = (): Candidate | null => {
    let seen = 0;
    for (const c of list) {
      if (c.state === FAILED || c.state === STALLED) continue;
      if (seen++ >= k) break;
      if (c.state === NEW) return c;
    }
    return null;
  };

  return new Promise((resolve) => {
    let finished = false;
    const finish = () => {
      finished = true;
      const closest = list.filter((c) => c.state === ANSWERED).slice(0, k);
      resolve({ closest, rounds, queries, failures });
    };
    const pump = () => {
      while (inflight < alpha && queries < maxQueries && !(opts.stopWhen && opts.stopWhen())) {
        const c = pick();
        if (!c) break;
        c.state = INFLIGHT;
        inflight++;
        queries++;
        const stall =
          opts.stallMs === undefined
            ? null
            : setTimeout(() => {
                if (c.state !== INFLIGHT || finished) return;
                c.state = STALLED;
                inflight--;
                pump();
              }, opts.stallMs());
        opts.query(c).then(
          (answer) => done(c, answer, stall),
          () => done(c, null, stall),
        );
      }
      if (inflight === 0) finish();
    };
    const done = (c: Candidate, answer: QueryAnswer | null, stall: ReturnType<typeof setTimeout> | null) => {
      if (stall) clearTimeout(stall);
      if (finished) return;
      if (c.state === INFLIGHT) inflight--;
      if (answer) {
        c.state = ANSWERED;
        c.token = answer.token;
        if (c.depth > rounds) rounds = c.depth;
        for (const n of answer.nodes) if (opts.accept(n)) insert(n, c.depth + 1);
      } else {
        c.state = FAILED;
        failures++;
      }
      pump();
    };
    pump();
  });
}
