/**
 * @module dapps/distribution/fetch-run
 * One download of one content hash (BundleFetcher runs them). In order:
 *
 * 1. a finished `<hash>.bud` in the partial folder that verifies is returned as it is; a
 *    `<hash>.part` is resumed (its head re-checked, every chunk re-hashed: partial.ts);
 * 2. HAVE? goes to every candidate peer, repeated to those that have not answered and to new
 *    candidates (IPFS Bitswap's want-have before want-block);
 * 3. the head is fetched from one holder and checked (SHA-256 of the index = the content hash)
 *    before anything else is asked for; a holder whose head fails is dropped;
 * 4. chunks are spread over all holders, rarest first (BEP 3), each chunk whole from one peer,
 *    its 16 KiB pieces pipelined in a per-peer window (peer-state.ts: AIMD window, RFC 6298
 *    timeouts with back-off); a chunk is hashed when its last piece lands (chunkMatches) and
 *    written only if it matches — a peer whose chunk does not is dropped and the chunk goes to
 *    another; BUSY backs a peer off, NOT_FOUND removes it, too many timeouts set it aside until
 *    it answers HAVE? again;
 * 5. the whole container is verified (openContainer) and renamed to `<hash>.bud`.
 *
 * With no holder left for `unavailableAfterMs` (or at once when every candidate has answered
 * and none holds it) the run fails: DAPP_REFUSED when every holder sent bad data, otherwise
 * DAPP_UNAVAILABLE. The abort signal (or the fetcher closing) ends it with CANCELLED, leaving
 * the partial file for a later resume.
 */
import { BuError, toBuError, toHex, type Logger } from '../../base';
import { chunkLength, chunkMatches } from '../package';
import { openHead } from './head';
import { HEAD_JOB, Job } from './job';
import { checkExpected, finishedBundle, PartialFile } from './partial';
import { PeerState, type FetchLimits } from './peer-state';
import type { FetchOptions, FetchResult } from './types';
import { encodeMessage, hasBit, type DistResponse, type DistRequest } from './wire';

export type RunDeps = {
  send: (address: string, payload: Uint8Array) => boolean;
  partialDir: string;
  limits: FetchLimits;
  nextId: () => number;
  logger: Logger;
};

type Req = { id: number; peer: PeerState; type: DistRequest['type']; job: Job | null; offset: number; length: number; sentAt: number; deadline: number };

export class FetchRun {
  private readonly peers = new Map<string, PeerState>();
  private readonly reqs = new Map<number, Req>();
  private readonly jobs = new Map<number, Job>();
  private readonly writing = new Set<number>();
  private readonly writes = new Set<Promise<void>>();
  private readonly everHeld = new Set<string>();
  private readonly servedBy = new Set<string>();
  private part: PartialFile | null = null;
  private preparing = false;
  private finishing = false;
  private ended = false;
  private resumed = 0;
  private lastUsableAt = performance.now();
  private lastHolders = -1;
  private lastDiscoverAt = -Infinity;
  /** Set when the run ended before its promise existed (the fetcher closed while it was resuming). */
  private stoppedBy: BuError | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private settle: { resolve: (r: FetchResult) => void; reject: (e: unknown) => void } | null = null;
  private readonly onAbort = () => this.end(new BuError('CANCELLED', 'The download was cancelled.'));

  constructor(
    readonly hash: Uint8Array,
    private readonly o: FetchOptions,
    private readonly d: RunDeps,
  ) {}

  async run(): Promise<FetchResult> {
    if (this.o.signal?.aborted) throw new BuError('CANCELLED', 'The download was cancelled.');
    const finished = await finishedBundle(this.d.partialDir, this.hash);
    if (finished) return this.checked({ ...finished, resumedChunks: finished.bundle.index.chunks.length, servedBy: [] });
    this.part = await PartialFile.resume(this.d.partialDir, this.hash);
    this.resumed = this.part ? this.part.done.filter(Boolean).length : 0;
    if (this.o.signal?.aborted || this.ended) {
      await this.part?.close();
      throw this.stoppedBy ?? new BuError('CANCELLED', 'The download was cancelled.');
    }
    return new Promise<FetchResult>((resolve, reject) => {
      this.settle = { resolve, reject };
      this.lastUsableAt = performance.now();
      this.o.signal?.addEventListener('abort', this.onAbort, { once: true });
      this.timer = setInterval(() => this.tick(), this.d.limits.tickMs);
      this.timer.unref?.();
      this.progress();
      this.tick();
    });
  }

  /** Ends the run with `err` (CANCELLED when the fetcher closes). */
  stop(err: BuError): void {
    this.end(err);
  }

