/**
 * @module e2e/nat-lab/lab
 * Helpers for the NAT lab specs: bring the lab up/down (lab.sh), run commands inside a lab
 * host's network namespace (`ip netns exec`), and know each host's addresses. Needs root.
 * Topology and NAT behaviour (RFC 4787 mapping/filtering terms): see README.md.
 */
import { execFile, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const LAB_DIR = fileURLToPath(new URL('.', import.meta.url));
export const LAB_SH = fileURLToPath(new URL('./lab.sh', import.meta.url));
export const REPO_DIR = fileURLToPath(new URL('../../', import.meta.url));

export type RouterHost = 'bu-r1' | 'bu-r2';
export type ClientHost = 'bu-c1' | 'bu-c2' | 'bu-s1' | 'bu-s2';
export type NatHost = 'bu-nat-cone1' | 'bu-nat-cone2' | 'bu-nat-sym1' | 'bu-nat-sym2';
export type LabHost = RouterHost | ClientHost | NatHost;
export type NatKind = 'cone' | 'symmetric';

/** Public segment 10.99.0.0/24; each client on its own private /24 behind its NAT. */
export const ROUTERS: Record<RouterHost, { address: string }> = {
  'bu-r1': { address: '10.99.0.11' },
  'bu-r2': { address: '10.99.0.12' },
};
export const NATS: Record<NatHost, { kind: NatKind; publicAddress: string; lanAddress: string; client: ClientHost }> = {
  'bu-nat-cone1': { kind: 'cone', publicAddress: '10.99.0.21', lanAddress: '192.168.1.1', client: 'bu-c1' },
  'bu-nat-cone2': { kind: 'cone', publicAddress: '10.99.0.22', lanAddress: '192.168.2.1', client: 'bu-c2' },
  'bu-nat-sym1': { kind: 'symmetric', publicAddress: '10.99.0.31', lanAddress: '192.168.3.1', client: 'bu-s1' },
  'bu-nat-sym2': { kind: 'symmetric', publicAddress: '10.99.0.32', lanAddress: '192.168.4.1', client: 'bu-s2' },
};
export const CLIENTS: Record<ClientHost, { address: string; nat: NatHost }> = {
  'bu-c1': { address: '192.168.1.10', nat: 'bu-nat-cone1' },
  'bu-c2': { address: '192.168.2.10', nat: 'bu-nat-cone2' },
  'bu-s1': { address: '192.168.3.10', nat: 'bu-nat-sym1' },
  'bu-s2': { address: '192.168.4.10', nat: 'bu-nat-sym2' },
};

/** The address a program on `host` binds to: public for routers and NATs, private for clients. */
export function hostAddress(host: LabHost): string {
  if (host in ROUTERS) return ROUTERS[host as RouterHost].address;
  if (host in CLIENTS) return CLIENTS[host as ClientHost].address;
  if (host in NATS) return NATS[host as NatHost].publicAddress;
  throw new Error(`nat-lab: unknown host ${String(host)}`);
}

/** The public address the outside world sees for a client (its NAT's WAN address). */
export function publicAddressOf(client: ClientHost): string {
  return NATS[CLIENTS[client].nat].publicAddress;
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Throws a clear error unless we can build namespaces (root on Linux). */
export function assertRoot(): void {
  if (process.platform !== 'linux') throw new Error(`nat-lab: needs Linux network namespaces (this is ${process.platform})`);
  if (!isRoot()) {
    throw new Error(
      'nat-lab: must run as root (it creates network namespaces, veth pairs and iptables rules). ' +
        'Run: npm run build && sudo npx vitest run -c .config/vitest.natlab.config.ts',
    );
  }
}

export type ExecResult = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

function run(file: string, args: string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<ExecResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { timeout: opts.timeoutMs ?? 60_000, env: opts.env ?? process.env, cwd: opts.cwd ?? REPO_DIR, maxBuffer: 32 * 1024 * 1024, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { code?: number | string; signal?: NodeJS.Signals }) | null;
        const code = e ? (typeof e.code === 'number' ? e.code : null) : 0;
        resolve({ code, signal: e?.signal ?? null, stdout: String(stdout), stderr: String(stderr) + (e && typeof e.code === 'string' ? `\n${e.message}` : '') });
      },
    );
  });
}

async function labSh(cmd: 'up' | 'down' | 'status'): Promise<ExecResult> {
  assertRoot();
  return run('bash', [LAB_SH, cmd], { timeoutMs: 120_000 });
}

/** Builds the lab (idempotent); `fresh` tears an existing lab down first (empty conntrack tables). */
export async function labUp(opts: { fresh?: boolean } = {}): Promise<void> {
  if (opts.fresh) await labDown();
  const r = await labSh('up');
  if (r.code !== 0) {
    throw new Error(`nat-lab: lab.sh up failed (exit ${r.code})\n${r.stdout}${r.stderr}\nIs iptables installed? Run e2e/nat-lab/install-deps.sh`);
  }
}

/** Removes every lab namespace (kills what still runs in them). Set BU_NATLAB_KEEP=1 to keep the lab for debugging. */
export async function labDown(opts: { force?: boolean } = {}): Promise<void> {
  if (process.env.BU_NATLAB_KEEP === '1' && !opts.force) return;
  const r = await labSh('down');
  if (r.code !== 0) throw new Error(`nat-lab: lab.sh down failed (exit ${r.code})\n${r.stdout}${r.stderr}`);
}

