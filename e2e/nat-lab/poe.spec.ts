/**
 * @module e2e/nat-lab/poe.spec
 * POE consensus across real NATs (issue 9 item 4: "consensus messages travel over the existing
 * P2P stack …; sealers behind NATs take part through routers"), driven only through the built
 * CLI (`bitunicom node --role primary|sealer`, `bitunicom ar`): four primaries on the public
 * host bu-pub1, two application routers (bu-r1, bu-r2), and three sealers registered in the
 * genesis (daemon/devnet-layout.ts makes the keys and the genesis):
 *
 *   cone     bu-ans1  EIM (MASQUERADE, port-preserving) · APDF · answer — the common home router
 *   sym      bu-sym1  EDM (MASQUERADE --random-fully) · APDF · drop — dials the primaries out
 *   relayed  bu-sym2  EDM · APDF · answer, and its NAT drops every packet towards bu-pub1, so
 *                     the routers are its only way out: the primaries find it in the DHT (its
 *                     record says "via r1/r2") and reach it through a relay circuit
 *
 * Passes when the network finalises blocks; every sealer's seals are in certificates (its
 * address receives the sealer reward as EIP-4895 withdrawals, read from a primary's RPC, and its
 * balance is exactly their sum); the relayed sealer's NAT carried nothing to or from bu-pub1
 * (its drop rule counted the tries) and its traffic went to the routers; the symmetric sealer's
 * NAT carried direct traffic to bu-pub1; after SIGKILL of the relayed sealer the network keeps
 * finalising, the other two keep sealing and the killed one earns nothing more.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareLayout, memberSpecs, type MemberSpec } from '../../src-main/daemon/devnet-layout';
import { assertBuilt, CLI, conntrackBytes, ROUTER_PORT, startRouter, tempDir, tempDirs, type Router } from './bu-cli';
import { log } from './flows';
import { assertRoot, exec, hostAddress, labDown, labUp, siteOf, spawnIn, stopAll, waitFor, WaitAborted, type ClientHost, type LabProcess, type NatHost, type NodeHost } from './lab';

const PUB = 'bu-pub1' as const;
const PRIMARY_PORTS = [40400, 40401, 40402, 40403];
const RPC_PORT = 8545; // primary 0's JSON-RPC, on 127.0.0.1 inside bu-pub1
const SEALER_PORT = 40400;
const SEALER_HOSTS = { cone: 'bu-ans1', sym: 'bu-sym1', relayed: 'bu-sym2' } as const satisfies Record<string, ClientHost>;
type SealerName = keyof typeof SEALER_HOSTS;
/** What the relayed sealer's NAT adds: nothing of its LAN may reach the primaries' host. */
const BLOCK_PUB = ['iptables', '-I', 'FORWARD', '1', '-i', 'lan0', '-o', 'wan0', '-d', hostAddress(PUB), '-j', 'DROP'];
const SEALER_REWARD_WEI = 250_000_000n * 1_000_000_000n; // devnet sealerGwei, in wei
/**
 * Engine timeouts (a local choice, not a consensus rule): nine processes and a relay hop on a
 * shared 2-core machine miss the defaults (1 s to propose, seal and prevote) often enough that
 * most heights need several rounds; with these, round 0 usually succeeds.
 */
const TIMEOUTS = 'propose=10000,prevote=5000,precommit=5000,delta=2000,collect=500';
const BLOCK_TIME_SEC = 2;

type PoeProc = { id: string; label: string; host: NodeHost; address: string; spec: MemberSpec; proc: LabProcess };
type StatusLine = { event: 'status'; height: string; round: number; finalized: string; finalityP50Ms: number | null; peers: number; sync: string; primaries: number; sealers: number };
type RpcBlock = { number: string; hash: string; withdrawals?: { index: string; validatorIndex: string; address: string; amount: string }[] };

const routers: Router[] = [];
const nodes: PoeProc[] = [];
let genesisFile = '';
let specs: MemberSpec[] = [];
const primaries = (): PoeProc[] => nodes.filter((n) => n.spec.role === 'primary');
const sealer = (name: SealerName): PoeProc => nodes.find((n) => n.label === name)!;

function lastStatus(n: PoeProc): StatusLine | null {
  for (let i = n.proc.lines.length - 1; i >= 0; i--) {
    const l = n.proc.lines[i]!;
    if (l.includes('"event":"status"')) return JSON.parse(l) as StatusLine;
  }
  return null;
}

const bootPrimaries = (): string => specs.filter((s) => s.role === 'primary').map((s, i) => `${hostAddress(PUB)}:${PRIMARY_PORTS[i]}@${s.addresses[0]}`).join(',');
const ROUTER_LIST = (['bu-r1', 'bu-r2'] as const).map((r) => `${hostAddress(r)}:${ROUTER_PORT}`).join(',');

