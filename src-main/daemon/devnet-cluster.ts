/**
 * @module daemon/devnet-cluster
 * A local POE network of separate processes (`bitunicom devnet`, the POE bench, tests):
 * one `bitunicom node --role primary` process per primary and the sealer keys grouped into a
 * few `--role sealer` processes, all on loopback over the real P2P transport, on the files of
 * devnet-layout.ts. Children are spawned directly (`process.execPath src-main/bin/bitunicom.mjs
 * node …`, never through npx), in their own process group, with BITUNICOM_EXIT_WITH_PARENT=1
 * so none outlives the cluster; each runs with `--json` and its stdout lines (started,
 * registered, status) are read here and, with its stderr, appended to DIR/logs/<id>.log.
 * Every primary is every node's bootstrap peer at its fixed port. A child that dies is
 * reported (`exit` event), never restarted behind the caller's back: `restart(id)` does it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, createWriteStream, mkdirSync, openSync, readFileSync, type WriteStream } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { TypedEmitter } from '../core/base';
import { formatBootPeer, formatTimeouts, type TimeoutOverrides } from './commands/poe-options';
import { memberSpecs, prepareLayout, type DevnetLayout, type MemberSpec } from './devnet-layout';

export const CLI_BIN = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src-main', 'bin', 'bitunicom.mjs');

export type ClusterOptions = {
  dir: string;
  primaries?: number;
  sealers?: number;
  sealerProcesses?: number;
  /** RPC port of primary 0 (default 0 = random); the other nodes serve RPC on random ports. */
  rpcPort?: number;
  blockTimeSec?: number;
  timeouts?: TimeoutOverrides;
  /** How to run the CLI (default [process.execPath, src-main/bin/bitunicom.mjs]). */
  command?: string[];
  /** Children's status line interval (s, default 2). */
  statusEverySec?: number;
  logLevel?: string;
  startTimeoutMs?: number;
};

export type ChildStatus = { height: string; round: number; finalized: string; finalityP50Ms: number | null; peers: number; sync: string; headHash: string; stateRoot: string; at: number };

export type Member = MemberSpec & {
  log: string;
  proc: ChildProcess | null;
  up: boolean;
  p2p: string | null;
  rpcUrl: string | null;
  registered: number | null;
  status: ChildStatus | null;
  starts: number;
};

export type ClusterEvents = {
  exit: { id: string; code: number | null; signal: string | null; expected: boolean; lastLine: string };
  started: { id: string; p2p: string; rpcUrl: string | null };
  status: { id: string; status: ChildStatus };
};

export type RpcBlock = { number: number; hash: string; stateRoot: string; timestamp: number; transactions: unknown[] };

export async function rpcCall<T>(url: string, method: string, params: unknown[] = [], timeoutMs = 5000): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

export function lastLogLine(file: string): string {
  try {
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    return lines[lines.length - 1] ?? '';
  } catch {
    return '';
  }
}

export class DevnetCluster {
  readonly events = new TypedEmitter<ClusterEvents>();
  readonly members: Member[];
  private stopping = false;
  private readonly expected = new Set<string>();
  private readonly logs = new Map<string, WriteStream>();

  private constructor(
    readonly dir: string,
    readonly layout: DevnetLayout,
    readonly created: boolean,
    private readonly o: ClusterOptions,
  ) {
    mkdirSync(join(dir, 'logs'), { recursive: true });
    this.members = memberSpecs(dir, layout).map((m) => ({ ...m, log: join(dir, 'logs', `${m.id}.log`), proc: null, up: false, p2p: null, rpcUrl: null, registered: null, status: null, starts: 0 }));
  }

  /** Creates DIR's keys, genesis and layout, or loads them (resume). Starts nothing. */
  static async prepare(o: ClusterOptions): Promise<DevnetCluster> {
    const { layout, created } = await prepareLayout(o.dir, { primaries: o.primaries, sealers: o.sealers, sealerProcesses: o.sealerProcesses, blockTimeSec: o.blockTimeSec });
    return new DevnetCluster(o.dir, layout, created, o);
  }

  get genesisFile(): string {
    return join(this.dir, 'genesis.json');
  }

  /** RPC of primary 0. */
  get rpcUrl(): string | null {
    return this.member('p0').rpcUrl;
  }

  member(id: string): Member {
    const m = this.members.find((x) => x.id === id);
    if (!m) throw new Error(`no devnet member ${id}`);
    return m;
  }

  /** Spawns every child; resolves when all have printed their start line. */
  async start(): Promise<void> {
    await Promise.all(this.members.map((m) => this.spawnMember(m)));
  }

  private bootstrapFor(m: Member): string {
    return this.members
      .filter((x) => x.role === 'primary' && x.id !== m.id)
      .map((x) => formatBootPeer({ host: '127.0.0.1', port: x.port, address: x.addresses[0]! }))
      .join(',');
  }

  private argsFor(m: Member): string[] {
    const o = this.o;
    const boot = this.bootstrapFor(m);
    const rpcPort = m.id === 'p0' ? (o.rpcPort ?? 0) : 0;
    return [
      'node', '--role', m.role, '--data', m.dir, '--genesis', this.genesisFile,
      '--host', '127.0.0.1', '--port', String(m.port), '--rpc-port', String(rpcPort),
      '--json', '--status-every', String(o.statusEverySec ?? 2), '--log-level', o.logLevel ?? 'info',
      ...(boot ? ['--bootstrap', boot] : []),
      ...(o.blockTimeSec !== undefined ? ['--block-time', String(o.blockTimeSec)] : []),
      ...(o.timeouts && Object.keys(o.timeouts).length ? ['--timeouts', formatTimeouts(o.timeouts)] : []),
    ];
  }

