/**
 * @module seal/sealing/settings
 * The user's sealing settings — mode (always / when idle / never) and the CPU cap for idle
 * sealing (10–100 % of one core) — in `<profile>/sealing-settings.json`, beside the profile and
 * not in the chain folder, so a devnet reset does not forget what the user chose. Defaults:
 * when idle, 50 %. A damaged or hand-edited file falls back to them field by field.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CPU_CAP_DEFAULT, CPU_CAP_MAX, CPU_CAP_MIN, SEALING_MODES, type SealingModeT } from '../../../../src-preload/contract';

export type SealingSettings = { mode: SealingModeT; cpuCapPercent: number };

export const DEFAULT_SETTINGS: SealingSettings = { mode: 'idle', cpuCapPercent: CPU_CAP_DEFAULT };

export function readSettings(file: string): SealingSettings {
  if (!existsSync(file)) return { ...DEFAULT_SETTINGS };
  try {
    const j = JSON.parse(readFileSync(file, 'utf8')) as { mode?: unknown; cpuCapPercent?: unknown };
    const mode = (SEALING_MODES as readonly unknown[]).includes(j.mode) ? (j.mode as SealingModeT) : DEFAULT_SETTINGS.mode;
    const cap = j.cpuCapPercent;
    const cpuCapPercent =
      typeof cap === 'number' && Number.isInteger(cap) && cap >= CPU_CAP_MIN && cap <= CPU_CAP_MAX ? cap : DEFAULT_SETTINGS.cpuCapPercent;
    return { mode, cpuCapPercent };
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
}

export function writeSettings(file: string, s: SealingSettings): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify({ mode: s.mode, cpuCapPercent: s.cpuCapPercent }));
  renameSync(`${file}.tmp`, file);
}