/** `bitunicom node --role …` in `host`; resolves once it printed its started and registered events. */
async function startNode(spec: MemberSpec, label: string, host: NodeHost, port: number, extra: string[], logLevel = 'info'): Promise<PoeProc> {
  const args = ['node', CLI, 'node', '--role', spec.role, '--data', spec.dir, '--genesis', genesisFile, '--host', hostAddress(host), '--port', String(port)];
  args.push('--bootstrap', `${bootPrimaries()},${hostAddress('bu-r1')}:${ROUTER_PORT}`, '--timeouts', TIMEOUTS, '--json', '--status-every', '1', '--log-level', logLevel, ...extra);
  const proc = spawnIn(host, args, { name: `${label}@${host}`, env: { ...process.env, BITUNICOM_EXIT_WITH_PARENT: '1' } });
  const n: PoeProc = { id: spec.id, label, host, address: spec.addresses[0]!, spec, proc };
  nodes.push(n);
  const started = JSON.parse(await proc.waitForLine(/"event":"started"/, 60_000)) as { p2p: string };
  expect(started.p2p.toLowerCase(), `${label}'s P2P line`).toBe(`${hostAddress(host)}:${port}@${n.address}`.toLowerCase());
  const reg = JSON.parse(await proc.waitForLine(/"event":"registered"/, 30_000)) as { registered: number; observer: boolean };
  expect(reg, `${label} is registered in the genesis' staking contract`).toMatchObject({ registered: 1, observer: false });
  return n;
}

async function rpc<T>(calls: [string, unknown[]][]): Promise<T[]> {
  const body = JSON.stringify(calls.map(([method, params], id) => ({ jsonrpc: '2.0', id, method, params })));
  const r = await exec(PUB, ['curl', '-sS', '-m', '10', '-H', 'content-type: application/json', '--data-binary', body, `http://127.0.0.1:${RPC_PORT}`], { timeoutMs: 15_000 });
  if (r.code !== 0) throw new Error(`rpc via curl in ${PUB} failed (${r.code}): ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { id: number; result?: T; error?: { message: string } }[];
  return out.sort((a, b) => a.id - b.id).map((x) => {
    if (x.error) throw new Error(`rpc ${calls[x.id]![0]}: ${x.error.message}`);
    return x.result as T;
  });
}

async function finalizedHeight(): Promise<number> {
  const [b] = await rpc<RpcBlock | null>([['eth_getBlockByNumber', ['finalized', false]]]);
  return b ? Number(b.number) : 0;
}

/** Blocks from..to (inclusive) with, per sealer name, the heights whose withdrawals paid it. */
async function sealerRewards(from: number, to: number): Promise<{ paid: Record<SealerName, number[]>; amounts: Record<SealerName, bigint> }> {
  const paid = { cone: [], sym: [], relayed: [] } as Record<SealerName, number[]>;
  const amounts = { cone: 0n, sym: 0n, relayed: 0n } as Record<SealerName, bigint>;
  const names = Object.keys(SEALER_HOSTS) as SealerName[];
  for (let start = from; start <= to; start += 200) {
    const heights = Array.from({ length: Math.min(200, to - start + 1) }, (_, i) => start + i);
    const blocks = await rpc<RpcBlock | null>(heights.map((h) => ['eth_getBlockByNumber', [`0x${h.toString(16)}`, false]]));
    for (const b of blocks) {
      for (const w of b?.withdrawals ?? []) {
        const who = names.find((s) => sealer(s).address.toLowerCase() === w.address.toLowerCase());
        if (!who) continue;
        paid[who].push(Number(b!.number));
        amounts[who] += BigInt(w.amount) * 1_000_000_000n;
      }
    }
  }
  return { paid, amounts };
}

/** Failure report: last status per node, the sealers' NAT tables, log tails without status lines; full logs to a kept directory. */
async function diagnostics(): Promise<string> {
  const keep = mkdtempSync(join(tmpdir(), 'bu-natlab-poe-logs-'));
  for (const p of [...routers.map((r) => ({ name: r.host, proc: r.proc })), ...nodes.map((n) => ({ name: n.label, proc: n.proc }))]) writeFileSync(join(keep, `${p.name}.log`), `${p.proc.log.join('\n')}\n`);
  const parts = ['===== nat-lab POE diagnostics =====', `full logs: ${keep}`];
  for (const n of nodes) parts.push(`-- ${n.label} ${n.address} (${n.proc.running() ? 'running' : 'stopped'}) last status ${JSON.stringify(lastStatus(n))}`);
  for (const s of Object.values(SEALER_HOSTS)) {
    const nat = siteOf(s).nat;
    const r = await exec(nat, ['conntrack', '-L', '-p', 'udp'], { timeoutMs: 5_000 }).catch(() => null);
    parts.push(`-- conntrack ${nat}`, ...(r?.stdout ?? '').trim().split('\n').slice(0, 20).map((l) => `   ${l}`));
  }
  const tail = (name: string, log: string[], n: number) => log.filter((l) => !l.includes('"event":"status"')).slice(-n).map((l) => `  ${name} | ${l}`);
  for (const r of routers) parts.push(...tail(r.host, r.proc.log, 10));
  for (const n of nodes) parts.push(...tail(n.label, n.proc.log, 25));
  return parts.join('\n');
}

function withDiagnostics(fn: () => Promise<void>): () => Promise<void> {
  return async () => {
    try {
      await fn();
    } catch (e) {
      const diag = await diagnostics().catch((d: unknown) => `(diagnostics failed: ${String(d)})`);
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n\n${diag}`, { cause: e });
    }
  };
}