export async function labStatus(): Promise<ExecResult> {
  return labSh('status');
}

function nsArgs(host: LabHost, cmd: string[]): string[] {
  if (cmd.length === 0) throw new Error('nat-lab: empty command');
  const program = cmd[0] === 'node' ? process.execPath : cmd[0]!;
  return ['netns', 'exec', host, program, ...cmd.slice(1)];
}

/** Runs `cmd` inside `host`'s namespace to completion. `node` means this very Node binary. */
export function exec(host: LabHost, cmd: string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<ExecResult> {
  return run('ip', nsArgs(host, cmd), opts);
}

/** A long-running program inside a lab host, with its output collected for diagnostics. */
export type LabProcess = {
  host: LabHost;
  name: string;
  proc: ChildProcess;
  /** stdout lines so far. */
  lines: string[];
  /** stdout + stderr, interleaved as received. */
  log: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  running(): boolean;
  /** Resolves with the first stdout line (past or future) that matches. */
  waitForLine(re: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGTERM (or `signal`), then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
  /** The last `n` log lines, prefixed with the process name, for failure messages. */
  tail(n?: number): string;
};

const live = new Set<LabProcess>();

/** Starts `cmd` inside `host` (via `ip netns exec`, which execs the program: the pid is the program's). */
export function spawnIn(host: LabHost, cmd: string[], opts: { name?: string; env?: NodeJS.ProcessEnv; cwd?: string; stdio?: SpawnOptions['stdio'] } = {}): LabProcess {
  const name = opts.name ?? `${host}:${cmd.slice(0, 3).join(' ')}`;
  const proc = spawn('ip', nsArgs(host, cmd), {
    env: opts.env ?? process.env,
    cwd: opts.cwd ?? REPO_DIR,
    stdio: opts.stdio ?? ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const log: string[] = [];
  const waiters: { re: RegExp; resolve: (l: string) => void }[] = [];
  if (proc.stdout) {
    createInterface({ input: proc.stdout }).on('line', (line) => {
      lines.push(line);
      log.push(line);
      for (const w of [...waiters]) {
        if (w.re.test(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    });
  }
  if (proc.stderr) createInterface({ input: proc.stderr }).on('line', (line) => log.push(`[stderr] ${line}`));
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    proc.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      // Let readline flush the last lines before anyone reads them.
      setImmediate(() => resolve({ code, signal }));
    });
    proc.once('error', (e) => {
      log.push(`[spawn error] ${String(e)}`);
      exitInfo = { code: null, signal: null };
      resolve(exitInfo);
    });
  });
  const p: LabProcess = {
    host,
    name,
    proc,
    lines,
    log,
    exited,
    running: () => exitInfo === null,
    waitForLine(re, timeoutMs = 30_000) {
      const seen = lines.find((l) => re.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise<string>((resolve, reject) => {
        const w = { re, resolve: (l: string) => (clearTimeout(timer), resolve(l)) };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error(`${name}: no line matching ${re} within ${timeoutMs} ms\n${p.tail()}`));
        }, timeoutMs);
        waiters.push(w);
        void exited.then((x) => {
          if (!waiters.includes(w)) return;
          waiters.splice(waiters.indexOf(w), 1);
          clearTimeout(timer);
          reject(new Error(`${name}: exited (code ${x.code}, signal ${x.signal}) before printing a line matching ${re}\n${p.tail()}`));
        });
      });
    },
    async stop(signal = 'SIGTERM', graceMs = 10_000) {
      if (exitInfo === null) {
        proc.kill(signal);
        const t = setTimeout(() => exitInfo === null && proc.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(t);
      }
      live.delete(p);
    },
    tail(n = 60) {
      const shown = log.slice(-n).map((l) => `  ${name} | ${l}`);
      const head = log.length > n ? [`  ${name} | … ${log.length - n} earlier lines`] : [];
      return [...head, ...shown].join('\n');
    },
  };
  live.add(p);
  void exited.then(() => live.delete(p));
  return p;
}

/** Kills every process started with spawnIn that is still running (call from afterAll). */
export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((p) => p.stop('SIGTERM', 5_000)));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Thrown from a `waitFor` probe to stop waiting at once (e.g. the awaited process died). */
export class WaitAborted extends Error {}

/** Polls `fn` until it returns a non-undefined value; on timeout throws with `describe()`. A `WaitAborted` from `fn` ends the wait immediately. */
export async function waitFor<T>(fn: () => Promise<T | undefined> | T | undefined, opts: { timeoutMs: number; intervalMs?: number; what: string; describe?: () => string | Promise<string> }): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let lastError: unknown = null;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      if (e instanceof WaitAborted) {
        const extra = opts.describe ? await opts.describe() : '';
        throw new Error(`gave up waiting for ${opts.what}: ${e.message}${extra ? `\n${extra}` : ''}`, { cause: e });
      }
      lastError = e;
    }
    if (Date.now() >= deadline) {
      const extra = opts.describe ? await opts.describe() : '';
      const err = lastError ? `\nlast error: ${lastError instanceof Error ? lastError.message : String(lastError)}` : '';
      throw new Error(`timed out after ${opts.timeoutMs} ms waiting for ${opts.what}${err}${extra ? `\n${extra}` : ''}`);
    }
    await sleep(opts.intervalMs ?? 500);
  }
}
