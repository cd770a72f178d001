/**
 * @module node/profile-lock
 * One running node per data dir. The lock is a file created with O_EXCL holding our pid; a
 * lock whose pid is dead (crash, kill -9) is stale and taken over, so a crash never locks a
 * user out of their profile.
 */
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { BuError } from '../base';

export type ProfileLock = { release(): void };

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireProfileLock(dataDir: string): ProfileLock {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, 'LOCK');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          try {
            if (readFileSync(file, 'utf8') === String(process.pid)) unlinkSync(file);
          } catch {
            /* already gone */
          }
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let pid = NaN;
      try {
        pid = Number(readFileSync(file, 'utf8').trim());
      } catch {
        /* vanished between open and read: retry */
      }
      if (alive(pid) && pid !== process.pid) {
        throw new BuError('PROFILE_IN_USE', `profile ${dataDir} is already open in process ${pid}`);
      }
      if (pid === process.pid) throw new BuError('PROFILE_IN_USE', `profile ${dataDir} is already open in this process`);
      try {
        unlinkSync(file);
      } catch {
        /* someone else took it over */
      }
    }
  }
  throw new BuError('PROFILE_IN_USE', `could not lock profile ${dataDir}`);
}
