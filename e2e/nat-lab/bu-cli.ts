/**
 * @module e2e/nat-lab/bu-cli
 * Drives the built `bitunicom` CLI (`out/main/cli.js`) inside NAT lab hosts: application
 * routers (`bitunicom ar`) and client nodes (`init`/`import`, `serve`, and the bridge commands,
 * which reach their `serve` over 127.0.0.1 of the SAME namespace, so they run there too).
 * Every failure message carries the relevant process logs.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec, hostAddress, NAT_HOSTS, REPO_DIR, ROUTERS, spawnIn, waitFor, WaitAborted, type LabHost, type LabProcess, type NodeHost, type RouterHost } from './lab';

/** The built CLI; BU_NATLAB_CLI points the lab at another build (e.g. a worktree's). */
export const CLI = process.env.BU_NATLAB_CLI ?? join(REPO_DIR, 'out/main/cli.js');
export const PASSWORD = 'nat-lab-password-1';
export const ROUTER_PORT = 7000;
export const CLIENT_PORT = 40400;

export type Link = 'direct' | 'punched' | 'relayed' | 'none';
export type Message = { id: string; peer: string; direction: 'in' | 'out'; text: string; state: string; seq: number };
export type Contact = { address: string; name: string; state: string };
export type Step = { step: 'saved' | 'dht' | 'punch' | 'relay' | 'upgrade'; ok: boolean; detail: string };
export type PeerLink = {
  address: string;
  name: string;
  link: Link;
  rttMs: number | null;
  endpoint: { host: string; port: number } | null;
  reason?: string | null;
  tried?: Step[];
  since?: number | null;
};
export type NodeStatus = {
  phase: string;
  address: string | null;
  listen: { host: string; port: number } | null;
  peers: PeerLink[];
  outboxPending: number;
  nat: { type: 'unknown' | 'open' | 'cone' | 'symmetric'; mapped: { host: string; port: number } | null };
  routers: Array<{ address: string; endpoint: { host: string; port: number }; rttMs: number | null }>;
};

export function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`nat-lab: ${CLI} is missing; run npm run build first`);
}

/** Every directory made by tempDir, for the spec's afterAll to remove. */
export const tempDirs: string[] = [];

/** A fresh directory under the OS temp dir (namespaces share the file system). */
export function tempDir(label: string): string {
  const d = mkdtempSync(join(tmpdir(), `bu-natlab-${label}-`));
  tempDirs.push(d);
  return d;
}

export const sameAddress = (a: string | null | undefined, b: string | null | undefined): boolean => !!a && !!b && a.toLowerCase() === b.toLowerCase();

