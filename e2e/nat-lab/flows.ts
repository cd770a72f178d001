/**
 * @module e2e/nat-lab/flows
 * What the NAT lab specs do with nodes, through the CLI only: make two accounts friends (found
 * through the DHT and the routers, never through a routable invite), exchange messages and
 * check each arrives exactly once, and watch the link type a node reports over time.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, expect } from 'vitest';
import { assertBuilt, BuNode, diagnostics, ROUTER_PORT, sameAddress, startRouter, tempDir, tempDirs, type Link, type PeerLink, type Router } from './bu-cli';
import { assertRoot, hostAddress, labDown, labUp, nodePortsOf, sleep, stopAll, waitFor, type NodeHost } from './lab';

export const BOOTSTRAP = `${hostAddress('bu-r1')}:${ROUTER_PORT}`;
const nextPort = new Map<NodeHost, number>();

/**
 * Registers the spec file's hooks: a fresh lab with both routers (r2 joins through r1) before,
 * everything stopped and removed after (temp profiles too, unless BU_NATLAB_KEEP=1). Returns
 * the lists the file fills, for diagnostics.
 */
export function labSuite(opts: { after?: () => void } = {}): { routers: Router[]; nodes: BuNode[] } {
  const suite = { routers: [] as Router[], nodes: [] as BuNode[] };
  beforeAll(async () => {
    assertRoot();
    assertBuilt();
    await labUp({ fresh: true });
    const r1 = await startRouter('bu-r1');
    suite.routers.push(r1, await startRouter('bu-r2', { bootstrap: r1.endpoint }));
  }, 180_000);
  afterAll(async () => {
    opts.after?.();
    await stopAll();
    await labDown();
    if (process.env.BU_NATLAB_KEEP !== '1') for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
  }, 180_000);
  return suite;
}

/** A free node port on `host` (each node gets its own, so NAT state never carries over). */
export function allocPort(host: NodeHost): number {
  const [from, to] = nodePortsOf(host);
  const port = nextPort.get(host) ?? from;
  if (port > to) throw new Error(`nat-lab: no node port left on ${host}`);
  nextPort.set(host, port + 1);
  return port;
}

/** A new account on `host` (own port and profile), served with the lab's bootstrap router. */
export async function freshNode(nodes: BuNode[], host: NodeHost, label: string, opts: { init?: boolean } = {}): Promise<BuNode> {
  const n = new BuNode(host, label, tempDir(label), allocPort(host));
  nodes.push(n);
  if (opts.init === false) return n;
  await n.init();
  await n.serve(BOOTSTRAP);
  return n;
}

export const CONTACT_TIMEOUT = 90_000;
export const DELIVERY_TIMEOUT = 120_000;
export const RUN = Date.now().toString(36);

export const log = (s: string): void => void process.stdout.write(`[nat-lab] ${s}\n`);

/** Runs a scenario; on failure re-throws with the lab diagnostics appended. */
export function scenario(nodes: BuNode[], routers: Router[], fn: () => Promise<void>): () => Promise<void> {
  return async () => {
    try {
      await fn();
    } catch (e) {
      const diag = await diagnostics(nodes, routers).catch((d: unknown) => `(diagnostics failed: ${String(d)})`);
      const err = new Error(`${e instanceof Error ? e.message : String(e)}\n\n${diag}`, { cause: e });
      if (e instanceof Error && e.stack) err.stack = `${err.message}\n${e.stack.split('\n').slice(1).join('\n')}`;
      throw err;
    }
  };
}

/** a adds b's invite, b accepts: both end up friends (found through DHT/routers). Resolves with when the invite was added. */
export async function befriend(a: BuNode, b: BuNode): Promise<number> {
  const link = await b.invite();
  const addedAt = Date.now();
  await a.add(link);
  await waitFor(async () => (await b.requests()).find((c) => sameAddress(c.address, a.address) && c.state === 'pending_in'), {
    timeoutMs: CONTACT_TIMEOUT,
    what: `${b.label} to receive ${a.label}'s contact request (only reachable through the DHT and the routers)`,
  });
  await b.accept(a.address);
  await waitFor(async () => (await a.contacts()).find((c) => sameAddress(c.address, b.address) && c.state === 'friend'), {
    timeoutMs: CONTACT_TIMEOUT,
    what: `${a.label} to see ${b.label} as a friend after the accept`,
  });
  return addedAt;
}

