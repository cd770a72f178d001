/**
 * The traversal matrix (issue 7): two fresh accounts per case, one behind each of two NATs of
 * the lab (README: site table), befriend through the DHT and the routers only, then exchange
 * messages. Each case asserts the link type seen FIRST (sampled from before the invite is added,
 * so a relayed phase before a punch would show) and FINALLY, that every message arrives exactly
 * once, the NAT type each node detected for itself, and — when relayed — that status says why.
 *
 * `a` is always the side that adds the invite, i.e. the requester of the rendezvous; `b` is the
 * introduced side (ar/punch.ts). With BU_NATLAB_RESULTS=FILE the per-case figures are written
 * there as JSON (`npm run bench -- --natlab` prints them).
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BuNode, Link } from './bu-cli';
import { befriend, exchange, expectDelivered, freshNode, labSuite, log, scenario, sendAll, texts, watchLink } from './flows';
import { CLIENTS, PUBLIC_HOSTS, sleep, SITES, waitFor, type NodeHost } from './lab';

type Case = { id: string; a: NodeHost; b: NodeHost; link: Link; why: string; upgrade?: boolean };

/** Endpoint-independent mapping on both sides: punched on the first attempt, whatever else. */
const PUNCH: Case[] = [
  { id: 'eim-drop', a: 'bu-drop1', b: 'bu-drop2', link: 'punched', why: 'APDF filtering, routers drop unsolicited input' },
  { id: 'eim-reject', a: 'bu-rej1', b: 'bu-rej2', link: 'punched', why: 'APDF, routers reject (ICMP) unsolicited input' },
  { id: 'eim-answer', a: 'bu-ans1', b: 'bu-ans2', link: 'punched', why: 'APDF, routers answer unsolicited input (the bug report)' },
  { id: 'adf-answer', a: 'bu-adf', b: 'bu-ans1', link: 'punched', why: 'address-dependent filtering meets APDF' },
  { id: 'reject-eif', a: 'bu-rej1', b: 'bu-eif', link: 'punched', why: 'endpoint-independent filtering on the introduced side' },
  { id: 'nopp-answer', a: 'bu-nopp', b: 'bu-ans2', link: 'punched', why: 'requester NAT does not preserve the port' },
  { id: 'drop-nopp', a: 'bu-drop1', b: 'bu-nopp', link: 'punched', why: 'introduced NAT does not preserve the port' },
  { id: 'public-nat', a: 'bu-pub1', b: 'bu-ans1', link: 'punched', why: 'public host adds a NATed friend' },
];
/** Both behind one NAT: the LAN path, with and without hairpinning. */
const SAME_NAT: Case[] = [
  { id: 'hairpin-on', a: 'bu-hpon', b: 'bu-hponb', link: 'direct', why: 'same NAT, hairpinning on' },
  { id: 'hairpin-off', a: 'bu-hpoff', b: 'bu-hpoffb', link: 'direct', why: 'same NAT, hairpinning off' },
  { id: 'nat-public', a: 'bu-ans2', b: 'bu-pub1', link: 'direct', why: 'NATed host adds a public friend (its invite is routable)' },
];
/** Endpoint-dependent mapping on one side: punched where the other side's filtering allows it. */
const ONE_SYMMETRIC: Case[] = [
  { id: 'sym-eif', a: 'bu-sym1', b: 'bu-eif', link: 'punched', why: 'symmetric requester, full-cone friend' },
  { id: 'eif-sym', a: 'bu-eif', b: 'bu-sym2', link: 'punched', why: 'full-cone requester, symmetric friend (its delayed INITs)' },
  { id: 'sym-adf', a: 'bu-sym2', b: 'bu-adf', link: 'punched', why: 'symmetric requester, address-restricted friend' },
  { id: 'adf-sym', a: 'bu-adf', b: 'bu-sym1', link: 'punched', why: 'address-restricted requester, symmetric friend' },
  { id: 'sym-apdf', a: 'bu-sym1', b: 'bu-ans1', link: 'relayed', why: 'symmetric vs port-restricted: no prediction, relay' },
  { id: 'apdf-sym', a: 'bu-drop2', b: 'bu-sym2', link: 'relayed', why: 'port-restricted vs symmetric: relay' },
];
const BOTH_SYMMETRIC: Case[] = [{ id: 'sym-sym', a: 'bu-sym1', b: 'bu-sym2', link: 'relayed', why: 'both symmetric: relay, upgrades keep being tried', upgrade: true }];

const results: Array<{ id: string; a: string; b: string; expected: Link; history: Link[]; final: Link | null; msToLink: number | null; ok: boolean }> = [];

