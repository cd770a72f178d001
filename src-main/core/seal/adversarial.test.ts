/**
 * Adversarial tests of the POE engine (issue 9 item 2) on the in-process network: a test-held
 * byzantine participant (byzantine.ts) sends invalid proposals, bad seals, forged, replayed and
 * outsider votes, and ground tickets; honest nodes must never seal, vote for or finalise any
 * of it, certificates must hold only valid seals and precommits, and the network must keep
 * finalising while > 2/3 of the stake is honest and online, and stop (safely) when it is not.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { bigIntToHex, bytesToHex } from '@ethereumjs/util';
import { sha256 } from '@noble/hashes/sha2.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import type { Logger } from '../base';
import { commonFromGenesis, genesisBlock, Ledger, testAccounts, testDevnetGenesis, type DevnetGenesis } from '../chain';
import { blsSign } from '../crypto';
import { Byzantine, craftProposal, craftSeal, craftVote, Follower, storedCertificates, ticketSig, type ProposalPlan } from './byzantine';
import { bitsGet, decodeBody, MsgType, type Hex, type ProposalMsg } from './codec';
import { Kind, poeDigest } from './digest';
import { BODY_AUX } from './proposer';
import { ticketOf } from './sortition';
import { FAST_TIMEOUTS, staticSet, startTestNetwork, testKey, type TestNetwork, type TestNode, until } from './testing';
import type { PoeKey } from './types';
import { ticketDigest } from './verify';

let net: TestNetwork | null = null;
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
  await net?.close();
  net = null;
});

/** One process hosts every node on a shared machine: leave a proposal time to be checked and sealed. */
const SLOW_MACHINE = { ...FAST_TIMEOUTS, proposeMs: 3000 };
const node = (id: string) => net!.nodes.find((n) => n.id === id)!;
const head = (n: TestNode) => n.ledger.head.header.number;
const rnd = () => new Uint8Array(randomBytes(32));
const hex = (b: Uint8Array) => bytesToHex(b) as Hex;

/** Every node holds the same blocks up to the lowest head; returns that height. */
function expectSameChain(nodes: TestNode[]): bigint {
  const top = nodes.reduce((m, n) => (head(n) < m ? head(n) : m), head(nodes[0]!));
  for (let h = 1n; h <= top; h++) {
    const a = nodes[0]!.ledger.blockByNumber(h)!;
    for (const n of nodes.slice(1)) {
      const b = n.ledger.blockByNumber(h)!;
      expect(hex(b.hash())).toBe(hex(a.hash()));
      expect(hex(b.header.stateRoot)).toBe(hex(a.header.stateRoot));
    }
  }
  return top;
}

/**
 * A test devnet genesis (its timestamp moved back a few seconds at a time) whose seed makes
 * `key`'s round-0 proposer ticket better than every one of `others` at `heights` (≤ lookback,
 * where the seed is keccak256 of the genesis hash): its proposals are then examined first.
 */
async function genesisWhereBest(key: PoeKey, others: PoeKey[], heights: bigint[]): Promise<DevnetGenesis> {
  const base = await testDevnetGenesis(testAccounts(3));
  const ledger = await Ledger.open({ file: ':memory:', genesis: base });
  const [stateRoot, chainId] = [ledger.blockByNumber(0n)!.header.stateRoot, ledger.chainId];
  await ledger.close();
  for (let t = BigInt(base.timestamp as string), tries = 0; tries < 2000; t--, tries++) {
    const g = { ...base, timestamp: bigIntToHex(t) };
    const seed = keccak_256(genesisBlock(commonFromGenesis(g), stateRoot).hash());
    const best = heights.every((h) => {
      const digest = poeDigest(Kind.PROPOSE_TICKET, chainId, h, 0, seed);
      const mine = ticketOf(blsSign(key.blsSecret, digest));
      return others.every((o) => ticketOf(blsSign(o.blsSecret, digest)) > mine);
    });
    if (best) return g;
  }
  throw new Error('no such genesis in 2,000 tries');
}

