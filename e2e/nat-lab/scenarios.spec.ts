/**
 * Product scenarios in the NAT lab, driven only through the built CLI (`out/main/cli.js`):
 * two application routers on the public segment (r1 bootstrap, r2 joining through r1) and
 * clients behind cone (c1, c2) and symmetric (s1, s2) NATs that know nothing but
 * `--bootstrap 10.99.0.11:7000`. Invite endpoints are private LAN addresses that the other
 * side cannot route to, so every contact has to be found through the DHT and the routers.
 *
 * (a) cone↔cone: punched on the first attempt, 20 messages each way delivered
 * (b) sym↔sym: relayed, everything delivered
 * (c) offline → router mailbox → back online: exactly once; and again to a NEW machine that
 *     imported the account's keystore
 * (d) the router carrying a relayed conversation is killed: the conversation moves to the
 *     other router (or a direct path) without losing or duplicating a message
 *
 * Failures print every node's status, the NATs' conntrack tables and the process logs.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertBuilt,
  BuNode,
  conntrackBytes,
  diagnostics,
  inviteEndpoints,
  ROUTER_PORT,
  sameAddress,
  startRouter,
  tempDir,
  tempDirs,
  type Link,
  type Router,
} from './bu-cli';
import { assertRoot, hostAddress, labDown, labUp, sleep, stopAll, waitFor, type ClientHost } from './lab';

const RUN = Date.now().toString(36);
const BOOTSTRAP = `${hostAddress('bu-r1')}:${ROUTER_PORT}`;
const CONTACT_TIMEOUT = 90_000;
const DELIVERY_TIMEOUT = 120_000;

const routers: Router[] = [];
const nodes: BuNode[] = [];
const log = (s: string) => process.stdout.write(`[nat-lab] ${s}\n`);

beforeAll(async () => {
  assertRoot();
  assertBuilt();
  await labUp({ fresh: true });
  const r1 = await startRouter('bu-r1');
  routers.push(r1);
  routers.push(await startRouter('bu-r2', { bootstrap: r1.endpoint }));
}, 180_000);

afterAll(async () => {
  await stopAll();
  await labDown();
  if (process.env.BU_NATLAB_KEEP !== '1') for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
}, 180_000);

/** Runs a scenario; on failure re-throws with the lab diagnostics appended. */
function scenario(fn: () => Promise<void>): () => Promise<void> {
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

const started = new Map<string, Promise<BuNode>>();
/** One account per client host: init + serve, once. */
function node(host: ClientHost): Promise<BuNode> {
  let p = started.get(host);
  if (!p) {
    p = (async () => {
      const label = host.replace('bu-', '');
      const dir = tempDir(label);
      const n = new BuNode(host, label, dir);
      nodes.push(n);
      await n.init();
      await n.serve(BOOTSTRAP);
      log(`${label}@${host} serving ${n.address} on ${n.listen}`);
      return n;
    })();
    started.set(host, p);
  }
  return p;
}

const friendships = new Map<string, Promise<void>>();
/** a adds b's invite, b accepts: both end up friends (found through DHT/routers). */
function friends(a: BuNode, b: BuNode): Promise<void> {
  const key = [a.host, b.host].sort().join('+');
  let p = friendships.get(key);
  if (!p) {
    p = (async () => {
      const link = await b.invite();
      log(`${b.label}'s invite lists ${inviteEndpoints(link).join(', ') || 'no endpoints'} (private: not routable from ${a.label})`);
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
    })();
    friendships.set(key, p);
  }
  return p;
}

/** Samples `a`'s link to `peer` once a second (status --json), keeping each change. */
function watchLink(a: BuNode, peer: string): { history: Link[]; stop(): Promise<Link[]> } {
  const history: Link[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const p = await a.peer(peer).catch(() => null);
      if (p && history[history.length - 1] !== p.link) history.push(p.link);
      await sleep(1000);
    }
  })();
  return {
    history,
    async stop() {
      stopped = true;
      await loop;
      return history;
    },
  };
}

const texts = (from: BuNode, to: BuNode, tag: string, n: number, offset = 0) =>
  Array.from({ length: n }, (_, i) => `${tag} ${from.label}→${to.label} #${i + offset} (${RUN})`);

async function sendAll(from: BuNode, to: BuNode, list: string[]): Promise<void> {
  for (const t of list) {
    const m = await from.send(to.address, t);
    expect(m.direction, `send "${t}"`).toBe('out');
    expect(['sending', 'sent', 'delivered'], `state of a new message "${t}"`).toContain(m.state);
  }
}

