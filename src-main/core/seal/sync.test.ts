/**
 * Catching up (sync.ts) on the in-process network: a primary stopped for several heights
 * restarts and reaches the others' head through sync with identical blocks and state; a
 * peer serving tampered blocks (header, body, certificate) is refused block by block, the
 * node adopts none of it and still syncs from an honest peer; the status goes 'syncing'
 * while blocks are fetched and 'synced' after.
 */
import { RLP } from '@ethereumjs/rlp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesToHex } from '@ethereumjs/util';
import { silentLogger } from '../base';
import { Ledger } from '../chain';
import { decodeCertificate, encodeCertificate, type Hex } from './codec';
import { ContextCache } from './context';
import { Syncer, type SyncStatus } from './sync';
import { FAST_TIMEOUTS, staticSet, startTestNetwork, type TestNetwork, type TestNode, until } from './testing';
import type { PoeTransport } from './transport';

let net: TestNetwork;
beforeAll(async () => {
  net = await startTestNetwork({ primaries: 4, sealers: 1, blockIntervalMs: 800, params: { timeouts: { ...FAST_TIMEOUTS, proposeMs: 2500 } } });
}, 60_000);
afterAll(async () => {
  await net?.close();
});

const hex = (b: Uint8Array) => bytesToHex(b) as Hex;
const node = (id: string) => net.nodes.find((n) => n.id === id)!;
const head = (n: TestNode) => n.ledger.head.header.number;

type Item = [Uint8Array, Uint8Array, Uint8Array];
/** A peer that answers from a real node's syncer, after `tamper` had its way with the blocks. */
function peer(source: TestNode, tamper: (items: Item[]) => void = () => {}, onBlocks?: () => void) {
  return async (req: Uint8Array): Promise<Uint8Array> => {
    const answer = await source.engine.syncer.answer(req);
    const l = RLP.decode(req) as Uint8Array[];
    if (l[0]![0] !== 2) return answer;
    onBlocks?.();
    const items = RLP.decode(answer) as unknown as Item[];
    tamper(items);
    return RLP.encode(items);
  };
}

function fakeTransport(peers: Record<string, (req: Uint8Array) => Promise<Uint8Array>>): PoeTransport {
  return {
    broadcast() {},
    send: () => false,
    onMessage: () => () => {},
    onRequest() {},
    request: (p, req) => peers[p]!(req),
    peers: () => Object.keys(peers).map((address) => ({ address, rttMs: 0, via: 'memory' as const })),
    close: async () => {},
  };
}

/** A new node's ledger and syncer (genesis only) behind `transport`. */
async function freshSyncer(transport: PoeTransport, failures: string[] = []) {
  const ledger = await Ledger.open({ file: ':memory:', genesis: net.genesis });
  const set = staticSet(net.primaries, net.sealers);
  const contexts = new ContextCache({ chainId: ledger.chainId, genesisHash: ledger.genesisHash, blockByNumber: (n) => ledger.blockByNumber(n) }, net.params, async () => set);
  const logger = { ...silentLogger, warn: (msg: string, f?: Record<string, unknown>) => void failures.push(`${msg}: ${String(f?.error)}`) };
  return { ledger, syncer: new Syncer(ledger, contexts, transport, logger) };
}

/** Field `i` of the block's header (RLP list) replaced. */
function withHeaderField(blockRlp: Uint8Array, i: number, value: Uint8Array): Uint8Array {
  const [header, ...rest] = RLP.decode(blockRlp) as unknown as [Uint8Array[], ...unknown[]];
  const h = [...header];
  h[i] = value;
  return RLP.encode([h, ...rest] as never);
}