/** Bytes of the UDP flows conntrack of `nat` holds towards `dst` (any port). */
async function bytesTowards(nat: NatHost, dst: string): Promise<{ flows: number; bytes: number; replied: number }> {
  const r = await exec(nat, ['conntrack', '-L', '-p', 'udp', '--orig-dst', dst], { timeoutMs: 10_000 });
  let bytes = 0;
  let flows = 0;
  let replied = 0;
  for (const line of r.stdout.split('\n')) {
    if (!line.includes('udp')) continue;
    flows++;
    const b = [...line.matchAll(/bytes=(\d+)/g)].map((m) => Number(m[1]));
    bytes += b.reduce((x, y) => x + y, 0);
    if ((b[1] ?? 0) > 0) replied++;
  }
  return { flows, bytes, replied };
}

async function dropCount(nat: NatHost): Promise<number> {
  const r = await exec(nat, ['iptables', '-L', 'FORWARD', '-v', '-x', '-n'], { timeoutMs: 10_000 });
  const line = r.stdout.split('\n').find((l) => /\bDROP\b/.test(l) && l.includes(hostAddress(PUB)));
  if (!line) throw new Error(`${nat}: the drop rule towards ${hostAddress(PUB)} is not loaded\n${r.stdout}`);
  return Number(line.trim().split(/\s+/)[0]);
}

beforeAll(async () => {
  assertRoot();
  assertBuilt();
  await labUp({ fresh: true });
  const relayNat = siteOf(SEALER_HOSTS.relayed).nat;
  const ipt = await exec(relayNat, BLOCK_PUB);
  if (ipt.code !== 0) throw new Error(`${relayNat}: iptables failed: ${ipt.stderr}`);
  const r1 = await startRouter('bu-r1');
  routers.push(r1, await startRouter('bu-r2', { bootstrap: r1.endpoint }));
  const dir = tempDir('poe');
  const { layout } = await prepareLayout(dir, { primaries: 4, sealers: 3, sealerProcesses: 3, blockTimeSec: BLOCK_TIME_SEC });
  genesisFile = join(dir, 'genesis.json');
  specs = memberSpecs(dir, layout);
}, 180_000);

afterAll(async () => {
  await stopAll();
  await labDown();
  if (process.env.BU_NATLAB_KEEP !== '1') for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
}, 180_000);