/** Waits until every text is `delivered` on the sender, then checks the receiver has each exactly once. */
async function expectDelivered(from: BuNode, to: BuNode, list: string[], timeoutMs = DELIVERY_TIMEOUT): Promise<void> {
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
async function expectExactlyOnce(from: BuNode, to: BuNode, list: string[]): Promise<void> {
  await sleep(2000); // late duplicates (mailbox + live path) would show up here
  const count = (ms: { text: string; direction: string }[], dir: string) =>
    Object.fromEntries(list.map((t) => [t, ms.filter((m) => m.direction === dir && m.text === t).length]));
  const ones = Object.fromEntries(list.map((t) => [t, 1]));
  expect(count(await from.messages(to.address), 'out'), `${from.label}'s outgoing copies`).toEqual(ones);
  expect(count(await to.messages(from.address), 'in'), `${to.label}'s received copies (exactly once)`).toEqual(ones);
}

async function exchange(a: BuNode, b: BuNode, tag: string, n: number): Promise<void> {
  const ab = texts(a, b, tag, n);
  const ba = texts(b, a, tag, n);
  await Promise.all([sendAll(a, b, ab), sendAll(b, a, ba)]);
  await Promise.all([expectDelivered(a, b, ab), expectDelivered(b, a, ba)]);
}

async function expectLink(a: BuNode, b: BuNode, allowed: Link[]): Promise<void> {
  const p = await a.peer(b.address);
  expect(p, `${a.label}'s status --json lists ${b.label}`).not.toBeNull();
  expect(allowed, `${a.label}→${b.label} link (status: ${JSON.stringify(p)})`).toContain(p!.link);
  expect(p!.rttMs, `${a.label}→${b.label} rttMs`).toBeGreaterThan(0);
}

describe('NAT lab product scenarios (bitunicom CLI)', () => {
  it(
    '(a) cone↔cone: found through DHT/routers, punched on the first attempt, 20 messages each way delivered',
    scenario(async () => {
      const [c1, c2] = await Promise.all([node('bu-c1'), node('bu-c2')]);
      const w1 = watchLink(c1, c2.address);
      const w2 = watchLink(c2, c1.address);
      await friends(c1, c2);
      await exchange(c1, c2, 'cone', 20);
      const [h1, h2] = await Promise.all([w1.stop(), w2.stop()]);
      log(`c1→c2 link history ${h1.join(' → ')}; c2→c1 ${h2.join(' → ')}`);
      await expectLink(c1, c2, ['punched']);
      await expectLink(c2, c1, ['punched']);
      // First attempt: the link never showed anything but `punched` (no relay fallback first).
      expect(new Set(h1.filter((l) => l !== 'none')), 'c1→c2 link states seen').toEqual(new Set(['punched']));
      expect(new Set(h2.filter((l) => l !== 'none')), 'c2→c1 link states seen').toEqual(new Set(['punched']));
    }),
    480_000,
  );

  it(
    '(b) sym↔sym: relayed, 20 messages each way delivered',
    scenario(async () => {
      const [s1, s2] = await Promise.all([node('bu-s1'), node('bu-s2')]);
      await friends(s1, s2);
      await exchange(s1, s2, 'sym', 20);
      await expectLink(s1, s2, ['relayed']);
      await expectLink(s2, s1, ['relayed']);
    }),
    480_000,
  );

  it(
    '(c) offline → mailbox → back online, and to a new machine with the imported keystore: exactly once',
    scenario(async () => {
      const [c1, c2] = await Promise.all([node('bu-c1'), node('bu-c2')]);
      await friends(c1, c2);
      const keystoreDir = tempDir('c2-keystore');
      const keystore = join(keystoreDir, 'c2.keystore.json');
      await c2.exportKeystore(keystore);

      // 1. c2 goes offline; c1's messages wait.
      await c2.stop();
      const first = texts(c1, c2, 'mailbox', 5);
      await sendAll(c1, c2, first);
      await sleep(5000);
      const waiting = (await c1.messages(c2.address)).filter((m) => first.includes(m.text));
      expect(waiting.map((m) => m.state), 'while c2 is offline nothing is delivered or failed').toEqual(first.map(() => expect.stringMatching(/^(sending|sent)$/)));

      // 2. c2 comes back: each message exactly once.
      await c2.serve(BOOTSTRAP);
      await expectDelivered(c1, c2, first);

      // 3. c2 offline again; the account is restored on ANOTHER machine (host s2, fresh profile).
      await c2.stop();
      const second = texts(c1, c2, 'new-machine', 5);
      await sendAll(c1, c2, second);
      await sleep(5000);
      const waiting2 = (await c1.messages(c2.address)).filter((m) => second.includes(m.text));
      expect(waiting2.map((m) => m.state), 'while no machine of c2 is online nothing is delivered').toEqual(second.map(() => expect.stringMatching(/^(sending|sent)$/)));

      const dir = tempDir('c2-on-s2');
      const moved = new BuNode('bu-s2', 'c2-new', dir, 40401);
      nodes.push(moved);
      expect(sameAddress(await moved.importKeystore(keystore), c2.address), 'the imported account is c2').toBe(true);
      await moved.serve(BOOTSTRAP);
      // The new machine holds the key but not the contact list: c1 reaches it, learns it is not
      // known there (UNKNOWN) and asks again; the user accepts, then everything waiting arrives.
      // (Mailbox copies were sealed to the old machine's prekeys: forward secrecy means only the
      // live re-send can deliver them, and the message id keeps it exactly once.)
      await waitFor(async () => (await moved.requests()).find((c) => sameAddress(c.address, c1.address) && c.state === 'pending_in'), {
        timeoutMs: CONTACT_TIMEOUT,
        what: `c2's new machine to receive c1's request to reconnect`,
      });
      await moved.accept(c1.address);
      await expectDelivered(c1, moved, second);
      // The first batch was already delivered to the old machine: it must not come again.
      const again = (await moved.messages(c1.address)).filter((m) => first.includes(m.text));
      expect(again, 'messages delivered before the move are not delivered again').toEqual([]);
      await moved.stop();
      await c2.serve(BOOTSTRAP); // back to the original machine for later scenarios
    }),
    600_000,
  );

  it(
    '(d) the router relaying a conversation is killed: traffic moves to the other router or a direct path, no loss, no duplicates',
    scenario(async () => {
      const [s1, s2] = await Promise.all([node('bu-s1'), node('bu-s2')]);
      await friends(s1, s2);
      await exchange(s1, s2, 'warm-up', 3);
      await expectLink(s1, s2, ['relayed']);

      // Which router carries it? Compare the NAT's conntrack byte counters towards each router
      // across a burst of messages (application-independent evidence).
      const nat = 'bu-nat-sym1';
      const bytes = () => Promise.all(routers.map((r) => conntrackBytes(nat, hostAddress(r.host), ROUTER_PORT)));
      const before = await bytes();
      await exchange(s1, s2, 'probe', 5);
      const after = await bytes();
      const delta = after.map((b, i) => b - before[i]!);
      log(`relay probe: bytes through ${routers.map((r, i) => `${r.host}=${delta[i]}`).join(', ')}`);
      const relayIdx = delta[0]! >= delta[1]! ? 0 : 1;
      const relay = routers[relayIdx]!;
      const survivor = routers[1 - relayIdx]!;
      expect(delta[relayIdx], `the relayed burst must be visible at one router (${JSON.stringify(delta)})`).toBeGreaterThan(2000);

      // Mid-conversation: 5 each way, kill the relay, 15 more each way.
      const ab = texts(s1, s2, 'failover', 20);
      const ba = texts(s2, s1, 'failover', 20);
      await Promise.all([sendAll(s1, s2, ab.slice(0, 5)), sendAll(s2, s1, ba.slice(0, 5))]);
      log(`killing ${relay.host} (${relay.endpoint}) mid-conversation`);
      await relay.proc.stop('SIGKILL');
      const survivorBefore = await conntrackBytes(nat, hostAddress(survivor.host), ROUTER_PORT);
      await Promise.all([sendAll(s1, s2, ab.slice(5)), sendAll(s2, s1, ba.slice(5))]);
      await Promise.all([expectDelivered(s1, s2, ab, 180_000), expectDelivered(s2, s1, ba, 180_000)]);

      const p = await s1.peer(s2.address);
      log(`after the failover: s1→s2 ${JSON.stringify(p)}`);
      await expectLink(s1, s2, ['relayed', 'punched', 'direct']);
      await expectLink(s2, s1, ['relayed', 'punched', 'direct']);
      if (p!.link === 'relayed') {
        const moved = (await conntrackBytes(nat, hostAddress(survivor.host), ROUTER_PORT)) - survivorBefore;
        expect(moved, `relayed traffic after the kill must go through ${survivor.host}`).toBeGreaterThan(2000);
      }
    }),
    600_000,
  );
});
