/**
 * @module seal/sealing/idle-source
 * Is the user at the computer? The pluggable idle source of the sealing policy (issue 9 item 6).
 * The user counts as idle after `idleAfterSec` (default 60) without input. Input arrives as
 *  - `systemIdle(sec)`: the OS idle time (Electron's powerMonitor.getSystemIdleTime(), polled
 *    about every 500 ms by the shell: a key press anywhere resets it to 0);
 *  - `activity()`: the web UI saw a key, pointer or wheel event (the headless shell's only clue;
 *    the page sends `sealing.activity` at most once a second);
 * and the shell reports power (`setBattery`: true on battery, false on mains, null unknown).
 *
 * `setOverride` is the headless shell's switch (CLI `bitunicom node idle --state …`, tests):
 *   'active' — count the user as present until told otherwise;
 *   'idle'   — count the user as away now; the next input after it brings them back (and the
 *              source follows input again), exactly as a real return would;
 *   'auto'   — follow input only.
 * Emits 'change' whenever idleness, power or the override changes, including the moment the
 * idle timeout elapses (a timer, so nobody has to poll).
 */
import { TypedEmitter } from '../../base';

export type IdleOverride = 'active' | 'idle' | 'auto';

export type IdleSnapshot = {
  userIdle: boolean;
  /** Milliseconds since the last input (Infinity: none since the 'idle' override). */
  idleForMs: number;
  onBattery: boolean | null;
  override: IdleOverride;
  idleAfterSec: number;
};

export type IdleSourceOptions = {
  idleAfterSec?: number;
  now?: () => number;
};

export const DEFAULT_IDLE_AFTER_SEC = 60;

export class IdleSource {
  readonly events = new TypedEmitter<{ change: IdleSnapshot }>();
  readonly idleAfterSec: number;
  private readonly now: () => number;
  private lastInput: number;
  private override: IdleOverride = 'auto';
  /** Inputs at or before this moment are older than the 'idle' override and do not count. */
  private overrideAt = -Infinity;
  private battery: boolean | null = null;
  private timer: NodeJS.Timeout | null = null;
  private last: string;

  constructor(o: IdleSourceOptions = {}) {
    this.idleAfterSec = o.idleAfterSec ?? DEFAULT_IDLE_AFTER_SEC;
    this.now = o.now ?? Date.now;
    // Starting counts as input: nobody is "idle" the second the app opens.
    this.lastInput = this.now();
    this.last = this.key(this.snapshot());
    this.arm();
  }

  /** User input seen by the UI (or the shell) at `at` (default now). */
  activity(at = this.now()): void {
    this.input(at, true);
  }

  /** The OS idle time in seconds (Electron powerMonitor.getSystemIdleTime()). */
  systemIdle(sec: number): void {
    if (!Number.isFinite(sec) || sec < 0) return;
    this.input(this.now() - sec * 1000, false);
  }

  setBattery(onBattery: boolean | null): void {
    this.battery = onBattery;
    this.changed();
  }

  setOverride(state: IdleOverride): void {
    this.override = state;
    this.overrideAt = state === 'idle' ? this.now() : -Infinity;
    this.changed();
  }

  snapshot(): IdleSnapshot {
    const now = this.now();
    const idleForMs = this.override === 'idle' ? Infinity : Math.max(0, now - this.lastInput);
    const userIdle = this.override === 'active' ? false : this.override === 'idle' ? true : idleForMs >= this.idleAfterSec * 1000;
    return { userIdle, idleForMs, onBattery: this.battery, override: this.override, idleAfterSec: this.idleAfterSec };
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.events.removeAll();
  }

  /** `fresh`: reported as it happened (a UI event), so it counts even in the override's millisecond. */
  private input(at: number, fresh: boolean): void {
    if (this.override === 'idle') {
      if (fresh ? at < this.overrideAt : at <= this.overrideAt) return;
      this.override = 'auto'; // the user came back
      this.overrideAt = -Infinity;
      this.lastInput = Math.max(this.lastInput, at);
      this.changed();
      return;
    }
    if (at <= this.lastInput) return;
    this.lastInput = at;
    this.changed();
  }

  private key(s: IdleSnapshot): string {
    return `${s.userIdle}|${s.onBattery}|${s.override}`;
  }

  private changed(): void {
    this.arm();
    const s = this.snapshot();
    const k = this.key(s);
    if (k === this.last) return;
    this.last = k;
    this.events.emit('change', s);
  }

  /** A timer for the moment the user becomes idle (auto mode, not idle yet). */
  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.override !== 'auto') return;
    const due = this.lastInput + this.idleAfterSec * 1000 - this.now();
    if (due <= 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.changed();
    }, due + 5);
    this.timer.unref?.();
  }
}