export type LinkWatch = {
  /** Each distinct link state seen, in order (consecutive repeats folded). */
  history: Link[];
  /** ms after the watch started when the link was first not 'none' (null: never). */
  firstUpAfterMs: number | null;
  last: PeerLink | null;
  stop(): Promise<Link[]>;
};

/** Samples `a`'s link to `peer` (status --json) every `everyMs`, keeping each change. */
export function watchLink(a: BuNode, peer: string, everyMs = 500): LinkWatch {
  const t0 = Date.now();
  let stopped = false;
  const w: LinkWatch = {
    history: [],
    firstUpAfterMs: null,
    last: null,
    async stop() {
      stopped = true;
      await loop;
      return w.history;
    },
  };
  const loop = (async () => {
    while (!stopped) {
      const p = await a.peer(peer).catch(() => null);
      if (p) {
        w.last = p;
        if (w.history[w.history.length - 1] !== p.link) w.history.push(p.link);
        if (p.link !== 'none' && w.firstUpAfterMs === null) w.firstUpAfterMs = Date.now() - t0;
      }
      await sleep(everyMs);
    }
  })();
  return w;
}

export const texts = (from: BuNode, to: BuNode, tag: string, n: number, offset = 0): string[] =>
  Array.from({ length: n }, (_, i) => `${tag} ${from.label}→${to.label} #${i + offset} (${RUN})`);

export async function sendAll(from: BuNode, to: BuNode, list: string[]): Promise<void> {
  for (const t of list) {
    const m = await from.send(to.address, t);
    expect(m.direction, `send "${t}"`).toBe('out');
    expect(['sending', 'sent', 'delivered'], `state of a new message "${t}"`).toContain(m.state);
  }
}

/** Waits until every text is `delivered` on the sender, then checks the receiver has each exactly once. */
export async function expectDelivered(from: BuNode, to: BuNode, list: string[], timeoutMs = DELIVERY_TIMEOUT): Promise<void> {
  let summary = '';
  await waitFor(
    async () => {
      const out = (await from.messages(to.address)).filter((m) => m.direction === 'out');
      const pending = list.filter((t) => out.find((m) => m.text === t)?.state !== 'delivered');
      summary = pending.map((t) => `${t}: ${out.find((m) => m.text === t)?.state ?? 'missing'}`).join('; ');
      return pending.length === 0 ? true : undefined;
    },
    { timeoutMs, intervalMs: 1000, what: `${list.length} messages ${from.label}→${to.label} to be delivered`, describe: () => `not delivered: ${summary}` },
  );
  await expectExactlyOnce(from, to, list);
}

/** Sender has each text once (out), receiver has each once (in), also after a short settle. */
export async function expectExactlyOnce(from: BuNode, to: BuNode, list: string[], settleMs = 2000): Promise<void> {
  await sleep(settleMs); // late duplicates (mailbox + live path) would show up here
  const count = (ms: { text: string; direction: string }[], dir: string) =>
    Object.fromEntries(list.map((t) => [t, ms.filter((m) => m.direction === dir && m.text === t).length]));
  const ones = Object.fromEntries(list.map((t) => [t, 1]));
  expect(count(await from.messages(to.address), 'out'), `${from.label}'s outgoing copies`).toEqual(ones);
  expect(count(await to.messages(from.address), 'in'), `${to.label}'s received copies (exactly once)`).toEqual(ones);
}

/** n messages each way at once, all delivered exactly once. */
export async function exchange(a: BuNode, b: BuNode, tag: string, n: number, timeoutMs = DELIVERY_TIMEOUT): Promise<void> {
  const ab = texts(a, b, tag, n);
  const ba = texts(b, a, tag, n);
  await Promise.all([sendAll(a, b, ab), sendAll(b, a, ba)]);
  await Promise.all([expectDelivered(a, b, ab, timeoutMs), expectDelivered(b, a, ba, timeoutMs)]);
}

export async function expectLink(a: BuNode, b: BuNode, allowed: Link[]): Promise<PeerLink> {
  const p = await a.peer(b.address);
  expect(p, `${a.label}'s status --json lists ${b.label}`).not.toBeNull();
  expect(allowed, `${a.label}→${b.label} link (status: ${JSON.stringify(p)})`).toContain(p!.link);
  expect(p!.rttMs, `${a.label}→${b.label} rttMs`).toBeGreaterThan(0);
  return p!;
}