  private checked(r: FetchResult): FetchResult {
    checkExpected(r.path, r.bytes, this.o.expect);
    return r;
  }

  private tick(): void {
    if (this.ended) return;
    try {
      const now = performance.now();
      this.discover(now);
      for (const r of this.reqs.values()) if (r.deadline <= now) this.expire(r, now);
      this.pump(now);
      this.checkDone();
      this.checkAvailability(now);
    } catch (e) {
      this.end(toBuError(e)); // e.g. a peers() that throws
    }
  }

  private discover(now: number): void {
    if (now - this.lastDiscoverAt < 100) return;
    this.lastDiscoverAt = now;
    for (const address of this.o.peers()) {
      const key = address.toLowerCase();
      if (!this.peers.has(key) && this.peers.size < 256) this.peers.set(key, new PeerState(address, this.d.limits));
    }
    const every = this.d.limits.discoveryEveryMs;
    for (const p of this.peers.values()) {
      const again = p.status === 'asked' || p.status === 'stalled' || p.status === 'unreachable' ? every : p.status === 'lacks' ? 4 * every : Infinity;
      if (now - p.lastAskedAt >= again) {
        p.lastAskedAt = now;
        this.request(p, 'HAVE_Q', null, 0, 0, now);
      }
    }
  }

  private request(p: PeerState, type: DistRequest['type'], job: Job | null, offset: number, length: number, now: number): boolean {
    const id = this.d.nextId();
    const m: DistRequest =
      type === 'HAVE_Q'
        ? { type, id, hash: this.hash }
        : type === 'GET_HEADER'
          ? { type, id, hash: this.hash, offset, length }
          : { type, id, hash: this.hash, chunk: job!.chunk, offset, length };
    if (!this.d.send(p.address, encodeMessage(m))) {
      if (type !== 'HAVE_Q') this.setAside(p, 'unreachable');
      else if (p.status === 'asked') p.status = 'unreachable';
      return false;
    }
    // a HAVE? stays answerable for a few rounds, so a peer slower than one round is still heard
    const deadline = now + (type === 'HAVE_Q' ? 5 * this.d.limits.discoveryEveryMs : p.rto);
    this.reqs.set(id, { id, peer: p, type, job, offset, length, sentAt: now, deadline });
    if (type !== 'HAVE_Q') p.inflight++;
    return true;
  }

  private live(r: Req): boolean {
    return r.job !== null && this.jobs.get(r.job.chunk) === r.job;
  }

  private expire(r: Req, now: number): void {
    this.reqs.delete(r.id);
    if (r.type === 'HAVE_Q') return;
    r.peer.inflight--;
    if (this.live(r)) r.job!.unask(r.offset);
    if (r.peer.timedOut(r.sentAt, now)) return this.setAside(r.peer, 'stalled');
    // everything waits for the head: after two timeouts another holder gets to try
    if (this.live(r) && r.job!.chunk === HEAD_JOB && r.peer.timeouts >= 2) {
      this.jobs.delete(HEAD_JOB);
      r.peer.jobs.delete(HEAD_JOB);
      r.peer.headTries++;
    }
  }

  /** Takes a peer out of this download's work: its jobs are released and its requests forgotten. */
  private setAside(p: PeerState, status: PeerState['status'], why = ''): void {
    p.status = status;
    if (status !== 'bad') p.have = null;
    p.why = why;
    for (const c of p.jobs) this.jobs.delete(c);
    p.jobs.clear();
    for (const r of this.reqs.values()) if (r.peer === p && r.type !== 'HAVE_Q') this.reqs.delete(r.id);
    p.inflight = 0;
    if (status === 'bad') this.d.logger.warn('dropped a peer that sent bad bundle data', { peer: p.address, why });
  }

  private pump(now: number): void {
    if (!this.part && !this.preparing && !this.jobs.has(HEAD_JOB)) {
      // the holder that failed the head least often, then the smallest head named (a larger one is no more valid)
      const p = [...this.peers.values()].filter((x) => x.usable(now) && x.have).sort((a, b) => a.headTries - b.headTries || a.have!.headSize - b.have!.headSize)[0];
      if (p) {
        this.jobs.set(HEAD_JOB, new Job(HEAD_JOB, p.have!.headSize, this.d.limits.pieceBytes));
        p.jobs.add(HEAD_JOB);
      }
    }
    let used = 0;
    for (const p of this.peers.values()) {
      if (p.status !== 'holder' || used++ >= this.d.limits.maxPeers || !p.usable(now)) continue;
      while (p.inflight < p.window && p.status === 'holder') {
        const next = this.nextFor(p);
        if (!next) break;
        this.request(p, next.job.chunk === HEAD_JOB ? 'GET_HEADER' : 'GET_PIECE', next.job, next.offset, next.length, now);
      }
    }
  }

