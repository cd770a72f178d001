/**
 * @module seal/sealing/controller
 * `SealingController`: the main thread's side of the home PC's sealing worker (issue 9 item 6).
 *
 *  - policy: mode × idle source × battery × locked × registered × syncing → sealing / paused /
 *    off and the CPU allowance (policy.ts), re-decided on every change of any of them;
 *  - jobs: `submit(job)` queues a seal job (anything with `height` and `round`; the POE engine
 *    sends the lead's SealJob); a job older than the newest (height, round) seen is dropped,
 *    queued or running — a seal for a past round is worthless. One job runs at a time;
 *  - suspension: on a pause the worker takes no new job and the running one stops at its next
 *    checkpoint (microseconds after the control buffer flips). A job that does not reach one
 *    within `yieldGraceMs` (default 300 ms; ending a nice-19 thread on a loaded machine can take
 *    a few hundred more) is stopped by terminating the thread and queued again, so the worker is
 *    silent within 1 s of user input whatever the job does; a cooperative job whose 'paused'
 *    is merely late (its thread not scheduled) is ended the same way and loses only its start;
 *  - results: 'seal' events (each encoded seal message, ready to broadcast), counted in the
 *    tally with the rewards of `onBlock(block)` (withdrawals to our addresses);
 *  - `status()`: the `sealing` block of NodeStatus.
 */
import { CPU_CAP_MAX, CPU_CAP_MIN, type SealingModeT, type SealingStatusT } from '../../../../src-preload/contract';
import { BuError, TypedEmitter, silentLogger, type Logger } from '../../base';
import type { IdleSnapshot, IdleSource } from './idle-source';
import { decideSealing, type SealingDecision } from './policy';
import { CTL, type FromWorker, type RunnerRef } from './protocol';
import { readSettings, writeSettings, type SealingSettings } from './settings';
import { Tally, type BlockLike } from './tally';
import { WorkerHost } from './worker-host';

export type SealJobLike = { height: bigint; round: number };

export type SealingControllerOptions = {
  idle: IdleSource;
  /** `<profile>/sealing-settings.json` */
  settingsFile: string;
  /** `<profile>/chain/sealing.json` */
  tallyFile: string;
  /** What the worker runs; null while the account is locked (no key: "Locked"). */
  runner?: RunnerRef | null;
  /** Our addresses (rewards are withdrawals paid to them). */
  addresses?: string[];
  yieldGraceMs?: number;
  maxQueue?: number;
  workerUrl?: URL;
  logger?: Logger;
};

export type SealingControllerEvents = {
  seal: Uint8Array;
  status: SealingStatusT;
  /** Every message from the worker thread (tests and the bench watch 'ready', 'paused', 'cpu'). */
  worker: FromWorker;
};

type Queued = { id: number; job: SealJobLike; attempts: number };

const older = (a: SealJobLike, b: SealJobLike) => a.height < b.height || (a.height === b.height && a.round < b.round);

export class SealingController {
  readonly events = new TypedEmitter<SealingControllerEvents>();
  readonly tally: Tally;
  private settings: SealingSettings;
  private runner: RunnerRef | null;
  private host: WorkerHost | null = null;
  private registered = false;
  private syncing = false;
  private ours: Set<string>;
  private decision: SealingDecision;
  private queue: Queued[] = [];
  private running: Queued | null = null;
  private newest: SealJobLike | null = null;
  private nextId = 1;
  private workerPaused = false;
  private grace: NodeJS.Timeout | null = null;
  private cpu: Array<{ at: number; cpuMs: number }> = [];
  private offIdle: () => void;
  private closed = false;
  private readonly logger: Logger;

  constructor(private readonly o: SealingControllerOptions) {
    this.logger = o.logger ?? silentLogger;
    this.settings = readSettings(o.settingsFile);
    this.tally = new Tally(o.tallyFile);
    this.runner = o.runner ?? null;
    this.ours = new Set((o.addresses ?? []).map((a) => a.toLowerCase()));
    this.decision = this.decide();
    this.offIdle = o.idle.events.on('change', () => this.apply());
    this.apply();
  }

  /** Queue a seal job; false when it is already stale or sealing is off. */
  submit(job: SealJobLike): boolean {
    if (this.closed || this.decision.state === 'off' || !this.runner) return false;
    if (this.newest && older(job, this.newest)) return false;
    this.advance(job);
    this.queue.push({ id: this.nextId++, job, attempts: 0 });
    while (this.queue.length > (this.o.maxQueue ?? 32)) this.queue.shift();
    this.pump();
    return true;
  }