function expectedNat(host: NodeHost): string {
  if (host in PUBLIC_HOSTS) return 'open';
  return SITES[CLIENTS[host as keyof typeof CLIENTS].site].mapping === 'edm' ? 'symmetric' : 'cone';
}

const { routers, nodes } = labSuite({
  after: () => {
    const file = process.env.BU_NATLAB_RESULTS;
    if (file) writeFileSync(file, JSON.stringify({ cases: results }, null, 2));
  },
});

async function runCase(c: Case): Promise<void> {
  const [a, b] = await Promise.all([freshNode(nodes, c.a, `${c.id}-a`), freshNode(nodes, c.b, `${c.id}-b`)]);
  // Both know their NAT before the friendship starts (two routers observed each mapping).
  for (const n of [a, b]) {
    await waitFor(async () => ((await n.status()).nat.type !== 'unknown' ? true : undefined), { timeoutMs: 30_000, what: `${n.label} to classify its NAT` });
    expect((await n.status()).nat.type, `${n.label}@${n.host} NAT type`).toBe(expectedNat(n.host));
  }
  const wa = watchLink(a, b.address);
  const wb = watchLink(b, a.address);
  const result = { id: c.id, a: c.a, b: c.b, expected: c.link, history: [] as Link[], final: null as Link | null, msToLink: null as number | null, ok: false };
  results.push(result);
  const addedAt = await befriend(a, b);
  const since = (await a.peer(b.address))?.since ?? null;
  await exchange(a, b, c.id, 5);
  if (c.upgrade) await keepsTryingToUpgrade(a, b);
  const [ha, hb] = await Promise.all([wa.stop(), wb.stop()]);
  result.history = ha;
  // the session a's node established first (its clock, as is Date.now() here), from adding the invite
  result.msToLink = since === null ? null : since - addedAt;
  log(`${c.id} (${c.why}): a ${ha.join(' → ')}; b ${hb.join(' → ')}; session ${result.msToLink} ms after the invite was added`);
  const pa = (await a.peer(b.address))!;
  const pb = (await b.peer(a.address))!;
  result.final = pa.link;
  // First and final: the link never showed anything but the expected kind.
  expect(new Set(ha.filter((l) => l !== 'none')), `${c.id}: a's link states`).toEqual(new Set([c.link]));
  expect(new Set(hb.filter((l) => l !== 'none')), `${c.id}: b's link states`).toEqual(new Set([c.link]));
  expect([pa.link, pb.link]).toEqual([c.link, c.link]);
  expect(pa.rttMs, 'rttMs').toBeGreaterThan(0);
  if (c.link === 'relayed') {
    expect(pa.reason, `${c.id}: a says why it is relayed`).toMatch(/^(punch|upgrade): introduced, but no answer through the friend's mapping/);
    expect(pa.tried?.some((s) => (s.step === 'punch' || s.step === 'upgrade') && !s.ok), `${c.id}: the failed punch is in the trace`).toBe(true);
  } else expect(pa.reason ?? null, `${c.id}: no reason when ${c.link}`).toBeNull();
  result.ok = true;
  await Promise.all([a.stop(), b.stop()]);
}

/** Relayed link: a rendezvous is tried again (status shows it) while messages keep flowing. */
async function keepsTryingToUpgrade(a: BuNode, b: BuNode): Promise<void> {
  const during = texts(a, b, 'during-upgrade', 12);
  const back = texts(b, a, 'during-upgrade', 12);
  let i = 0;
  await waitFor(
    async () => {
      if (i < during.length) {
        await Promise.all([sendAll(a, b, [during[i]!]), sendAll(b, a, [back[i]!])]);
        i++;
      }
      const p = await a.peer(b.address);
      return p?.tried?.some((s) => s.step === 'upgrade') ? true : undefined;
    },
    { timeoutMs: 75_000, intervalMs: 3000, what: `${a.label} to try upgrading its relayed link` },
  );
  await sleep(500);
  await Promise.all([expectDelivered(a, b, during.slice(0, i)), expectDelivered(b, a, back.slice(0, i))]);
}

describe('NAT traversal matrix (bitunicom CLI)', () => {
  for (const [group, list] of [
    ['both endpoint-independent', PUNCH],
    ['same NAT / public host', SAME_NAT],
    ['one side symmetric', ONE_SYMMETRIC],
    ['both symmetric', BOTH_SYMMETRIC],
  ] as const) {
    describe(group, () => {
      for (const c of list) it(`${c.id}: ${c.why} → ${c.link}`, scenario(nodes, routers, () => runCase(c)), c.upgrade ? 300_000 : 180_000);
    });
  }
});