describe('POE under attack: proposals, seals, votes, tickets', () => {
  it('refuses invalid proposals and bad seals, never certifies them, and keeps finalising', async () => {
    // 5 primaries (p3 byzantine, p4 byzantine with 1 wei of stake: its tickets never win),
    // 3 sealers (s1 byzantine, s2 byzantine with 1 wei: its seal tickets never win).
    const P = [0, 1, 2, 3, 4].map((i) => testKey(`primary ${i}`));
    const S = [0, 1, 2].map((i) => testKey(`sealer ${i}`));
    const outsider = testKey('outsider');
    const set = staticSet(P, S);
    set.primaries[4]!.stake = 1n;
    set.sealers[2]!.stake = 1n;
    set.totalPrimaryStake = set.primaries.reduce((s, v) => s + v.stake, 0n);
    set.totalSealerStake = set.sealers.reduce((s, v) => s + v.stake, 0n);
    const refusals: { id: string; error: string }[] = [];
    const logger = (id: string): Logger => ({
      debug() {},
      info: (msg, f) => void (msg === 'poe: invalid proposal' && refusals.push({ id, error: String(f?.error) })),
      warn() {},
      error() {},
    });
    // p3's tickets beat the honest ones at the attacked heights 2 and 3, so every honest node examines its blocks first.
    const genesis = await genesisWhereBest(P[3]!, P.slice(0, 3), [2n, 3n]);
    net = await startTestNetwork({
      genesis,
      primaries: 5,
      sealers: 3,
      sealerNodes: 3,
      readSet: async () => set,
      absent: ['p3', 'p4', 's1', 's2'],
      blockIntervalMs: 1500,
      params: { targets: { proposers: 4, seals: 8 }, timeouts: SLOW_MACHINE },
      logger,
    });
    const honest = ['p0', 'p1', 'p2', 's0'];
    const p0 = node('p0');
    const evidence: { id: string; offender: string; kind: number }[] = [];
    for (const n of net.nodes) n.engine.events.on('evidence', (e) => evidence.push({ id: n.id, offender: e.offender, kind: e.kind }));
    const byz = new Byzantine(net.hub);
    const follower = await Follower.open(net.genesis);
    cleanup.push(() => follower.close(), () => byz.close());
    const bad = new Map<Hex, string>(); // invalid block hash → what is wrong with it
    const HEIGHTS = 2;
    let attacked = 0;
    let attacking = true;

    // Invalid proposals, sent as soon as a height starts (before the honest ones, which wait for the interval).
    follower.ledger.events.on('head', (parent) => {
      if (!attacking || parent.header.number < 1n || parent.header.number > BigInt(HEIGHTS)) return; // heights 2 and 3
      attacked++;
      void (async () => {
        const h = parent.header.number + 1n;
        const ctx = await p0.engine.contexts.forHeight(h);
        const parentCtx = await p0.engine.contexts.forHeight(h - 1n);
        const p3 = P[3]!;
        const sealed: [string, ProposalPlan][] = [
          ['forged state root', { key: p3, round: 0, patchHeader: (f) => void (f[3] = rnd()) }],
          ['wrong withdrawals', { key: p3, round: 0, withdrawals: (w) => w.map((x, i) => (i === 0 ? { ...x, amount: BigInt(x.amount as bigint) + 1n } : x)) }],
          ['extraData not its body', { key: p3, round: 0, extraData: keccak_256(new TextEncoder().encode('not the body')) }],
          ['mixHash is not the ticket', { key: p3, round: 0, prevRandao: rnd() }],
          ['body ticket does not win', { key: p3, round: 0, bodyTicket: ticketSig(ctx, p3, Kind.PROPOSE_TICKET, 0, rnd()) }],
        ];
        // A ground ticket: the best of 16 signatures over seeds the proposer picked (what ECDSA-style extra entropy would allow).
        const ground = Array.from({ length: 16 }, () => ticketSig(ctx, p3, Kind.PROPOSE_TICKET, 0, rnd())).sort((a, b) => (ticketOf(a) < ticketOf(b) ? -1 : 1))[0]!;
        const unsealed: [string, ProposalPlan][] = [
          ...[0, 2].map((r): [string, ProposalPlan] => [`losing ticket, round ${r}`, { key: P[4]!, round: r }]),
          ['not a primary', { key: outsider, round: 0 }],
          ['a sealer proposing', { key: S[1]!, round: 0 }],
          ['ticket of another round', { key: p3, round: 1, ticket: ticketSig(ctx, p3, Kind.PROPOSE_TICKET, 0) }],
          ['ground ticket', { key: p3, round: 0, ticket: ground }],
        ];
        for (const [what, plan] of [...sealed, ...unsealed]) {
          const { msg, block } = await craftProposal(follower.ledger, ctx, parentCtx, plan);
          bad.set(hex(block.hash()), what);
          byz.send(msg);
          // s1 seals the invalid blocks (a valid seal by a registered sealer), so primaries examine them too.
          if (sealed.some(([w]) => w === what)) byz.send(craftSeal(ctx, { sealer: S[1]!, blockHash: block.hash(), blockRound: 0 }));
        }
      })().catch((err) => refusals.push({ id: 'byzantine', error: `attack failed: ${String(err)}` }));
    });
    follower.follow(p0);

    // Bad seals and forged votes on every honest proposal.
    const answered = new Set<string>();
    byz.on(({ msg, from }) => {
      if (!attacking || msg.type !== MsgType.PROPOSAL || !honest.includes(from)) return;
      const m = msg as ProposalMsg;
      const hash = p0.ledger.decodeBlock(m.block).hash();
      if (answered.has(hex(hash))) return;
      answered.add(hex(hash));
      void p0.engine.contexts.forHeight(m.height).then((ctx) => {
        const br = decodeBody(m.body).round;
        const seal = (sealer: PoeKey, o: Partial<Parameters<typeof craftSeal>[1]> = {}) => byz.send(craftSeal(ctx, { sealer, blockHash: hash, blockRound: br, ...o }));
        seal(S[1]!, { signer: S[2]! }); // wrong signature
        seal(S[1]!, { ticket: ticketSig(ctx, S[1]!, Kind.SEAL_TICKET, br, rnd()) }); // ticket over another seed
        seal(S[1]!, { as: { data: rnd() } }); // signature for another block
        seal(S[2]!); // valid signatures, ticket does not win
        seal(outsider); // not a sealer
        seal(P[3]!); // a primary, not a sealer
        for (const type of [MsgType.PREVOTE, MsgType.PRECOMMIT] as const) byz.send(craftVote(ctx, { type, voter: P[3]!, round: m.round, hash, signer: P[4]! }));
      });
    });

    const start = head(p0);
    await until(() => attacked >= HEIGHTS && honest.every((id) => head(node(id)) >= start + 4n), 100_000, 'four heights under attack');
    attacking = false;
    const nodes = honest.map(node);
    for (const h of [2n, 3n]) {
      const ctx = await p0.engine.contexts.forHeight(h);
      const priority = (k: PoeKey) => ticketOf(ticketSig(ctx, k, Kind.PROPOSE_TICKET, 0));
      expect(P.slice(0, 3).every((k) => priority(k) > priority(P[3]!))).toBe(true);
    }
    const top = expectSameChain(nodes);

    // Nothing invalid was final, sealed or voted for by an honest node.
    expect(bad.size).toBe(HEIGHTS * 11); // eleven invalid proposals per attacked height
    for (const n of nodes) for (let h = 1n; h <= head(n); h++) expect(bad.get(hex(n.ledger.blockByNumber(h)!.hash()))).toBeUndefined();
    const endorsed = byz.seen.filter((s) => honest.includes(s.from) && (s.msg.type === MsgType.SEAL || s.msg.type === MsgType.PREVOTE || s.msg.type === MsgType.PRECOMMIT));
    expect(endorsed.length).toBeGreaterThan(0);
    for (const s of endorsed) expect(bad.get(hex((s.msg as { blockHash: Uint8Array }).blockHash))).toBeUndefined();

    // Each kind of invalid block was examined and refused for its own reason.
    const reasons = refusals.map((r) => r.error);
    expect(reasons.filter((e) => e.startsWith('attack failed'))).toEqual([]);
    for (const why of [/invalid block stateRoot/, /withdrawals are not the rewards/, /extraData does not commit/, /prevRandao is not the proposer ticket/, /proposer ticket does not win/])
      expect(reasons.some((e) => why.test(e))).toBe(true);

    // Certificates hold only s0's seals and the honest primaries' precommits.
    for (const n of nodes) {
      const certs = storedCertificates(n.ledger);
      expect(certs.length).toBe(Number(head(n)));
      for (const { cert } of certs) {
        for (const s of cert.seals) expect(s.sealer).toBe(S[0]!.address);
        for (const i of [3, 4]) expect(bitsGet(cert.precommitBits, i)).toBe(false);
      }
      expect(certs.filter((c) => c.cert.seals.length > 0).length).toBeGreaterThan(0);
    }

    // Five proposals of p3 in one round: the honest nodes hold proposal equivocation evidence.
    expect(evidence.some((e) => e.offender === P[3]!.address && e.kind === Kind.PROPOSAL)).toBe(true);

    // No grinding: each final block's ticket is the proposer's one signature over (height, round, seed of h − lookback).
    for (let h = 1n; h <= top; h++) {
      const b = p0.ledger.blockByNumber(h)!;
      const body = decodeBody(p0.ledger.aux(b.hash(), BODY_AUX)!);
      const key = P.find((k) => k.address === b.header.coinbase.toString())!;
      expect(P.slice(0, 3)).toContain(key);
      const ctx = await p0.engine.contexts.forHeight(h);
      const expected = blsSign(key.blsSecret, ticketDigest(ctx, Kind.PROPOSE_TICKET, body.round));
      expect(hex(body.ticketSig)).toBe(hex(expected));
      expect(hex(b.header.mixHash)).toBe(hex(sha256(expected)));
    }
  }, 120_000);
});
