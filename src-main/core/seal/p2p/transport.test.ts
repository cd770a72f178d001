import { afterEach, describe, expect, it } from 'vitest';
import { RelaySocket } from '../../ar';
import { sleep, toHex, waitFor } from '../../base';
import { addressOf, generatePrivateKey, keccak256, publicKeyOf, randomBytes } from '../../crypto';
import { DhtNode } from '../../dht';
import { LOOPBACK_RATES } from '../../dht/testnet';
import { UdpSocket } from '../../net';
import { SessionManager } from '../../session';
import type { P2pTuning } from './constants';
import { createP2pTransport } from './create';
import type { P2pTransport, P2pTransportOptions } from './types';

const FAST: Partial<P2pTuning> = {
  discoverEveryMs: 300,
  publishCheckMs: 300,
  directTimeoutMs: 600,
  dialBackoffMs: 200,
  dialBackoffMaxMs: 1000,
  helloTimeoutMs: 300,
  nackAfterMs: 100,
  fetchTimeoutMs: 1000,
  tickMs: 20,
};

type Node = { t: P2pTransport; got: Array<{ msg: Uint8Array; from: string }>; crash?: () => Promise<void> };
type Verdict = (msg: Uint8Array, from: string) => boolean | Promise<boolean>;

const open: Node[] = [];
afterEach(async () => {
  for (const n of open.splice(0).reverse()) await n.t.close();
});

function record(t: P2pTransport, verdict: Verdict = () => true, extra: Partial<Node> = {}): Node {
  const n: Node = { t, got: [], ...extra };
  t.onMessage((msg, from) => {
    n.got.push({ msg, from });
    return verdict(msg, from);
  });
  open.push(n);
  return n;
}

async function start(o: Partial<P2pTransportOptions> = {}, verdict?: Verdict): Promise<Node> {
  const t = await createP2pTransport({ privateKey: generatePrivateKey(), host: '127.0.0.1', bootstrap: [], dht: LOOPBACK_RATES, ...o, tuning: { ...FAST, ...o.tuning } });
  return record(t, verdict);
}

/** A transport on a stack the test owns (as the desktop node would share its own), so it can be crashed: socket first, nobody told. */
async function startShared(o: Partial<P2pTransportOptions> = {}): Promise<Node> {
  const privateKey = generatePrivateKey();
  const publicKey = publicKeyOf(privateKey);
  const identity = { privateKey, publicKey, address: addressOf(publicKey) };
  const udp = await UdpSocket.bind({ host: '127.0.0.1', port: 0 });
  const relay = new RelaySocket(udp);
  const dht = new DhtNode({ ...LOOPBACK_RATES, socket: udp, bootstrap: o.bootstrap?.map((b) => ({ host: b.host, port: b.port })) ?? [] });
  let t: P2pTransport | null = null;
  const sessions = new SessionManager({ identity, socket: relay, authorize: (p) => t?.authorize(p) ?? 'reject' });
  await dht.start();
  t = await createP2pTransport({ privateKey, bootstrap: [], ...o, components: { relay, sessions, dht, ar: null }, tuning: { ...FAST, ...o.tuning } });
  const crash = async () => {
    await udp.close();
    await t!.close();
    await dht.close();
    await sessions.close();
  };
  const n = record(t, () => true, { crash });
  const own = n.t.close.bind(n.t);
  n.t.close = async () => {
    await own();
    await dht.close();
    await sessions.close();
    relay.close();
    await udp.close();
  };
  return n;
}

const hint = (n: Node) => ({ ...n.t.endpoint(), address: n.t.address });
const ids = new WeakMap<Uint8Array, string>();
/** keccak256 once per buffer: waitFor polls every 5 ms, and hashing 3 MiB each time would starve the nodes. */
const idOf = (m: Uint8Array) => ids.get(m) ?? (ids.set(m, toHex(keccak256(m))), ids.get(m)!);
const countOf = (n: Node, msg: Uint8Array) => n.got.filter((g) => g.msg.length === msg.length && idOf(g.msg) === idOf(msg)).length;
const linked = (nodes: Node[], want: number) => () => nodes.every((n) => n.t.peers().length >= want);

/** Five nodes, each told only the first one's address: peer exchange makes a full mesh. */
async function mesh(n = 5, o: Partial<P2pTransportOptions> = {}): Promise<Node[]> {
  const first = await start(o);
  const rest = await Promise.all(Array.from({ length: n - 1 }, () => start({ ...o, bootstrap: [hint(first)] })));
  const all = [first, ...rest];
  await waitFor(linked(all, n - 1), 8000, 'a full mesh through peer exchange');
  return all;
}