  /** Each seal message the worker makes (the engine's SealingPort: `submit` + `onSeal`). */
  onSeal(cb: (msg: Uint8Array) => void): () => void {
    return this.events.on('seal', cb);
  }

  /** The consensus moved on: drop every job for an earlier (height, round). */
  setRound(height: bigint, round: number): void {
    const at = { height, round };
    if (this.newest && !older(this.newest, at)) return;
    this.advance(at);
  }

  setMode(mode: SealingModeT): SealingStatusT {
    this.saveSettings({ ...this.settings, mode });
    return this.status();
  }

  setCpuCap(percent: number): SealingStatusT {
    if (!Number.isInteger(percent) || percent < CPU_CAP_MIN || percent > CPU_CAP_MAX) {
      throw new BuError('BAD_INPUT', `the CPU cap is a whole percentage from ${CPU_CAP_MIN} to ${CPU_CAP_MAX}`);
    }
    this.saveSettings({ ...this.settings, cpuCapPercent: percent });
    return this.status();
  }

  /** What the POE engine knows: registered as a sealer in the staking contract; chain syncing. */
  setParticipation(p: { registered?: boolean; syncing?: boolean }): void {
    if (p.registered !== undefined) this.registered = p.registered;
    if (p.syncing !== undefined) this.syncing = p.syncing;
    this.apply();
  }

  /** New key material (unlock) or none (lock: "Locked"); the worker restarts with it. */
  async setRunner(runner: RunnerRef | null): Promise<void> {
    this.runner = runner;
    await this.stopWorker();
    this.apply();
  }

  setAddresses(addresses: string[]): void {
    this.ours = new Set(addresses.map((a) => a.toLowerCase()));
  }

  /** A final block: count the withdrawals paid to our addresses. */
  onBlock(block: BlockLike): void {
    if (this.tally.addBlock(block, this.ours)) this.emitStatus();
  }

  /** The chain was erased and started again (devnet reset): its tally file is gone. */
  reloadTally(): void {
    this.tally.load();
    this.emitStatus();
  }

  get mode(): SealingModeT {
    return this.settings.mode;
  }

  /** The worker thread's kernel id and nice value (Linux), once it runs. */
  get workerInfo(): WorkerHost['info'] {
    return this.host?.info ?? null;
  }

