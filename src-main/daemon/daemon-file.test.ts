import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { daemonFilePath, findDaemon, isPidAlive, readDaemonInfo, removeDaemonInfo, writeDaemonInfo } from './daemon-file';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bu-df-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A pid that is certainly not running: beyond the kernel's pid_max. */
const DEAD_PID = 2 ** 22 + 12345;

describe('daemon.json', () => {
  it('is written atomically with mode 0600 and read back', () => {
    const info = { pid: process.pid, uiPort: 4567, token: 't0k', startedAt: 1 };
    writeDaemonInfo(dir, info);
    expect(readDaemonInfo(dir)).toEqual(info);
    if (process.platform !== 'win32') expect(statSync(daemonFilePath(dir)).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['daemon.json']);
    expect(findDaemon(dir)).toEqual(info);
  });

  it('treats a dead pid as not running and malformed files as absent', () => {
    writeDaemonInfo(dir, { pid: DEAD_PID, uiPort: 4567, token: 't', startedAt: 1 });
    expect(isPidAlive(DEAD_PID)).toBe(false);
    expect(isPidAlive(process.pid)).toBe(true);
    expect(findDaemon(dir)).toBeNull();
    expect(readDaemonInfo(dir)?.pid).toBe(DEAD_PID);
    writeFileSync(daemonFilePath(dir), '{"pid":"1"}');
    expect(readDaemonInfo(dir)).toBeNull();
    writeFileSync(daemonFilePath(dir), 'garbage');
    expect(readDaemonInfo(dir)).toBeNull();
  });

  it('is removed only by the process it describes', () => {
    writeDaemonInfo(dir, { pid: 1234, uiPort: 1, token: 't', startedAt: 1 });
    removeDaemonInfo(dir, 999);
    expect(readDaemonInfo(dir)?.pid).toBe(1234);
    removeDaemonInfo(dir, 1234);
    expect(readDaemonInfo(dir)).toBeNull();
    removeDaemonInfo(dir, 1234); // absent: no error
  });
});