describe('POE over the NAT lab (bitunicom node + bitunicom ar)', () => {
  it(
    'primaries on a public host and sealers behind cone, symmetric and router-only NATs finalise and seal; killing the relayed sealer does not stop finality',
    withDiagnostics(async () => {
      const t0 = Date.now();
      const ps = specs.filter((s) => s.role === 'primary');
      const ss = specs.filter((s) => s.role === 'sealer');
      const names = Object.keys(SEALER_HOSTS) as SealerName[];
      const startSealer = (name: SealerName) => startNode(ss[names.indexOf(name)]!, name, SEALER_HOSTS[name], SEALER_PORT, ['--routers', ROUTER_LIST], name === 'relayed' ? 'debug' : 'info');
      // The relayed sealer first: its DHT record ("via r1, r2") is there when the primaries first look the validator set up.
      await startSealer('relayed');
      await Promise.all(ps.map((s, i) => startNode(s, `p${i}`, PUB, PRIMARY_PORTS[i]!, i === 0 ? ['--rpc-port', String(RPC_PORT)] : [], i === 0 ? 'debug' : 'info')));
      await Promise.all([startSealer('cone'), startSealer('sym')]);
      log(`4 primaries on ${PUB}, sealers ${names.map((n) => `${n}@${SEALER_HOSTS[n]}`).join(', ')} up after ${Date.now() - t0} ms`);

      // 1. Finality: blocks become final, every node (sealers too: they verify every block) follows.
      const first = await waitFor(
        async () => {
          const h = await finalizedHeight();
          return h >= 5 ? h : undefined;
        },
        { timeoutMs: 90_000, intervalMs: 1000, what: 'block 5 final on primary 0' },
      );
      log(`finalized #${first} at ${Date.now() - t0} ms`);

      // 2. Every sealer's seals are in certificates: its address gets the sealer reward.
      const allSealed = await waitFor(
        async () => {
          for (const n of nodes) if (!n.proc.running()) throw new WaitAborted(`${n.label} exited: ${JSON.stringify(await n.proc.exited)}`);
          const top = await finalizedHeight();
          const r = await sealerRewards(1, top);
          log(`#${top}: sealer rewards ${names.map((s) => `${s}=${r.paid[s].length}`).join(' ')}`);
          return names.every((s) => r.paid[s].length >= 3) ? { top, r } : undefined;
        },
        { timeoutMs: 100_000, intervalMs: 3000, what: 'every sealer (cone, symmetric, relayed) to be paid for 3 seals' },
      );
      log(`every sealer paid at ${Date.now() - t0} ms`);
      const balances = await rpc<string>(names.map((s) => ['eth_getBalance', [sealer(s).address, `0x${allSealed.top.toString(16)}`]]));
      names.forEach((s, i) => {
        const { paid, amounts } = allSealed.r;
        expect(amounts[s], `${s}: each withdrawal is the sealer reward`).toBe(BigInt(paid[s].length) * SEALER_REWARD_WEI);
        expect(BigInt(balances[i]!), `${s}'s balance at #${allSealed.top} is exactly its seal rewards (it started at 0)`).toBe(amounts[s]);
      });

      // 3. How each sealer took part, seen from its NAT's conntrack table.
      const relayNat = siteOf(SEALER_HOSTS.relayed).nat;
      const symNat = siteOf(SEALER_HOSTS.sym).nat;
      const relayedToPub = await bytesTowards(relayNat, hostAddress(PUB));
      const relayedToRouters = await Promise.all(routers.map((r) => conntrackBytes(relayNat, hostAddress(r.host), ROUTER_PORT)));
      const drops = await dropCount(relayNat);
      const symToPub = await bytesTowards(symNat, hostAddress(PUB));
      log(`${relayNat}: to ${PUB} ${JSON.stringify(relayedToPub)}, dropped ${drops} packets; to routers ${routers.map((r, i) => `${r.host}=${relayedToRouters[i]} B`).join(', ')}`);
      log(`${symNat}: to ${PUB} ${JSON.stringify(symToPub)}`);
      expect(relayedToPub.flows, `${relayNat} let nothing through to ${PUB}`).toBe(0);
      expect(drops, `the relayed sealer (or its DHT client) did try ${PUB} directly, and was dropped`).toBeGreaterThan(0);
      expect(Math.max(...relayedToRouters), `the relayed sealer's consensus traffic went through a router`).toBeGreaterThan(20_000);
      expect(symToPub.replied, `the symmetric sealer reached the primaries directly (answered flows through ${symNat})`).toBeGreaterThan(0);

      // 4. SIGKILL the relayed sealer: finality goes on, the other two keep sealing, it earns nothing more.
      const relayed = sealer('relayed');
      await relayed.proc.stop('SIGKILL');
      const killedAt = await finalizedHeight();
      log(`killed the relayed sealer at #${killedAt} (${Date.now() - t0} ms)`);
      const after = await waitFor(async () => {
        const h = await finalizedHeight();
        return h >= killedAt + 6 ? h : undefined;
      }, { timeoutMs: 120_000, intervalMs: 1000, what: `6 more final blocks after #${killedAt} without the relayed sealer` });
      const late = await sealerRewards(killedAt + 3, after);
      log(`#${killedAt + 3}–#${after}: ${names.map((s) => `${s}=${late.paid[s].length}`).join(' ')} (${Date.now() - t0} ms)`);
      expect(late.paid.relayed, 'a killed sealer seals nothing').toEqual([]);
      expect(late.paid.cone.length + late.paid.sym.length, 'the live sealers keep sealing').toBeGreaterThanOrEqual(4);
      for (const n of nodes.filter((x) => x !== relayed)) {
        expect(n.proc.running(), `${n.label} still runs`).toBe(true);
        const st = lastStatus(n);
        expect(Number(st?.finalized ?? 0), `${n.label} follows finality (${JSON.stringify(st)})`).toBeGreaterThanOrEqual(killedAt);
      }
      const p50 = lastStatus(primaries()[0]!)?.finalityP50Ms;
      log(`finality p50 on p0: ${p50} ms; whole case ${Date.now() - t0} ms`);
    }),
    300_000,
  );
});
