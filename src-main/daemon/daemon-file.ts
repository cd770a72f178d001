/**
 * @module daemon/daemon-file
 * `<DATA>/daemon.json` = `{pid, uiPort, token, startedAt}`: how CLI commands find the
 * `bitunicom serve` running for a profile. Written by serve (atomically, mode 0600: the
 * token grants full control of the node) and removed on exit; a file left by a crashed
 * serve is recognised by its dead pid.
 */
import { chmodSync, closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export const DAEMON_FILE = 'daemon.json';

export type DaemonInfo = { pid: number; uiPort: number; token: string; startedAt: number };

export function daemonFilePath(dataDir: string): string {
  return join(dataDir, DAEMON_FILE);
}

export function writeDaemonInfo(dataDir: string, info: DaemonInfo): void {
  const file = daemonFilePath(dataDir);
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(info)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(tmp, 0o600); // explicit, whatever the platform did with the open() mode
  renameSync(tmp, file);
}

function isInfo(v: unknown): v is DaemonInfo {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    Number.isSafeInteger(o.pid) &&
    (o.pid as number) > 0 &&
    Number.isInteger(o.uiPort) &&
    (o.uiPort as number) > 0 &&
    (o.uiPort as number) <= 65535 &&
    typeof o.token === 'string' &&
    o.token.length > 0 &&
    typeof o.startedAt === 'number'
  );
}

/** The file's content, or null if it is missing or not a daemon file. */
export function readDaemonInfo(dataDir: string): DaemonInfo | null {
  let text: string;
  try {
    text = readFileSync(daemonFilePath(dataDir), 'utf8');
  } catch {
    return null;
  }
  try {
    const v: unknown = JSON.parse(text);
    return isInfo(v) ? { pid: v.pid, uiPort: v.uiPort, token: v.token, startedAt: v.startedAt } : null;
  } catch {
    return null;
  }
}

/** Removes the file only if it still describes `pid` (a newer serve may have replaced it). */
export function removeDaemonInfo(dataDir: string, pid: number): void {
  const current = readDaemonInfo(dataDir);
  if (current && current.pid !== pid) return;
  rmSync(daemonFilePath(dataDir), { force: true });
}

/** Signal 0 probes a pid without touching it; EPERM means it exists but is someone else's. */
export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The running daemon for `dataDir`, or null (no file, unreadable, or its pid is dead). */
export function findDaemon(dataDir: string): DaemonInfo | null {
  const info = readDaemonInfo(dataDir);
  return info && isPidAlive(info.pid) ? info : null;
}