  status(): SealingStatusT {
    const d = this.decision;
    return {
      mode: this.settings.mode,
      state: d.state,
      reason: d.reason,
      cpuCapPercent: this.settings.cpuCapPercent,
      cpuPercent: this.cpuPercent(),
      sealsMade: this.tally.sealsMade,
      rewardsWei: this.tally.rewardsWei.toString(),
      history: this.tally.history(),
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.offIdle();
    this.clearGrace();
    this.queue = [];
    await this.stopWorker();
    this.tally.flush();
    this.events.removeAll();
  }

  private decide(idle: IdleSnapshot = this.o.idle.snapshot()): SealingDecision {
    return decideSealing({
      mode: this.settings.mode,
      userIdle: idle.userIdle,
      onBattery: idle.onBattery,
      locked: this.runner === null,
      registered: this.registered,
      syncing: this.syncing,
      cpuCapPercent: this.settings.cpuCapPercent,
    });
  }

  private saveSettings(s: SealingSettings): void {
    this.settings = s;
    writeSettings(this.o.settingsFile, s);
    this.apply(true);
  }

  private apply(force = false): void {
    if (this.closed) return;
    const before = this.decision;
    const d = this.decide();
    this.decision = d;
    const host = this.host;
    if (d.state === 'sealing') {
      this.clearGrace();
      if (host) {
        host.set(CTL.PERMILLE, Math.round(d.cpuPercent * 10));
        host.set(CTL.RUN, 1);
        this.workerPaused = false;
      }
      this.pump();
    } else {
      host?.set(CTL.RUN, 0);
      if (d.state === 'off' || this.runner === null || !this.registered) {
        // Nothing to seal for a while (or no key): free the thread and its memory.
        this.queue = [];
        void this.stopWorker();
      } else if (this.running && !this.workerPaused) this.armGrace();
    }
    if (force || before.state !== d.state || before.reason !== d.reason || before.cpuPercent !== d.cpuPercent) this.emitStatus();
  }

  private advance(at: SealJobLike): void {
    this.newest = at;
    this.queue = this.queue.filter((q) => !older(q.job, at));
    if (this.running && older(this.running.job, at)) this.host?.set(CTL.ABORT_UPTO, this.running.id);
  }

  private ensureHost(): WorkerHost {
    if (this.host) return this.host;
    const h = new WorkerHost(this.runner!, this.logger, this.o.workerUrl);
    h.events.on('message', (m) => this.onWorker(h, m));
    h.events.on('exit', (e) => this.onExit(h, e.expected));
    this.host = h;
    return h;
  }

  private pump(): void {
    if (this.closed || this.running || this.decision.state !== 'sealing' || !this.runner) return;
    const next = this.queue.shift();
    if (!next) return;
    const d = this.decision;
    const h = this.ensureHost();
    h.set(CTL.PERMILLE, Math.round(d.cpuPercent * 10));
    h.set(CTL.RUN, 1);
    this.workerPaused = false;
    this.running = next;
    next.attempts++;
    h.post({ type: 'job', id: next.id, job: next.job });
  }

  private onWorker(h: WorkerHost, m: FromWorker): void {
    if (h !== this.host) return;
    this.events.emit('worker', m);
    switch (m.type) {
      case 'cpu':
        this.cpu.push({ at: m.at, cpuMs: m.cpuMs });
        while (this.cpu.length > 2 && this.cpu[0]!.at < m.at - 4000) this.cpu.shift();
        return;
      case 'paused':
        this.workerPaused = m.paused;
        if (m.paused) this.clearGrace();
        else if (this.decision.state !== 'sealing' && this.running) this.armGrace();
        return;
      case 'done':
        if (this.running?.id === m.id) this.running = null;
        for (const s of m.seals) this.events.emit('seal', s);
        if (m.seals.length) {
          this.tally.addSeals(m.seals.length);
          this.emitStatus();
        }
        break;
      case 'aborted':
      case 'failed':
        if (m.type === 'failed') this.logger.warn('a seal job failed', { error: m.error });
        if (this.running?.id === m.id) this.running = null;
        break;
      default:
        return;
    }
    this.clearGrace();
    this.pump();
  }

  private onExit(h: WorkerHost, expected: boolean): void {
    if (h !== this.host) return;
    this.host = null;
    this.workerPaused = false;
    this.cpu = [];
    const job = this.running;
    this.running = null;
    if (!expected) this.logger.warn('the sealing worker stopped unexpectedly');
    // A job cut short (a crash, or terminated for ignoring a pause) runs again if still current.
    if (job && job.attempts < 3 && !(this.newest && older(job.job, this.newest))) this.queue.unshift(job);
    this.pump();
  }

  private armGrace(): void {
    if (this.grace) return;
    this.grace = setTimeout(() => {
      this.grace = null;
      if (this.decision.state === 'sealing' || !this.running || this.workerPaused) return;
      this.logger.info('a seal job did not pause in time: stopping the worker thread');
      // Its 'exit' (expected) puts the job back in the queue for when sealing resumes.
      void this.host?.terminate();
    }, this.o.yieldGraceMs ?? 300);
    this.grace.unref?.();
  }

  private clearGrace(): void {
    if (this.grace) clearTimeout(this.grace);
    this.grace = null;
  }

  private async stopWorker(): Promise<void> {
    const h = this.host;
    if (!h) return;
    this.host = null;
    this.running = null;
    this.workerPaused = false;
    this.cpu = [];
    this.clearGrace();
    await h.terminate();
  }

  /** The worker's CPU over its last ~2 s of reports (0 once it is in its paused wait). */
  private cpuPercent(): number {
    if (!this.host || this.workerPaused || this.cpu.length < 2) return 0;
    const b = this.cpu[this.cpu.length - 1]!;
    const a = this.cpu.find((s) => s.at >= b.at - 2000) ?? this.cpu[0]!;
    if (b.at - a.at < 200) return 0;
    return Math.round(((b.cpuMs - a.cpuMs) / (b.at - a.at)) * 1000) / 10;
  }

  private emitStatus(): void {
    if (!this.closed) this.events.emit('status', this.status());
  }
}