  private nextFor(p: PeerState): { job: Job; offset: number; length: number } | null {
    for (const c of p.jobs) {
      const job = this.jobs.get(c)!;
      const piece = job.nextPiece();
      if (piece) return { job, ...piece };
    }
    if (!this.part || p.jobs.size >= this.d.limits.chunksPerPeer) return null;
    const c = this.pickChunk(p);
    if (c < 0) return null;
    const job = new Job(c, chunkLength(this.part.index, c), this.d.limits.pieceBytes);
    this.jobs.set(c, job);
    p.jobs.add(c);
    return { job, ...job.nextPiece()! };
  }

  /** Rarest first among the chunks `p` holds that nobody is fetching; ties broken at random. */
  private pickChunk(p: PeerState): number {
    const part = this.part!;
    const holders = [...this.peers.values()].filter((x) => x.status === 'holder' && x.have);
    let best = -1;
    let bestCount = Infinity;
    let ties = 0;
    for (let i = 0; i < part.done.length; i++) {
      if (part.done[i] || this.jobs.has(i) || this.writing.has(i) || !hasBit(p.have!.bitfield, i)) continue;
      const count = holders.reduce((n, x) => n + (hasBit(x.have!.bitfield, i) ? 1 : 0), 0);
      if (count < bestCount) [best, bestCount, ties] = [i, count, 1];
      else if (count === bestCount && Math.random() * ++ties < 1) best = i;
    }
    return best;
  }

  /** A response from `from` (already decoded and strictly checked by the codec). */
  onResponse(from: string, m: DistResponse): void {
    const r = this.reqs.get(m.id);
    if (this.ended || !r || r.peer.key !== from.toLowerCase()) return;
    this.reqs.delete(m.id);
    const p = r.peer;
    const now = performance.now();
    if (r.type !== 'HAVE_Q') p.inflight--;
    if (m.type === 'NOT_FOUND') {
      if (r.type === 'HAVE_Q') p.status = p.status === 'bad' ? 'bad' : 'lacks';
      else this.setAside(p, 'lacks');
    } else if (m.type === 'BUSY') {
      p.busy(now, m.retryAfterMs);
      if (this.live(r)) r.job!.unask(r.offset);
    } else if (m.type === 'HAVE') {
      if (r.type !== 'HAVE_Q') return this.drop(p, 'it answered a piece request with HAVE');
      if (p.status === 'bad') return;
      const idx = this.part?.index;
      if (idx && (m.chunkCount !== idx.chunks.length || m.totalSize !== idx.totalSize)) return this.drop(p, 'its HAVE does not fit the bundle index');
      p.answered(now - r.sentAt);
      p.have = { headSize: m.headSize, totalSize: m.totalSize, chunkCount: m.chunkCount, bitfield: m.bitfield.slice() };
      p.status = 'holder';
      this.everHeld.add(p.key);
    } else {
      this.onData(p, r, m, now);
    }
    this.pump(now);
  }

  private onData(p: PeerState, r: Req, m: DistResponse, now: number): void {
    if (!this.live(r)) return; // a late answer for a job that was given up
    const job = r.job!;
    const fits =
      m.type === 'HEADER'
        ? r.type === 'GET_HEADER' && m.offset === r.offset && m.data.length === r.length && m.headSize === job.size
        : m.type === 'PIECE' && r.type === 'GET_PIECE' && m.chunk === job.chunk && m.offset === r.offset && m.data.length === r.length;
    if (!fits || !job.accept(r.offset, (m as { data: Uint8Array }).data)) return this.drop(p, `its ${m.type} does not answer the request`);
    p.answered(now - r.sentAt);
    if (!job.complete) return;
    this.jobs.delete(job.chunk);
    p.jobs.delete(job.chunk);
    if (job.chunk === HEAD_JOB) return this.onHead(p, job.buf);
    if (!chunkMatches(this.part!.index, job.chunk, job.buf)) return this.drop(p, `chunk ${job.chunk} does not match its hash`);
    this.servedBy.add(p.address);
    this.writing.add(job.chunk);
    const w = this.part!.writeChunk(job.chunk, job.buf).then(
      () => {
        this.writing.delete(job.chunk);
        this.writes.delete(w);
        this.progress();
        this.checkDone();
      },
      (e: unknown) => this.end(new BuError('INTERNAL', `Could not write the download: ${(e as Error).message}`, { cause: e })),
    );
    this.writes.add(w);
  }