/** A line a–b–c–d–e: each dials only its predecessor and offers no peers (pexCount 0). */
async function line(n = 5, verdicts: Array<Verdict | undefined> = []): Promise<Node[]> {
  const nodes: Node[] = [];
  for (let i = 0; i < n; i++) nodes.push(await start({ bootstrap: i ? [hint(nodes[i - 1]!)] : [], tuning: { pexCount: 0 } }, verdicts[i]));
  await waitFor(() => nodes.every((x, i) => x.t.peers().length === (i === 0 || i === n - 1 ? 1 : 2)), 8000, 'the line');
  return nodes;
}

describe('POE P2P transport (loopback)', () => {
  it('finds every peer from one bootstrap (peer exchange) and delivers a broadcast to all exactly once', async () => {
    const nodes = await mesh();
    for (const n of nodes) {
      expect(n.t.peers().map((p) => p.via)).toEqual(['direct', 'direct', 'direct', 'direct']);
      expect(n.t.peers().every((p) => p.rttMs !== null && p.rttMs >= 0)).toBe(true);
    }
    const msg = randomBytes(200);
    nodes[2]!.t.broadcast(msg);
    await waitFor(() => nodes.every((n, i) => i === 2 || countOf(n, msg) === 1), 3000, 'the broadcast everywhere');
    await sleep(200); // every node relays to every other: the copies must all have been dropped
    nodes.forEach((n, i) => expect(countOf(n, msg)).toBe(i === 2 ? 0 : 1));
    const from = nodes[0]!.got.find((g) => g.msg.length === msg.length)!.from; // whoever forwarded it first
    expect(nodes.slice(1).map((n) => n.t.address)).toContain(from);
    expect(nodes.reduce((s, n) => s + n.t.stats().gossip.duplicates, 0)).toBeGreaterThan(0);
  });

  it('finds the validator set through the DHT alone (POE_APP_ID records, no peer exchange)', async () => {
    const directory: string[] = [];
    const o = { directory: () => directory, tuning: { pexCount: 0 } };
    const first = await start(o);
    const dhtOnly = { ...first.t.endpoint() }; // an endpoint without an address: DHT bootstrap only
    const rest = await Promise.all([1, 2, 3, 4].map(() => start({ ...o, bootstrap: [dhtOnly] })));
    const all = [first, ...rest];
    directory.push(...all.map((n) => n.t.address));
    await waitFor(linked(all, 4), 10_000, 'a full mesh through DHT lookups');
    await waitFor(() => all.every((n) => n.t.stats().published >= 1), 3000, 'every record stored on another node');
    expect(rest.reduce((s, n) => s + n.t.stats().lookups, 0)).toBeGreaterThan(0);
  });

  it('relays only what the consumer calls valid (sync and async verdicts), multi-hop', async () => {
    const reject = (m: Uint8Array) => m[0] !== 0xff;
    const slowAccept = async (m: Uint8Array) => {
      await sleep(20);
      return m[0] !== 0xff;
    };
    const [a, b, c, d, e] = await line(5, [undefined, reject, slowAccept]);
    const good = Uint8Array.of(1, ...randomBytes(50));
    const bad = Uint8Array.of(0xff, ...randomBytes(50));
    a!.t.broadcast(good);
    a!.t.broadcast(bad);
    await waitFor(() => countOf(e!, good) === 1, 3000, 'the valid message at the end of the line');
    await sleep(200);
    expect(countOf(b!, bad)).toBe(1); // b saw it, judged it, kept it
    for (const n of [c!, d!, e!]) expect(countOf(n, bad)).toBe(0);
    for (const n of [b!, c!, d!, e!]) expect(countOf(n, good)).toBe(1);
    expect(countOf(a!, good)).toBe(0); // never echoed to its origin
    expect(b!.t.stats().gossip.invalid).toBe(1);
  });

  it('carries a 1.5 MiB message intact across hops (announce, pull, chunks) and by direct send', async () => {
    const nodes = await line(4);
    const big = randomBytes(1.5 * 1024 * 1024);
    nodes[0]!.t.broadcast(big);
    await waitFor(() => countOf(nodes[3]!, big) === 1, 10_000, 'the 1.5 MiB block at the last node');
    for (const n of nodes.slice(1)) {
      const g = n.got.find((x) => x.msg.length === big.length)!;
      expect(Buffer.from(g.msg).equals(Buffer.from(big))).toBe(true);
      expect(n.t.stats().gossip.pulled).toBe(1);
    }
    const direct = randomBytes(1.5 * 1024 * 1024 + 17);
    expect(nodes[2]!.t.send(nodes[1]!.t.address, direct)).toBe(true);
    await waitFor(() => countOf(nodes[1]!, direct) === 1, 10_000, 'the direct 1.5 MiB message');
    expect(nodes[1]!.t.stats().transfers.completed).toBeGreaterThanOrEqual(2);
    expect(nodes[1]!.t.stats().transfers.heldBytes).toBe(0);
    expect(nodes[0]!.t.send(nodes[3]!.t.address, direct)).toBe(false); // not a link of a
  });

  it('answers requests (also with 1 MiB), reports handler errors, and times out', async () => {
    const [a, b, c] = await mesh(3);
    const block = randomBytes(1024 * 1024);
    b!.t.onRequest(async (req, from) => {
      if (req[0] === 1) return block;
      if (req[0] === 2) throw new Error('no such block');
      return Uint8Array.from([...new TextEncoder().encode(from.slice(0, 6)), ...req]);
    });
    c!.t.onRequest(() => new Promise((r) => setTimeout(() => r(new Uint8Array(1)), 1500)));
    const echo = await a!.t.request(b!.t.address, Uint8Array.of(9, 9));
    expect(new TextDecoder().decode(echo.subarray(0, 6))).toBe(a!.t.address.slice(0, 6));
    expect(Array.from(echo.subarray(6))).toEqual([9, 9]);
    const got = await a!.t.request(b!.t.address, Uint8Array.of(1), 10_000);
    expect(Buffer.from(got).equals(Buffer.from(block))).toBe(true);
    await expect(a!.t.request(b!.t.address, Uint8Array.of(2))).rejects.toThrow(/no such block/);
    const t0 = Date.now();
    await expect(a!.t.request(c!.t.address, Uint8Array.of(3), 300)).rejects.toThrow(/no response .* within 300 ms/);
    expect(Date.now() - t0).toBeLessThan(1000);
    await expect(a!.t.request('0x' + '42'.repeat(20), Uint8Array.of(1))).rejects.toThrow(/not a connected consensus peer/);
    expect(a!.t.stats().requests).toMatchObject({ answered: 2, timedOut: 1 });
  });

  it('keeps at most maxPeers links, and gives a validator the slot of a peer outside the validator set', async () => {
    const directory: string[] = [];
    const lone = { tuning: { pexCount: 0 } };
    const hub = await start({ maxPeers: 2, directory: () => directory, ...lone });
    const [s1, s2] = await Promise.all([start({ bootstrap: [hint(hub)], ...lone }), start({ bootstrap: [hint(hub)], ...lone })]);
    await waitFor(() => hub.t.peers().length === 2 && s1!.t.peers().length === 1 && s2!.t.peers().length === 1, 5000, 'two links');
    const s3 = await start({ bootstrap: [hint(hub)], ...lone });
    await waitFor(() => s3.t.stats().dials.direct >= 1, 3000, 'the third peer dialled');
    await sleep(300);
    expect(hub.t.peers()).toHaveLength(2); // answered HELLO|FULL
    expect(s3.t.peers()).toHaveLength(0);
    const key = generatePrivateKey();
    directory.push(addressOf(publicKeyOf(key)));
    await sleep(400); // the hub's next maintenance pass reads the directory
    const validator = await start({ privateKey: key, bootstrap: [hint(hub)], ...lone });
    await waitFor(() => hub.t.peers().some((p) => p.address === validator.t.address), 5000, 'the validator linked');
    expect(hub.t.peers()).toHaveLength(2);
    await waitFor(() => s1!.t.peers().length + s2!.t.peers().length === 1, 3000, 'one outsider dropped');
  });

  it('keeps working when a peer is killed without a word', async () => {
    const first = await start();
    const others = await Promise.all([1, 2, 3].map(() => start({ bootstrap: [hint(first)] })));
    const victim = await startShared({ bootstrap: [hint(first)] });
    const all = [first, ...others, victim];
    await waitFor(linked(all, 4), 8000, 'a full mesh with the victim');
    victim.t.onRequest(async () => new Uint8Array(1));
    await victim.crash!();
    open.splice(open.indexOf(victim), 1);
    const live = [first, ...others];
    const msg = randomBytes(64);
    others[1]!.t.broadcast(msg);
    await waitFor(() => live.every((n) => n === others[1] || countOf(n, msg) === 1), 3000, 'the broadcast among the survivors');
    await expect(first.t.request(victim.t.address, Uint8Array.of(1), 300)).rejects.toThrow(/no response|not a connected/);
    first.t.onRequest(async (r) => r);
    expect(Array.from(await others[2]!.t.request(first.t.address, Uint8Array.of(5, 6)))).toEqual([5, 6]);
    const after = randomBytes(3 * 1024 * 1024); // a block still makes it to everyone (pulled from a live announcer)
    first.t.broadcast(after);
    await waitFor(() => others.every((n) => countOf(n, after) === 1), 15_000, 'a 3 MiB block among the survivors');

  });
});
