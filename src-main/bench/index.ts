/**
 * `npm run bench`: every figure next to its baseline measured in the same run.
 *   - message round trip: session-level encrypted echo and full chat round trip vs raw UDP echo
 *   - encrypted 1,200-byte datagram throughput vs raw 1,200-byte UDP throughput
 *   - core cold start and idle RSS vs a bare Node process
 *   - DHT lookups (success, latency, rounds), direct vs relayed, hole-punch time (issue 3)
 *   - the NAT matrix: direct links on the first attempt, time to a direct link (issue 7; root)
 *   - the chain: devnet transfers and ERC-20 transfers per second, send→receipt latency, state
 *     size and RSS after 100,000 transactions, each next to anvil (issue 8)
 *   - the seal: BLS sign/verify, batch and aggregate verification per core, ECDSA grinding (issue 9)
 *   - POE: send → finalized latency on a multi-process devnet (4 primaries + 32 sealers), with a
 *     primary and a third of the sealers killed, and their catch-up (issue 9; needs the built CLI)
 *   - the sealing worker: its CPU per mode × user active/idle × cap, input → paused, CPU per
 *     sealed block with the real Sealer (issue 9; Linux)
 *   - calls: two whole nodes calling each other on loopback: frame latency in → out (audio, video)
 *     vs raw UDP one way, CPU per call vs idle, bytes on the wire vs codec payload (issue 11)
 *   - search: full-text search over 1,000,000 stored messages, p50/p95/p99 vs a LIKE scan, index size (issue 13)
 *   - calls-browser: the same two nodes driven through their web UIs in Chromium: mouth-to-ear
 *     latency direct and relayed vs G.114, tone SNR, node + Chromium CPU vs idle pages, bytes/s
 *     (issue 11 item 8; needs /usr/bin/chromium and the built renderer; runs with the calls)
 * `--only chain` / `--only natlab` / `--only seal` / `--only poe` / `--only sealing` / `--only calls` /
 * `--only calls-browser` / `--only dapps` / `--only search` runs that section alone (`--only calls` runs both call sections).
 * Targets: session round-trip p50 ≤ 3× raw echo; encrypted throughput ≥ 40% of raw; DHT
 * success ≥ 99% and median rounds ≤ log2(N)/2; relayed throughput ≥ 50% of direct.
 */
import { spawn } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { relayBench } from '../core/ar';
import { chatRoundTrip } from './chat-bench';
import { punchBench } from './punch-bench';
import { natlabAvailable, natlabRows } from './natlab-bench';
import { chainRows } from './chain-bench';
import { sealRows } from './seal-bench';
import { sealingRows } from './sealing-bench';
import { poeRows } from './poe-bench';
import { callsRows } from './calls-bench';
import { callsBrowserRows } from './calls-browser';
import { dappsRows } from './dapps-bench';
import { searchRows } from './search-bench';
import { dhtBench } from './dht-bench';
import { sessionEcho } from './session-bench';
import { rawThroughputThreaded, sessionThroughputThreaded, type Throughput } from './throughput';
import { fmtMBs, fmtRatio, fmtUs, printTable, summarize, type Row } from './stats';
import { rawEcho } from './udp-baseline';
import { blsBackendName } from '../core/crypto';