  private onHead(p: PeerState, head: Uint8Array): void {
    const opened = openHead(head, this.hash);
    if (typeof opened === 'string') return this.drop(p, opened);
    if (this.o.expect && opened.trailer.length === 0) return this.drop(p, 'its copy is unsigned');
    this.preparing = true;
    PartialFile.create(this.d.partialDir, this.hash, head, opened).then(
      async (part) => {
        if (this.ended) return part.close();
        this.part = part;
        this.preparing = false;
        for (const x of this.peers.values()) {
          if (x.have && (x.have.chunkCount !== opened.index.chunks.length || x.have.totalSize !== opened.index.totalSize)) this.drop(x, 'its HAVE does not fit the bundle index');
        }
        this.progress();
        this.pump(performance.now());
      },
      (e: unknown) => this.end(new BuError('INTERNAL', `Could not start the download file: ${(e as Error).message}`, { cause: e })),
    );
  }

  private drop(p: PeerState, why: string): void {
    this.setAside(p, 'bad', why);
  }

  private holders(): number {
    let n = 0;
    for (const p of this.peers.values()) if (p.status === 'holder') n++;
    return Math.min(n, this.d.limits.maxPeers);
  }

  private progress(): void {
    const idx = this.part?.index;
    const doneIdx = idx ? this.part!.done.flatMap((d, i) => (d ? [i] : [])) : [];
    const received = idx ? doneIdx.reduce((n, i) => n + chunkLength(idx, i), 0) : 0;
    const done = doneIdx.length;
    const anyHave = [...this.peers.values()].find((p) => p.have)?.have;
    this.lastHolders = this.holders();
    if (!this.o.onProgress) return;
    const report = {
      receivedBytes: received,
      totalBytes: idx?.totalSize ?? anyHave?.totalSize ?? 0,
      peers: this.lastHolders,
      chunksDone: done,
      chunksTotal: idx?.chunks.length ?? anyHave?.chunkCount ?? 0,
      resumedChunks: this.resumed,
    };
    try {
      this.o.onProgress(report);
    } catch (e) {
      this.d.logger.warn('a download progress listener threw', { error: String(e) });
    }
  }

  private checkDone(): void {
    const part = this.part;
    if (this.ended || this.finishing || !part || this.writes.size > 0 || part.done.some((d) => !d)) return;
    this.finishing = true;
    part.finish().then(
      (f) => {
        try {
          this.end(null, this.checked({ ...f, resumedChunks: this.resumed, servedBy: [...this.servedBy] }));
        } catch (e) {
          this.end(e as BuError);
        }
      },
      (e: unknown) => this.end(e as BuError),
    );
  }

  private checkAvailability(now: number): void {
    if (this.finishing) return;
    const list = [...this.peers.values()];
    if (this.holders() !== this.lastHolders) this.progress();
    // usable: some holder, and every chunk still missing is held by one of them
    const holders = list.filter((p) => p.status === 'holder');
    const part = this.part;
    if (holders.length > 0 && (!part || part.done.every((d, i) => d || holders.some((p) => p.have && hasBit(p.have.bitfield, i))))) {
      this.lastUsableAt = now;
      return;
    }
    const settled = holders.length === 0 && list.every((p) => p.status !== 'asked' && p.status !== 'stalled');
    if (!settled && now - this.lastUsableAt < this.d.limits.unavailableAfterMs) return;
    const held = list.filter((p) => this.everHeld.has(p.key));
    const hex = `0x${toHex(this.hash)}`;
    if (held.length > 0 && held.every((p) => p.status === 'bad')) {
      const why = [...new Set(held.map((p) => p.why))].join('; ');
      return this.end(new BuError('DAPP_REFUSED', `Every peer that offered ${hex} sent data that does not verify (${why}).`));
    }
    this.end(new BuError('DAPP_UNAVAILABLE', `No reachable peer serves the dapp bundle ${hex} (asked ${list.length}).`));
  }

  private end(err: BuError | null, result?: FetchResult): void {
    if (this.ended) return;
    this.ended = true;
    this.stoppedBy = err;
    if (this.timer) clearInterval(this.timer);
    this.o.signal?.removeEventListener('abort', this.onAbort);
    this.reqs.clear();
    this.jobs.clear();
    const settle = this.settle;
    void Promise.allSettled([...this.writes]).then(async () => {
      if (!result) await this.part?.close();
      if (err) settle?.reject(err);
      else settle?.resolve(result!);
    });
  }
}
