/**
 * @module e2e/nat-lab/lab
 * Helpers for the NAT lab specs: bring the lab up/down (lab.sh), run commands inside a lab
 * host's network namespace (`ip netns exec`), and know each host's addresses and each NAT
 * site's behaviour (SITES, in RFC 4787 terms). Needs root. Topology: see README.md.
 */
import { execFile, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const LAB_DIR = fileURLToPath(new URL('.', import.meta.url));
export const LAB_SH = fileURLToPath(new URL('./lab.sh', import.meta.url));
export const REPO_DIR = fileURLToPath(new URL('../../', import.meta.url));

/** UDP ports every node host runs app nodes on; with two clients per NAT, each owns one half. */
export const NODE_PORTS: readonly [number, number] = [40400, 40499];
/** The nopp NAT shows source port p (a node port) as WAN:(p - NOPP_OFFSET). */
export const NOPP_OFFSET = 10000;

/** RFC 4787 §4.1 mapping: endpoint-independent (port-preserving), endpoint-independent without port preservation, endpoint-dependent. */
export type Mapping = 'eim' | 'eim-nopp' | 'edm';
/** RFC 4787 §5 filtering: endpoint-independent, address-dependent, address-and-port-dependent. */
export type Filtering = 'eif' | 'adf' | 'apdf';
/** What the NAT router itself does with an unsolicited packet to its WAN address. */
export type Unsolicited = 'drop' | 'reject' | 'answer';

/**
 * THE site table (lab.sh holds the same rows in its SITES array): name, N (WAN 10.99.N.2, LAN
 * 192.168.N.0/24), mapping, filtering, unsolicited-input handling, hairpinning (null: one client).
 */
const SITE_ROWS = [
  ['drop1', 21, 'eim', 'apdf', 'drop', null],
  ['drop2', 22, 'eim', 'apdf', 'drop', null],
  ['rej1', 23, 'eim', 'apdf', 'reject', null],
  ['rej2', 24, 'eim', 'apdf', 'reject', null],
  ['ans1', 25, 'eim', 'apdf', 'answer', null],
  ['ans2', 26, 'eim', 'apdf', 'answer', null],
  ['adf', 27, 'eim', 'adf', 'answer', null],
  ['eif', 28, 'eim', 'eif', 'answer', null],
  ['nopp', 29, 'eim-nopp', 'apdf', 'answer', null],
  ['sym1', 31, 'edm', 'apdf', 'drop', null],
  ['sym2', 32, 'edm', 'apdf', 'answer', null],
  ['hpon', 41, 'eim', 'apdf', 'answer', true],
  ['hpoff', 42, 'eim', 'apdf', 'answer', false],
] as const satisfies readonly (readonly [string, number, Mapping, Filtering, Unsolicited, boolean | null])[];

type SiteRow = (typeof SITE_ROWS)[number];
export type SiteName = SiteRow[0];
/** Sites with two clients (the ones that test hairpinning). */
type TwoClientSite = Extract<SiteRow, readonly [string, number, string, string, string, boolean]>[0];

export type CoreHost = 'bu-inet';
export type RouterHost = 'bu-r1' | 'bu-r2';
export type PublicHost = 'bu-pub1';
export type NatHost = `bu-nat-${SiteName}`;
export type ClientHost = `bu-${SiteName}` | `bu-${TwoClientSite}b`;
/** A host that may run app nodes (UDP NODE_PORTS): a NATed client or the public client. */
export type NodeHost = ClientHost | PublicHost;
export type LabHost = CoreHost | RouterHost | NodeHost | NatHost;
/** Every host that has one address of its own (the core has one per uplink). */
export type AddressedHost = Exclude<LabHost, CoreHost>;

export type Site = {
  nat: NatHost;
  /** The NAT's WAN address, 10.99.N.2 (also the public address of its clients). */
  wan: string;
  /** The private LAN, 192.168.N.0/24; the NAT is .1 on it. */
  lanPrefix: string;
  lanAddress: string;
  mapping: Mapping;
  filtering: Filtering;
  unsolicited: Unsolicited;
  /** true/false for two-client sites (hairpinning on/off), null with one client. */
  hairpin: boolean | null;
  clients: ClientHost[];
};
export type Client = { address: string; site: SiteName; nat: NatHost; ports: readonly [number, number] };
export type Nat = { site: SiteName; publicAddress: string; lanAddress: string; clients: ClientHost[] };

/** The internet core router: forwards between every 10.99.N.0/24, no NAT, no filtering. */
export const CORE: CoreHost = 'bu-inet';
/** Public hosts are 10.99.N.2/24 with the core at 10.99.N.1 (their default route). */
export const ROUTERS: Record<RouterHost, { address: string }> = {
  'bu-r1': { address: '10.99.11.2' },
  'bu-r2': { address: '10.99.12.2' },
};
export const PUBLIC_HOSTS: Record<PublicHost, { address: string; ports: readonly [number, number] }> = {
  'bu-pub1': { address: '10.99.13.2', ports: NODE_PORTS },
};

function buildTables(): { sites: Record<SiteName, Site>; clients: Record<ClientHost, Client> } {
  const sites = {} as Record<SiteName, Site>;
  const clients = {} as Record<ClientHost, Client>;
  const [lo, hi] = NODE_PORTS;
  const half = (hi - lo + 1) / 2;
  for (const [name, n, mapping, filtering, unsolicited, hairpin] of SITE_ROWS) {
    const nat: NatHost = `bu-nat-${name}`;
    const names: ClientHost[] = hairpin === null ? [`bu-${name}`] : [`bu-${name}`, `bu-${name}b` as ClientHost];
    names.forEach((c, i) => {
      const ports: readonly [number, number] = names.length === 1 ? NODE_PORTS : i === 0 ? [lo, lo + half - 1] : [lo + half, hi];
      clients[c] = { address: `192.168.${n}.${10 + i}`, site: name, nat, ports };
    });
    sites[name] = { nat, wan: `10.99.${n}.2`, lanPrefix: `192.168.${n}.0/24`, lanAddress: `192.168.${n}.1`, mapping, filtering, unsolicited, hairpin, clients: names };
  }
  return { sites, clients };
}
const TABLES = buildTables();
export const SITES: Readonly<Record<SiteName, Site>> = TABLES.sites;
export const CLIENTS: Readonly<Record<ClientHost, Client>> = TABLES.clients;
export const SITE_NAMES = Object.keys(SITES) as SiteName[];
/** NAT namespaces by name, e.g. for diagnostics (conntrack tables). */
export const NATS: Readonly<Record<NatHost, Nat>> = Object.fromEntries(
  SITE_NAMES.map((s): [NatHost, Nat] => [SITES[s].nat, { site: s, publicAddress: SITES[s].wan, lanAddress: SITES[s].lanAddress, clients: SITES[s].clients }]),
) as Record<NatHost, Nat>;
export const NAT_HOSTS = Object.keys(NATS) as NatHost[];
export const CLIENT_HOSTS = Object.keys(CLIENTS) as ClientHost[];
export const NODE_HOSTS: NodeHost[] = [...CLIENT_HOSTS, ...(Object.keys(PUBLIC_HOSTS) as PublicHost[])];
/** Every namespace of the lab (what `lab.sh status` checks). */
export const ALL_HOSTS: LabHost[] = [CORE, ...(Object.keys(ROUTERS) as RouterHost[]), ...(Object.keys(PUBLIC_HOSTS) as PublicHost[]), ...NAT_HOSTS, ...CLIENT_HOSTS];

const isIn = <K extends string>(rec: Readonly<Record<K, unknown>>, k: string): k is K => Object.prototype.hasOwnProperty.call(rec, k);

export function isClientHost(host: string): host is ClientHost {
  return isIn(CLIENTS, host);
}

/** The address a program on `host` binds to: public for routers, bu-pub1 and NATs (WAN), private for clients. */
export function hostAddress(host: AddressedHost): string {
  if (isIn(ROUTERS, host)) return ROUTERS[host].address;
  if (isIn(PUBLIC_HOSTS, host)) return PUBLIC_HOSTS[host].address;
  if (isIn(CLIENTS, host)) return CLIENTS[host].address;
  if (isIn(NATS, host)) return NATS[host].publicAddress;
  throw new Error(`nat-lab: ${String(host)} has no single address`);
}

/** The address the outside world sees for a node host: its NAT's WAN address, or bu-pub1's own. */
export function publicAddressOf(host: NodeHost): string {
  if (isIn(PUBLIC_HOSTS, host)) return PUBLIC_HOSTS[host].address;
  return SITES[CLIENTS[host].site].wan;
}

/** The UDP port range `host` runs app nodes on ([from, to], inclusive). */
export function nodePortsOf(host: NodeHost): readonly [number, number] {
  return isIn(PUBLIC_HOSTS, host) ? PUBLIC_HOSTS[host].ports : CLIENTS[host].ports;
}

/** The site of a NATed client. */
export function siteOf(client: ClientHost): Site {
  return SITES[CLIENTS[client].site];
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
