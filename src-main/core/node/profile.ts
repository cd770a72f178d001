/**
 * @module node/profile
 * The profile's public, non-secret settings kept in clear beside the vault so a locked app can
 * greet its user: the display name. Written atomically.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type ProfileFile = { name: string };

export function readProfile(dataDir: string): ProfileFile | null {
  const f = join(dataDir, 'profile.json');
  if (!existsSync(f)) return null;
  try {
    const j = JSON.parse(readFileSync(f, 'utf8')) as { name?: unknown };
    return typeof j.name === 'string' ? { name: j.name } : null;
  } catch {
    return null;
  }
}

export function writeProfile(dataDir: string, p: ProfileFile): void {
  const f = join(dataDir, 'profile.json');
  writeFileSync(`${f}.tmp`, JSON.stringify(p), { mode: 0o600 });
  renameSync(`${f}.tmp`, f);
}