describe('POE sync', () => {
  it('a primary stopped for several heights restarts and catches up with identical blocks and state', async () => {
    await until(() => net.nodes.every((n) => head(n) >= 2n), 40_000, 'height 2');
    await net.stop('p3');
    const stoppedAt = head(node('p0'));
    await until(() => head(node('p0')) >= stoppedAt + 4n, 40_000, 'four heights without p3');
    const before = head(node('p0'));
    const p3 = await net.restart('p3');
    // start() syncs before it takes part: it is at least where the others were.
    expect(head(p3)).toBeGreaterThanOrEqual(before);
    const s = p3.engine.status().sync;
    expect(s.state).toBe('synced');
    expect(s.peers).toBe(4);
    await until(() => net.nodes.every((n) => head(n) >= before + 2n), 40_000, 'two more heights with p3');
    const top = net.nodes.reduce((m, n) => (head(n) < m ? head(n) : m), head(p3));
    for (let h = 1n; h <= top; h++) {
      const ref = node('p0').ledger.blockByNumber(h)!;
      const mine = p3.ledger.blockByNumber(h)!;
      expect(hex(mine.hash())).toBe(hex(ref.hash()));
      expect(hex(mine.header.stateRoot)).toBe(hex(ref.header.stateRoot));
      expect(p3.ledger.aux(mine.hash(), 'poe-cert')).toBeDefined();
    }
  }, 90_000);

  it('refuses blocks a peer tampered with, adopts none of them, and syncs from an honest peer', async () => {
    await until(() => head(node('p0')) >= 5n, 40_000, 'height 5');
    const source = node('p0');
    const at = (items: Item[], height: number) => items[height - 1]!; // answers start at block 1 for a fresh node
    const tampers: [RegExp, (items: Item[]) => void][] = [
      [/it certifies another block/, (items) => void (at(items, 3)[0] = withHeaderField(at(items, 3)[0], 3, new Uint8Array(32).fill(7)))],
      [
        /withdrawals are not the rewards/,
        (items) => {
          const [header, txs, uncles, withdrawals] = RLP.decode(at(items, 3)[0]) as unknown as [Uint8Array[], unknown, unknown, Uint8Array[][]];
          const w = withdrawals.map((x) => [...x]);
          w[0]![3] = Uint8Array.from([...w[0]![3]!, 1]); // a larger amount
          at(items, 3)[0] = RLP.encode([header, txs, uncles, w] as never);
        },
      ],
      [/extraData does not commit/, (items) => void (at(items, 3)[1] = at(items, 4)[1])],
      [
        /no two-thirds majority/,
        (items) => {
          const c = decodeCertificate(at(items, 3)[2]);
          c.precommitBits = Uint8Array.from([c.precommitBits[0]! & 0b0011]);
          at(items, 3)[2] = encodeCertificate(c);
        },
      ],
      [/wrong height/, (items) => void (at(items, 3)[2] = at(items, 4)[2])],
    ];
    for (const [why, tamper] of tampers) {
      const failures: string[] = [];
      const { ledger, syncer } = await freshSyncer(fakeTransport({ evil: peer(source, tamper) }), failures);
      const imported = await syncer.catchUp();
      expect({ imported, head: ledger.head.header.number }).toEqual({ imported: 2, head: 2n });
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatch(why);
      expect(ledger.blockByNumber(3n)).toBeUndefined();
      expect(hex(ledger.blockByNumber(2n)!.hash())).toBe(hex(source.ledger.blockByNumber(2n)!.hash()));
      expect(syncer.status.state).toBe('synced');
      await ledger.close();
    }
    // With a liar claiming a higher head beside an honest peer, the honest blocks are adopted.
    const liar = async (req: Uint8Array) => {
      const l = RLP.decode(req) as Uint8Array[];
      if (l[0]![0] === 1) return RLP.encode([Uint8Array.from([0xff]), new Uint8Array(32)]);
      return peer(source, tampers[0]![1])(req);
    };
    const { ledger, syncer } = await freshSyncer(fakeTransport({ liar, honest: peer(source) }));
    const target = head(source);
    await syncer.catchUp();
    expect(ledger.head.header.number).toBeGreaterThanOrEqual(target);
    for (let h = 1n; h <= target; h++) expect(hex(ledger.blockByNumber(h)!.hash())).toBe(hex(source.ledger.blockByNumber(h)!.hash()));
    await ledger.close();
  }, 90_000);

  it("reports 'syncing' while it fetches blocks and 'synced' when done", async () => {
    const source = node('p1');
    const states: SyncStatus[] = [];
    let syncer: Syncer | null = null;
    const t = fakeTransport({ p1: peer(source, () => {}, () => states.push({ ...syncer!.status })) });
    const fresh = await freshSyncer(t);
    syncer = fresh.syncer;
    expect(syncer.status.state).toBe('synced');
    const target = head(source);
    const imported = await syncer.catchUp();
    expect(imported).toBeGreaterThanOrEqual(Number(target));
    expect(states.length).toBeGreaterThan(0);
    expect(states[0]).toMatchObject({ state: 'syncing', height: 0n, peers: 1 });
    expect(states[0]!.target).toBeGreaterThanOrEqual(target);
    expect(syncer.status).toMatchObject({ state: 'synced', height: fresh.ledger.head.header.number, peers: 1 });
    expect(fresh.ledger.head.header.number).toBeGreaterThanOrEqual(syncer.status.target);
    await fresh.ledger.close();
  }, 60_000);
});
