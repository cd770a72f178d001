/** Spawns and talks to `node-child.ts` (test support). */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./node-child.ts', import.meta.url));

export type ChildNode = {
  proc: ChildProcess;
  address: string;
  port: number;
  lines: Array<Record<string, unknown>>;
  request(cmd: Record<string, unknown>, until: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  send(cmd: Record<string, unknown>): void;
  kill9(): Promise<void>;
  exited: Promise<number | null>;
};

export async function spawnChild(dataDir: string, name: string, port = 0): Promise<ChildNode> {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, name, String(port)], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: Array<Record<string, unknown>> = [];
  const waiters: Array<{ until: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }> = [];
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr += String(d)));
  createInterface({ input: proc.stdout! }).on('line', (l) => {
    let obj: Record<string, unknown>;
    try {
      obj = JSON.parse(l);
    } catch {
      return;
    }
    lines.push(obj);
    for (const w of [...waiters]) {
      if (w.until(obj)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(obj);
      }
    }
  });
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  const waitLine = (until: (l: Record<string, unknown>) => boolean, from = 0) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const found = lines.slice(from).find(until);
      if (found) return resolve(found);
      waiters.push({ until, resolve });
      void exited.then(() => reject(new Error(`child exited: ${stderr.slice(-2000)}`)));
    });
  const ready = await waitLine((l) => l.ready === true);
  const child: ChildNode = {
    proc,
    address: ready.address as string,
    port: ready.port as number,
    lines,
    send(cmd) {
      proc.stdin!.write(JSON.stringify(cmd) + '\n');
    },
    request(cmd, until) {
      const p = waitLine(until, lines.length);
      child.send(cmd);
      return p;
    },
    async kill9() {
      proc.kill('SIGKILL');
      await exited;
    },
    exited,
  };
  return child;
}