const QUICK = process.argv.includes('--quick');
/** `--only chain|natlab|seal`: that section alone, skipping the rest. */
const ONLY = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
/** The NAT matrix takes minutes: full runs include it when the lab can run, `--natlab` forces it, `--no-natlab` skips it. */
const NATLAB = ONLY === 'natlab' || (!ONLY && (process.argv.includes('--natlab') || (!QUICK && !process.argv.includes('--no-natlab'))));
/** The chain benchmark (devnet vs anvil) takes minutes in a full run: like the NAT matrix, `--chain` forces it, `--no-chain` skips it. */
const CHAIN = ONLY === 'chain' || (!ONLY && (process.argv.includes('--chain') || (!QUICK && !process.argv.includes('--no-chain'))));
/** The seal section (BLS costs, under a minute): in every run unless `--no-seal`. */
const SEAL = ONLY === 'seal' || (!ONLY && !process.argv.includes('--no-seal'));
/** The sealing worker (about two minutes): in full runs, `--sealing` forces it, `--no-sealing` skips it. */
const SEALING = ONLY === 'sealing' || (!ONLY && (process.argv.includes('--sealing') || (!QUICK && !process.argv.includes('--no-sealing'))));
/** The POE devnet (several minutes, the built CLI's processes): like the chain, `--poe` forces it, `--no-poe` skips it. */
const POE = ONLY === 'poe' || (!ONLY && (process.argv.includes('--poe') || (!QUICK && !process.argv.includes('--no-poe'))));
/** Calls between two nodes (about 40 s; ~15 s with `--quick`): in full runs, `--calls` forces it, `--no-calls` skips it. */
const CALLS = ONLY === 'calls' || (!ONLY && (process.argv.includes('--calls') || (!QUICK && !process.argv.includes('--no-calls'))));
/** Calls through the UIs in Chromium (about 2 min; ~1 min with `--quick`): wherever the calls run, unless `--no-calls-browser`. */
const CALLS_BROWSER = ONLY === 'calls-browser' || (CALLS && !process.argv.includes('--no-calls-browser'));
/** `--chain-prof DIR`: write a V8 CPU profile of the devnet process there. */
const CHAIN_PROF = process.argv.includes('--chain-prof') ? process.argv[process.argv.indexOf('--chain-prof') + 1] : undefined;
const ECHO_N = QUICK ? 500 : 3000;
const CHAT_N = QUICK ? 50 : 200;
const TP_N = QUICK ? 20_000 : 60_000;
const TP_ROUNDS = QUICK ? 3 : 7;

type ChildFigures = { readyMs: number; importMs: number; unlockMs: number; rss: number };

function runChild(mode: 'bare' | 'node'): Promise<ChildFigures> {
  const script = fileURLToPath(new URL('./idle-node.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', script, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => (out += String(d)));
    p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`idle-node ${mode} exited ${code}`))));
  });
}

/** An application router in its own thread (router-worker.ts). */
async function routerThread(): Promise<{ info: { address: string; endpoint: { host: string; port: number } }; stop(): Promise<void> }> {
  const w = new Worker(new URL('./worker-boot.mjs', import.meta.url), { workerData: { module: './router-worker.ts' } });
  const info = await new Promise<{ address: string; endpoint: { host: string; port: number } }>((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });
  return {
    info,
    async stop() {
      w.postMessage('stop');
      await new Promise((r) => w.once('exit', r));
    },
  };
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  process.stdout.write(`BitUnicom benchmarks (${QUICK ? 'quick' : 'full'} run, node ${process.version}, BLS backend ${blsBackendName()})\n\n`);
  if (ONLY && !['chain', 'natlab', 'seal', 'poe', 'sealing', 'calls', 'calls-browser', 'dapps', 'search'].includes(ONLY)) throw new Error(`--only takes chain, natlab, seal, poe, sealing, calls, calls-browser, dapps or search, not ${ONLY}`);
  if (!ONLY) await transportRows(rows);

  if (NATLAB) {
    const why = natlabAvailable();
    if (why) rows.push({ figure: 'NAT matrix (punch success, time to a direct link)', value: `not measured: ${why}`, baseline: '', ratio: '' });
    else {
      process.stdout.write('NAT matrix: building the lab and running every case (several minutes)…\n');
      rows.push(...(await natlabRows()));
    }
  }

  if (CHAIN) {
    process.stdout.write(`chain: devnet and anvil, ${QUICK ? '5,000' : '100,000'} transactions each (${QUICK ? 'about a minute' : 'several minutes'})…\n`);
    try {
      rows.push(...(await chainRows({ quick: QUICK, cpuProfDir: CHAIN_PROF, log: (l) => process.stdout.write(`${l}\n`) })));
    } catch (e) {
      rows.push({ figure: 'chain (devnet vs anvil)', value: `not measured: ${String(e).split('\n')[0]}`, baseline: '', ratio: '' });
    }
  }

  if (SEAL) rows.push(...(await sealRows({ quick: QUICK, log: (l) => process.stdout.write(`${l}\n`) })));
  if (SEALING) rows.push(...(await sealingRows({ quick: QUICK, log: (l) => process.stdout.write(`${l}\n`) })));

  if (POE) {
    process.stdout.write(`POE: a devnet of 7 processes, ${QUICK ? '20 + 15' : '60 + 30'} s of load (a few minutes)…\n`);
    try {
      rows.push(...(await poeRows({ quick: QUICK, keep: process.argv.includes('--poe-keep'), log: (l) => process.stdout.write(`${l}\n`) })));
    } catch (e) {
      rows.push({ figure: 'POE devnet finality', value: `not measured: ${String(e).split('\n')[0]}`, baseline: '', ratio: '' });
    }
  }

  if (CALLS) {
    try {
      rows.push(...(await callsRows({ quick: QUICK, log: (l) => process.stdout.write(`${l}\n`) })));
    } catch (e) {
      rows.push({ figure: 'calls (two nodes on loopback)', value: `not measured: ${String(e).split('\n')[0]}`, baseline: '', ratio: '' });
    }
  }

  if (CALLS_BROWSER) {
    try {
      rows.push(...(await callsBrowserRows({ quick: QUICK, log: (l) => process.stdout.write(`${l}\n`) })));
    } catch (e) {
      rows.push({ figure: 'calls through the UIs in Chromium', value: `not measured: ${String(e).split('\n')[0]}`, baseline: '', ratio: '' });
    }
  }

  if (!ONLY || ONLY === 'dapps') {
    process.stdout.write('dapps: a bundle fetched by content hash over loopback sessions, 1 and 3 seeders…\n');
    try {
      rows.push(...(await dappsRows(QUICK)));
    } catch (e) {
      rows.push({ figure: 'dapp bundle distribution', value: `not measured: ${String(e).split('\n')[0]}`, baseline: '', ratio: '' });
    }
  }

  if (!ONLY || ONLY === 'search') {
    process.stdout.write(`search: ${QUICK ? '50,000' : '1,000,000'} messages in an encrypted store, then 300 queries…\n`);
    try {
      rows.push(...(await searchRows(QUICK, (l) => process.stdout.write(`${l}\n`))));
    } catch (e) {
      rows.push({ figure: 'full-text search', value: `not measured: ${String(e).split('\n')[0]}`, baseline: '', ratio: '' });
    }
  }

  process.stdout.write('\n');
  printTable(rows);
  process.stdout.write(
    '\nNotes: "session" round trip = one encrypted payload A→B and back through both cores\' session layers.\n' +
      '"chat" round trip adds per-message secp256k1 signing + public-key recovery on each side (the seed\'s signed Msg)\n' +
      'and a durable SQLite commit before the ack; "chain" rows: the same presigned transactions to both nodes, anvil\n' +
      'with automine (a block per transaction), the devnet batching; see src-main/bench/README.md.\n',
  );
}