  private logStream(m: Member): WriteStream {
    let s = this.logs.get(m.id);
    if (!s) this.logs.set(m.id, (s = createWriteStream(m.log, { flags: 'a' })));
    return s;
  }

  private spawnMember(m: Member): Promise<void> {
    if (m.proc) return Promise.resolve();
    const [cmd, ...pre] = this.o.command ?? [process.execPath, CLI_BIN];
    const log = this.logStream(m);
    log.write(`--- ${new Date().toISOString()} start ${m.starts + 1}: ${this.argsFor(m).join(' ')}\n`);
    const errFd = openSync(m.log, 'a');
    const proc = spawn(cmd!, [...pre, ...this.argsFor(m)], {
      stdio: ['ignore', 'pipe', errFd],
      detached: true,
      env: { ...process.env, BITUNICOM_EXIT_WITH_PARENT: '1' },
    });
    closeSync(errFd);
    m.proc = proc;
    m.starts++;
    m.status = null;
    this.expected.delete(m.id);
    const timeoutMs = this.o.startTimeoutMs ?? 120_000;
    return new Promise<void>((res, rej) => {
      let started = false;
      const timer = setTimeout(() => {
        if (!started) rej(new Error(`devnet node ${m.id} did not start within ${timeoutMs / 1000} s (see ${m.log})`));
      }, timeoutMs);
      createInterface({ input: proc.stdout! }).on('line', (line) => {
        log.write(`${line}\n`);
        let ev: Record<string, unknown>;
        try {
          ev = JSON.parse(line) as Record<string, unknown>;
        } catch {
          return;
        }
        if (ev.event === 'started') {
          started = true;
          clearTimeout(timer);
          m.up = true;
          m.p2p = String(ev.p2p);
          m.rpcUrl = typeof ev.rpcUrl === 'string' ? ev.rpcUrl : null;
          this.events.emit('started', { id: m.id, p2p: m.p2p, rpcUrl: m.rpcUrl });
          res();
        } else if (ev.event === 'registered') {
          m.registered = Number(ev.registered);
        } else if (ev.event === 'status') {
          m.status = { ...(ev as unknown as ChildStatus), at: Date.now() };
          this.events.emit('status', { id: m.id, status: m.status });
        }
      });
      proc.once('exit', (code, signal) => {
        clearTimeout(timer);
        m.proc = null;
        m.up = false;
        const expected = this.stopping || this.expected.has(m.id);
        const lastLine = lastLogLine(m.log);
        this.events.emit('exit', { id: m.id, code, signal, expected, lastLine });
        if (!started) rej(new Error(`devnet node ${m.id} exited before it started (${signal ?? `code ${code}`}): ${lastLine}`));
      });
    });
  }

  /** Sends `signal` to a child (SIGKILL: a crash); the exit is reported as expected. */
  kill(id: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const m = this.member(id);
    const proc = m.proc;
    if (!proc) return Promise.resolve();
    this.expected.add(id);
    const gone = new Promise<void>((r) => proc.once('exit', () => r()));
    proc.kill(signal);
    return gone;
  }

  /** Starts a stopped child again on its DIR (keys and ledger kept). */
  restart(id: string): Promise<void> {
    return this.spawnMember(this.member(id));
  }

  up(): Member[] {
    return this.members.filter((m) => m.up);
  }

  /** A block of one member's ledger through its RPC ('latest', 'finalized' or a number). */
  async block(id: string, tag: string | number = 'latest'): Promise<RpcBlock | null> {
    const url = this.member(id).rpcUrl;
    if (!url) return null;
    const b = await rpcCall<Record<string, unknown> | null>(url, 'eth_getBlockByNumber', [typeof tag === 'number' ? `0x${tag.toString(16)}` : tag, false]);
    if (!b) return null;
    return { number: Number(b.number), hash: String(b.hash), stateRoot: String(b.stateRoot), timestamp: Number(b.timestamp), transactions: b.transactions as unknown[] };
  }

  /** Waits until primary 0's finalized block reaches `height` (default: one past its current). */
  async waitForFinal(height?: number, timeoutMs = 60_000, from = 'p0'): Promise<RpcBlock> {
    const deadline = Date.now() + timeoutMs;
    let target = height;
    for (;;) {
      const b = await this.block(from, 'finalized').catch(() => null);
      if (b && target === undefined) target = b.number + 1;
      if (b && target !== undefined && b.number >= target) return b;
      if (Date.now() > deadline) throw new Error(`devnet ${from} did not finalise block #${target ?? '?'} within ${timeoutMs / 1000} s (at #${b?.number ?? '?'})`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** Stops every child (SIGTERM, then SIGKILL after `graceMs`). */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    await Promise.all(
      this.members.map(async (m) => {
        const proc = m.proc;
        if (!proc) return;
        const gone = new Promise<void>((r) => proc.once('exit', () => r()));
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), graceMs);
        await gone;
        clearTimeout(t);
      }),
    );
    await Promise.all([...this.logs.values()].map((s) => new Promise<void>((r) => s.end(() => r()))));
    this.logs.clear();
  }
}
