/**
 * @module node/sealing-host
 * The node's sealing worker (issue 9 item 6): one `SealingController` per profile with its
 * idle source, wired to the rest of the node —
 *  - settings in `<profile>/sealing-settings.json`, the tally in `<profile>/chain/sealing.json`
 *    (re-read whenever the chain starts: a devnet reset erases it with the chain);
 *  - rewards: every block the chain adopts (final under POE) is passed to `onBlock`, which
 *    counts the withdrawals paid to our wallet and sealer addresses;
 *  - key material: the POE engine calls `setKeys(keys)` once the account is unlocked and the
 *    sealer key is derived, `setKeys(null)` on lock (the worker thread holding it ends);
 *  - registration: on every adopted block (and when keys or the chain change) the host reads the
 *    staking contract's validators() at the head and counts as registered when one of our
 *    sealer addresses is a sealer there; the engine may also say so (`setParticipation`, with
 *    `syncing`), and sends jobs (`port.submit`) and takes the seals (`port.onSeal`);
 *  - idle: the web UI's `sealing.activity`, the CLI's `sealing.setIdle`, and the Electron
 *    shell's OS idle time and power state (`systemIdle`, `setBattery`).
 */
import { join } from 'node:path';
import type { Block } from '@ethereumjs/block';
import type { SealingStatusT } from '../../../src-preload/contract';
import type { Logger } from '../base';
import { readValidatorSet, stakingParams, type Ledger } from '../chain';
import { IdleSource, SealingController, type IdleOverride, type RunnerRef, type SealJobLike, type SealerRunnerInit } from '../seal';

export type SealingHostOptions = {
  dataDir: string;
  logger: Logger;
  nativeBinding?: string;
  /** Seconds without input before the user counts as away (default 60). */
  idleAfterSec?: number;
  /** The wallet address (rewards paid to it count), when the profile knows it. */
  wallet?: string | null;
  /** The node's running ledger, to read the staking contract (registered as a sealer?). */
  ledgerOf?: () => Ledger | null;
};

export class SealingHost {
  readonly idle: IdleSource;
  readonly controller: SealingController;
  private wallet: string | null;
  private keyAddresses: string[] = [];
  private registrationRun = 0;

  constructor(private readonly o: SealingHostOptions) {
    this.idle = new IdleSource({ idleAfterSec: o.idleAfterSec });
    this.wallet = o.wallet ?? null;
    this.controller = new SealingController({
      idle: this.idle,
      settingsFile: join(o.dataDir, 'sealing-settings.json'),
      tallyFile: join(o.dataDir, 'chain', 'sealing.json'),
      runner: null,
      addresses: this.addresses(),
      logger: o.logger,
    });
  }

  status(): SealingStatusT {
    return this.controller.status();
  }

  /** The sealer keys (unlocked), or null (locked: the worker and its copy of the key end). */
  async setKeys(keys: SealerRunnerInit['keys'] | null): Promise<void> {
    this.keyAddresses = keys ? keys.map((k) => k.address) : [];
    this.controller.setAddresses(this.addresses());
    await this.setRunner(
      keys && { kind: 'sealer', init: { keys, ledgerFile: join(this.o.dataDir, 'chain', 'chain.db'), nativeBinding: this.o.nativeBinding } satisfies SealerRunnerInit },
    );
    await this.refreshRegistration();
  }

  /** Is one of our sealer addresses (else the wallet) a sealer in the staking contract at the head? */
  async refreshRegistration(): Promise<boolean | null> {
    const ledger = this.o.ledgerOf?.() ?? null;
    if (!ledger) return null;
    const run = ++this.registrationRun;
    const ours = new Set((this.keyAddresses.length ? this.keyAddresses : this.wallet ? [this.wallet] : []).map((a) => a.toLowerCase()));
    let registered = false;
    try {
      if (stakingParams(ledger.genesis) && ours.size > 0) {
        const set = await readValidatorSet(ledger, ledger.head.header);
        registered = set.sealers.some((v) => ours.has(v.address.toLowerCase()));
      }
    } catch (e) {
      this.o.logger.debug('could not read the validator set', { error: String(e) });
      return null;
    }
    if (run === this.registrationRun) this.controller.setParticipation({ registered });
    return registered;
  }

  /** Any job runner (the bench and tests run burn-runner.ts through a real node); null: locked. */
  async setRunner(runner: RunnerRef | null): Promise<void> {
    await this.controller.setRunner(runner);
  }

  setWallet(wallet: string | null): void {
    this.wallet = wallet;
    this.controller.setAddresses(this.addresses());
  }

  setParticipation(p: { registered?: boolean; syncing?: boolean }): void {
    this.controller.setParticipation(p);
  }

  /** The engine's SealingPort: jobs in (`submit`), encoded seal messages out (`onSeal`). */
  get port(): { submit(job: SealJobLike): boolean; onSeal(cb: (msg: Uint8Array) => void): () => void } {
    return { submit: (job) => this.controller.submit(job), onSeal: (cb) => this.controller.onSeal(cb) };
  }

  submit(job: SealJobLike): boolean {
    return this.controller.submit(job);
  }

  setRound(height: bigint, round: number): void {
    this.controller.setRound(height, round);
  }

  /** A block the chain adopted. */
  onBlock(block: Block): void {
    this.controller.onBlock(block);
    void this.refreshRegistration();
  }

  /** The chain (re)started: its folder may be new (devnet reset), so re-read the tally. */
  chainStarted(): void {
    this.controller.reloadTally();
    void this.refreshRegistration();
  }

  setIdle(state: IdleOverride): SealingStatusT {
    this.idle.setOverride(state);
    return this.status();
  }

  activity(): void {
    this.idle.activity();
  }

  /** Electron: powerMonitor.getSystemIdleTime() in seconds. */
  systemIdle(sec: number): void {
    this.idle.systemIdle(sec);
  }

  /** Electron: powerMonitor 'on-battery' / 'on-ac' (null: unknown). */
  setBattery(onBattery: boolean | null): void {
    this.idle.setBattery(onBattery);
  }

  async close(): Promise<void> {
    await this.controller.close();
    this.idle.close();
  }

  private addresses(): string[] {
    return [...(this.wallet ? [this.wallet] : []), ...this.keyAddresses];
  }
}