/** Transport, DHT, relay, punch, cold start and idle figures (issues 2 and 3). */
async function transportRows(rows: Row[]): Promise<void> {
  const raw = summarize(await rawEcho(ECHO_N));
  const sess = summarize(await sessionEcho(ECHO_N));
  rows.push({
    figure: 'message round trip p50 (session, 200 B)',
    value: fmtUs(sess.p50),
    baseline: `raw UDP echo ${fmtUs(raw.p50)}`,
    ratio: fmtRatio(sess.p50 / raw.p50),
    target: '≤ 3×',
    ok: sess.p50 / raw.p50 <= 3,
  });
  rows.push({ figure: 'message round trip p99 (session, 200 B)', value: fmtUs(sess.p99), baseline: `raw UDP echo ${fmtUs(raw.p99)}`, ratio: fmtRatio(sess.p99 / raw.p99) });

  const chat = summarize(await chatRoundTrip(CHAT_N));
  rows.push({ figure: 'chat message send → delivered p50', value: fmtUs(chat.p50), baseline: `raw UDP echo ${fmtUs(raw.p50)}`, ratio: fmtRatio(chat.p50 / raw.p50) });
  rows.push({ figure: 'chat message send → delivered p99', value: fmtUs(chat.p99), baseline: `raw UDP echo ${fmtUs(raw.p99)}`, ratio: fmtRatio(chat.p99 / raw.p99) });

  // Interleaved rounds (raw, encrypted, raw, ...) so machine noise hits both alike; medians.
  const rawRuns: Throughput[] = [];
  const encRuns: Throughput[] = [];
  for (let i = 0; i < TP_ROUNDS; i++) {
    rawRuns.push(await rawThroughputThreaded(TP_N));
    encRuns.push(await sessionThroughputThreaded(TP_N));
  }
  const median = (xs: Throughput[]) => [...xs].sort((a, b) => a.datagramsPerSec - b.datagramsPerSec)[Math.floor(xs.length / 2)]!;
  const rawTp = median(rawRuns);
  const encTp = median(encRuns);
  const tpRatio = encTp.datagramsPerSec / rawTp.datagramsPerSec;
  const kpps = (t: Throughput) => `${(t.datagramsPerSec / 1000).toFixed(1)}k dgram/s`;
  rows.push({
    figure: `encrypted datagram throughput (1,200 B on the wire, median of ${TP_ROUNDS})`,
    value: `${kpps(encTp)}, ${fmtMBs(encTp.bytesPerSec)} goodput`,
    baseline: `raw ${kpps(rawTp)}, ${fmtMBs(rawTp.bytesPerSec)}`,
    ratio: `${(tpRatio * 100).toFixed(0)}%`,
    target: '≥ 40%',
    ok: tpRatio >= 0.4,
  });

  // Issue 3: DHT lookups of signed records on a loopback testnet, with 20% of nodes churned.
  const dhtN = QUICK ? 300 : 1000;
  const dht = await dhtBench(dhtN, { churn: 0.2 });
  const roundsTarget = Math.log2(dhtN) / 2;
  rows.push({
    figure: `DHT lookup success (${dhtN} nodes, 20% churned)`,
    value: `${(dht.successRate * 100).toFixed(1)}%`,
    baseline: '',
    ratio: '',
    target: '≥ 99%',
    ok: dht.successRate >= 0.99,
  });
  rows.push({ figure: 'DHT lookup latency p50 / p95', value: `${dht.latencyMs.p50.toFixed(0)} / ${dht.latencyMs.p95.toFixed(0)} ms`, baseline: `raw UDP echo ${fmtUs(raw.p50)}`, ratio: '' });
  rows.push({
    figure: 'DHT lookup rounds median / p95',
    value: `${dht.rounds.median} / ${dht.rounds.p95}`,
    baseline: `log2(N)/2 = ${roundsTarget.toFixed(1)}`,
    ratio: fmtRatio(dht.rounds.median / roundsTarget),
    target: `≤ ${roundsTarget.toFixed(1)}`,
    ok: dht.rounds.median <= roundsTarget,
  });

  // Issue 3: direct vs relayed (through an application router) and hole-punch time.
  const router = await routerThread();
  const relay = await relayBench({ echoIterations: QUICK ? 300 : 1000, throughputCount: QUICK ? 10_000 : 20_000, router: router.info });
  await router.stop();
  const d = summarize(relay.directRttUs);
  const rl = summarize(relay.relayedRttUs);
  rows.push({ figure: 'relayed round trip p50 (session via a router thread)', value: fmtUs(rl.p50), baseline: `direct ${fmtUs(d.p50)}`, ratio: fmtRatio(rl.p50 / d.p50) });
  const relayRatio = relay.relayedBps / relay.directBps;
  rows.push({
    figure: 'relayed throughput (1,167 B payloads)',
    value: fmtMBs(relay.relayedBps),
    baseline: `direct ${fmtMBs(relay.directBps)}`,
    ratio: `${(relayRatio * 100).toFixed(0)}%`,
    target: '≥ 50%',
    ok: relayRatio >= 0.5,
  });
  const punch = summarize(await punchBench(QUICK ? 5 : 20));
  rows.push({ figure: 'hole-punch time p50 (rendezvous → session)', value: fmtUs(punch.p50), baseline: `raw UDP echo ${fmtUs(raw.p50)}`, ratio: fmtRatio(punch.p50 / raw.p50) });

  const bare = await runChild('bare');
  const node = await runChild('node');
  rows.push({
    figure: 'core cold start (process start → unlocked, listening)',
    value: `${node.readyMs.toFixed(0)} ms`,
    baseline: `bare runtime ${bare.readyMs.toFixed(0)} ms`,
    ratio: `+${(node.readyMs - bare.readyMs).toFixed(0)} ms`,
  });
  rows.push({ figure: '  of which: import core', value: `${node.importMs.toFixed(0)} ms`, baseline: '', ratio: '' });
  rows.push({ figure: '  of which: unlock (scrypt N=2^17, store, UDP)', value: `${node.unlockMs.toFixed(0)} ms`, baseline: '', ratio: '' });
  rows.push({
    figure: 'idle RSS (unlocked node, 2 s idle)',
    value: `${(node.rss / 2 ** 20).toFixed(1)} MiB`,
    baseline: `bare runtime ${(bare.rss / 2 ** 20).toFixed(1)} MiB`,
    ratio: `+${((node.rss - bare.rss) / 2 ** 20).toFixed(1)} MiB`,
  });
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${String(e)}\n`);
  process.exit(1);
});