/** Decodes the endpoints listed in an invite link (for logs; the link is signed JSON, see chat/invite). */
export function inviteEndpoints(link: string): string[] {
  try {
    const body = link.replace(/^bitunicom:\/\/invite\//, '').split('.')[0] ?? '';
    const j = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { e?: unknown };
    return Array.isArray(j.e) ? j.e.map(String) : [];
  } catch {
    return ['<undecodable invite>'];
  }
}

/** Every process started here, for failure diagnostics. */
export const allProcesses: LabProcess[] = [];

export type Router = { host: RouterHost; endpoint: string; dataDir: string; proc: LabProcess };

/** `bitunicom ar` on a router host; resolves once its UDP port is bound. */
export async function startRouter(host: RouterHost, opts: { bootstrap?: string } = {}): Promise<Router> {
  const ip = ROUTERS[host].address;
  const endpoint = `${ip}:${ROUTER_PORT}`;
  const dataDir = tempDir(host);
  const args = ['node', CLI, 'ar', '--listen', endpoint, '--public-address', endpoint, '--data', dataDir, '--log-level', 'debug'];
  if (opts.bootstrap) args.push('--bootstrap', opts.bootstrap);
  const proc = spawnIn(host, args, { name: `${host}(ar)`, env: { ...process.env, BITUNICOM_PASSWORD: PASSWORD } });
  allProcesses.push(proc);
  await waitFor(
    async () => {
      if (!proc.running()) throw new WaitAborted(`bitunicom ar exited: ${JSON.stringify(await proc.exited)}`);
      const r = await exec(host, ['ss', '-Hlun', `sport = :${ROUTER_PORT}`]);
      return r.stdout.includes(`:${ROUTER_PORT}`) ? true : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 300, what: `${host}: bitunicom ar listening on udp ${endpoint}`, describe: () => proc.tail() },
  );
  return { host, endpoint, dataDir, proc };
}

export class CliError extends Error {}

/** One BitUnicom account on one lab host (a client behind a NAT). */
export class BuNode {
  address = '';
  /** The UI link (`ui` of the serve banner: http://127.0.0.1:…/?token=…), reachable only inside this node's namespace. */
  ui = '';
  serveProc: LabProcess | null = null;
  readonly incarnations: LabProcess[] = [];

  constructor(
    readonly host: NodeHost,
    readonly label: string,
    readonly dataDir: string,
    readonly port: number = CLIENT_PORT,
  ) {}

  get listen(): string {
    return `${hostAddress(this.host)}:${this.port}`;
  }

  private env(): NodeJS.ProcessEnv {
    return { ...process.env, BITUNICOM_PASSWORD: PASSWORD, BITUNICOM_LOG: 'debug' };
  }

  /** Runs a CLI command in this node's namespace with --json and returns the parsed output. */
  async cli<T = unknown>(args: string[], timeoutMs = 60_000): Promise<T> {
    // Options go right after the command word: `send` takes its text after `--`.
    const [command, ...rest] = args;
    const proc = this.serveProc;
    if (proc && !proc.running() && command !== 'init' && command !== 'import') {
      const x = await proc.exited;
      throw new WaitAborted(`${this.label}@${this.host}: its serve exited (code ${x.code}, signal ${x.signal}); cannot run ${command}\n${proc.tail(40)}`);
    }
    const argv = ['node', CLI, command!, '--data', this.dataDir, '--json', ...rest];
    const r = await exec(this.host, argv, { env: this.env(), timeoutMs });
    if (r.code !== 0) {
      throw new CliError(
        `${this.label}@${this.host}: bitunicom ${args.join(' ')} failed (exit ${r.code}, signal ${r.signal})\nstderr: ${r.stderr.trim()}\nstdout: ${r.stdout.trim()}\n${this.tail(40)}`,
      );
    }
    try {
      return JSON.parse(r.stdout) as T;
    } catch {
      throw new CliError(`${this.label}@${this.host}: bitunicom ${args.join(' ')} printed non-JSON: ${r.stdout.slice(0, 2000)}`);
    }
  }

  /** The recovery phrase `init` printed (once), for restore scenarios. */
  mnemonic = '';

  async init(): Promise<string> {
    const s = await this.cli<{ address: string; mnemonic: string }>(['init', '--name', this.label]);
    this.address = s.address;
    this.mnemonic = s.mnemonic;
    return s.address;
  }

  /** `import --mnemonic-file` into this (fresh) profile. */
  async importMnemonic(mnemonic: string): Promise<string> {
    const file = join(tempDir(`${this.label}-phrase`), 'phrase');
    writeFileSync(file, `${mnemonic}\n`, { mode: 0o600 });
    const s = await this.cli<{ address: string }>(['import', '--mnemonic-file', file, '--name', this.label]);
    this.address = s.address;
    return s.address;
  }

  async importKeystore(keystoreFile: string): Promise<string> {
    const pwFile = join(tempDir(`${this.label}-kspw`), 'keystore-password');
    writeFileSync(pwFile, `${PASSWORD}\n`, { mode: 0o600 });
    const s = await this.cli<{ address: string }>(['import', '--keystore', keystoreFile, '--keystore-password-file', pwFile, '--name', this.label]);
    this.address = s.address;
    return s.address;
  }

  /** `serve --bootstrap …`, unlocked at start; resolves once it printed its JSON banner. */
  async serve(bootstrap: string): Promise<void> {
    if (this.serveProc?.running()) throw new Error(`${this.label}: serve already running`);
    const n = this.incarnations.length + 1;
    const proc = spawnIn(
      this.host,
      ['node', CLI, 'serve', '--data', this.dataDir, '--listen', this.listen, '--ui-port', '0', '--bootstrap', bootstrap, '--log-level', 'debug', '--json'],
      { name: `${this.label}@${this.host}#${n}`, env: this.env() },
    );
    this.serveProc = proc;
    this.incarnations.push(proc);
    allProcesses.push(proc);
    const banner = JSON.parse(await proc.waitForLine(/^\s*\{.*"ui"/, 60_000)) as { address: string | null; phase: string; ui: string };
    if (banner.phase !== 'unlocked') throw new Error(`${proc.name}: expected an unlocked node, got ${JSON.stringify(banner)}\n${proc.tail()}`);
    if (this.address && !sameAddress(banner.address, this.address)) throw new Error(`${proc.name}: serves ${banner.address}, expected ${this.address}`);
    this.address = banner.address ?? this.address;
    this.ui = banner.ui;
  }

  /** Stops the serve (SIGTERM = `kill PID`); resolves once it has exited. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await this.serveProc?.stop(signal);
  }

  async invite(): Promise<string> {
    return (await this.cli<{ link: string }>(['invite'])).link;
  }
  async add(link: string): Promise<Contact> {
    return this.cli<Contact>(['add', link]);
  }
  async accept(address: string): Promise<Contact> {
    return this.cli<Contact>(['accept', address]);
  }
  async requests(): Promise<Contact[]> {
    return this.cli<Contact[]>(['requests']);
  }
  async contacts(): Promise<Contact[]> {
    return this.cli<Contact[]>(['contacts']);
  }
  async send(address: string, text: string): Promise<Message> {
    return this.cli<Message>(['send', address, '--', text]);
  }
  async messages(address: string, limit = 500): Promise<Message[]> {
    return this.cli<Message[]>(['messages', address, '--limit', String(limit)]);
  }
  async status(): Promise<NodeStatus> {
    return this.cli<NodeStatus>(['status']);
  }
  async peer(address: string): Promise<PeerLink | null> {
    return (await this.status()).peers.find((p) => sameAddress(p.address, address)) ?? null;
  }
  async exportKeystore(out: string): Promise<void> {
    await this.cli(['export-keystore', '--out', out]);
  }

  tail(n = 80): string {
    return this.incarnations.map((p) => p.tail(n)).join('\n') || `  ${this.label}: never served`;
  }
}

/** Best-effort snapshot for failure messages: every node's status, NAT conntrack, process logs. */
export async function diagnostics(nodes: BuNode[], routers: Router[]): Promise<string> {
  const parts: string[] = ['===== nat-lab diagnostics ====='];
  for (const n of nodes) {
    if (!n.serveProc?.running()) {
      parts.push(`-- ${n.label}@${n.host} (${n.address}): not running`);
      continue;
    }
    const st = await n.status().then(
      (s) => JSON.stringify({ ...s, ui: undefined }), // everything but the UI token
      (e: unknown) => `status failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
    );
    parts.push(`-- ${n.label}@${n.host} (${n.address}) status: ${st}`);
  }
  for (const nat of NAT_HOSTS) {
    const r = await exec(nat, ['conntrack', '-L', '-p', 'udp'], { timeoutMs: 5_000 }).catch(() => null);
    const lines = (r?.stdout ?? '').trim().split('\n').filter(Boolean);
    parts.push(`-- conntrack ${nat} (${hostAddress(nat)}): ${lines.length} udp flows`, ...lines.slice(0, 15).map((l) => `   ${l}`));
  }
  for (const r of routers) parts.push(`-- router ${r.host} ${r.endpoint} (${r.proc.running() ? 'running' : 'stopped'})`, r.proc.tail(60));
  for (const n of nodes) parts.push(`-- logs ${n.label}@${n.host}`, n.tail(80));
  return parts.join('\n');
}

/** Sum of conntrack byte counters (both directions) of UDP flows from `nat` towards `dst:port`. */
export async function conntrackBytes(nat: LabHost, dst: string, port: number): Promise<number> {
  const r = await exec(nat, ['conntrack', '-L', '-p', 'udp', '--orig-dst', dst], { timeoutMs: 10_000 });
  let total = 0;
  for (const line of r.stdout.split('\n')) {
    if (!line.includes(`dport=${port} `)) continue;
    for (const m of line.matchAll(/bytes=(\d+)/g)) total += Number(m[1]);
  }
  return total;
}
