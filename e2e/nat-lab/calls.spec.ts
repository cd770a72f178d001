/**
 * @module e2e/nat-lab/calls.spec
 * A call through a router relay in the NAT lab (issue 11 item 7), driven only through the
 * built CLI (`bitunicom calls …`): two clients behind symmetric NATs (bu-sym1, bu-sym2), whose
 * link can only be `relayed` through an application router, ring, answer and hang up.
 *
 * Without a UI no audio or video frames flow, but once a call is answered each side's media
 * session sends encrypted receiver reports (media packets) every ~300 ms, so the call reaches
 * 'active' and `calls stats --json` reports the RTT of the media path. That RTT, the relayed
 * link in the stats and the growth of bu-nat-sym1's conntrack byte counters towards a router
 * during the call are the evidence that the encrypted media path runs through the relay.
 * Each conversation keeps the call as a message of kind 'call'.
 */
import { describe, expect, it } from 'vitest';
import { conntrackBytes, ROUTER_PORT, sameAddress, type BuNode, type Message } from './bu-cli';
import { befriend, exchange, expectLink, freshNode, labSuite, log, scenario } from './flows';
import { hostAddress, sleep, waitFor, type ClientHost } from './lab';

const { routers, nodes } = labSuite();

/** The parts of the contract's Call (src-preload/contract/calls.ts) the case looks at. */
type Call = {
  id: string;
  peer: string;
  direction: 'outgoing' | 'incoming';
  state: 'outgoing' | 'incoming' | 'connecting' | 'active' | 'reconnecting' | 'ended';
  video: boolean;
  answeredAt: number | null;
  endedAt: number | null;
  endReason: string | null;
  link: 'direct' | 'punched' | 'relayed' | 'none';
};
type CallStats = { callId: string; state: Call['state']; durationMs: number; link: Call['link']; rttMs: number | null; packetsReceived: number };
type CallRecord = { id: string; direction: 'outgoing' | 'incoming'; video: boolean; outcome: string; durationMs: number };
type CallMessage = Message & { call?: CallRecord | null };

const CALL_TIMEOUT = 30_000;
/** How long the call stays up while the RTT is sampled and the NAT's counters are read. */
const ACTIVE_WINDOW_MS = 8_000;

async function node(host: ClientHost): Promise<BuNode> {
  const n = await freshNode(nodes, host, host.replace('bu-', ''));
  log(`${n.label}@${host} serving ${n.address} on ${n.listen}`);
  return n;
}

const current = (n: BuNode): Promise<Call | null> => n.cli<Call | null>(['calls', 'current']);
const stats = (n: BuNode): Promise<CallStats> => n.cli<CallStats>(['calls', 'stats']);

/** Waits until `n`'s current call is `id` in `state`. */
function callIn(n: BuNode, id: string, state: Call['state']): Promise<Call> {
  let seen = '';
  return waitFor(
    async () => {
      const c = await current(n);
      seen = JSON.stringify(c);
      return c?.id === id && c.state === state ? c : undefined;
    },
    { timeoutMs: CALL_TIMEOUT, intervalMs: 300, what: `${n.label}'s call ${id} to be ${state}`, describe: () => `last calls current: ${seen}` },
  );
}

/** Waits until `n` has no live call any more (current is null or the call ended). */
function callEnded(n: BuNode, id: string): Promise<Call | null> {
  let seen = '';
  return waitFor(
    async () => {
      const c = await current(n);
      seen = JSON.stringify(c);
      if (c === null) return null;
      return c.id === id && c.state === 'ended' ? c : undefined;
    },
    { timeoutMs: CALL_TIMEOUT, intervalMs: 300, what: `${n.label}'s call ${id} to end`, describe: () => `last calls current: ${seen}` },
  );
}

/** The call record of `id` in `n`'s conversation with `peer` (waits for it). */
function callRecordOf(n: BuNode, peer: BuNode, id: string): Promise<CallMessage> {
  return waitFor(async () => ((await n.messages(peer.address, 50)) as CallMessage[]).find((m) => m.call?.id === id), {
    timeoutMs: CALL_TIMEOUT,
    what: `${n.label}'s conversation with ${peer.label} to hold the record of call ${id}`,
  });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

describe('NAT lab calls (bitunicom CLI)', () => {
  it(
    'sym1 ↔ sym2: a call over the router relay rings, answers, measures the media RTT and hangs up; both keep the record',
    scenario(nodes, routers, async () => {
      const t0 = Date.now();
      const [s1, s2] = await Promise.all([node('bu-sym1'), node('bu-sym2')]);
      await befriend(s1, s2);
      await exchange(s1, s2, 'warm-up', 1);
      await expectLink(s1, s2, ['relayed']);
      await expectLink(s2, s1, ['relayed']);
      log(`friends over a relayed link after ${Date.now() - t0} ms`);

      const nat = 'bu-nat-sym1';
      const bytes = () => Promise.all(routers.map((r) => conntrackBytes(nat, hostAddress(r.host), ROUTER_PORT)));
      const idleFrom = await bytes();
      await sleep(ACTIVE_WINDOW_MS);
      const idleTo = await bytes();
      const idle = idleTo.map((b, i) => b - idleFrom[i]!);

      // Ring.
      const out = await s1.cli<Call>(['calls', 'start', s2.address]);
      expect(out.direction, 'the caller’s call').toBe('outgoing');
      expect(out.state, 'the caller’s call right after start').toBe('outgoing');
      expect(sameAddress(out.peer, s2.address), 'the call is to s2').toBe(true);
      const ringing = await callIn(s2, out.id, 'incoming');
      expect(ringing.direction).toBe('incoming');
      expect(sameAddress(ringing.peer, s1.address), 's2 is rung by s1').toBe(true);

      // Answer: both sides get to 'active' over the relay.
      const answered = await s2.cli<Call>(['calls', 'answer']);
      expect(answered.id, 'answer without an id takes the ringing call').toBe(out.id);
      const [a1, a2] = await Promise.all([callIn(s1, out.id, 'active'), callIn(s2, out.id, 'active')]);
      expect([a1.link, a2.link], 'the call’s link on both sides').toEqual(['relayed', 'relayed']);
      const activeFrom = await bytes();
      const activeAt = Date.now();

      // The media path: receiver reports give each side an RTT; sample it while the call is up.
      const rtts: Record<string, number[]> = { s1: [], s2: [] };
      while (Date.now() - activeAt < ACTIVE_WINDOW_MS || rtts.s1!.length === 0 || rtts.s2!.length === 0) {
        if (Date.now() - activeAt > CALL_TIMEOUT) throw new Error(`no media RTT within ${CALL_TIMEOUT} ms of the call being active: ${JSON.stringify(rtts)}`);
        for (const [name, n] of [['s1', s1], ['s2', s2]] as const) {
          const s = await stats(n);
          expect(s.callId, `${name}'s stats are of the call`).toBe(out.id);
          expect(s.link, `${name}'s call link (stats ${JSON.stringify(s)})`).toBe('relayed');
          expect(['active'], `${name}'s call state during the window`).toContain(s.state);
          if (s.rttMs !== null) {
            expect(s.rttMs, `${name}'s media rttMs`).toBeGreaterThan(0);
            rtts[name]!.push(s.rttMs);
          }
        }
        await sleep(1000);
      }
      const activeTo = await bytes();
      const during = activeTo.map((b, i) => b - activeFrom[i]!);
      const windowMs = Date.now() - activeAt;
      const last1 = await stats(s1);
      const last2 = await stats(s2);
      expect(last1.packetsReceived, 's1 received media packets (s2’s receiver reports)').toBeGreaterThan(0);
      expect(last2.packetsReceived, 's2 received media packets (s1’s receiver reports)').toBeGreaterThan(0);
      for (const name of ['s1', 's2'] as const) {
        const r = rtts[name]!;
        log(`media RTT through the relay, ${name}: median ${median(r)} ms, min ${Math.min(...r)} ms, max ${Math.max(...r)} ms (${r.length} samples)`);
      }
      log(`${nat} bytes towards the routers: idle ${ACTIVE_WINDOW_MS} ms ${routers.map((r, i) => `${r.host}=${idle[i]}`).join(', ')}; call ${windowMs} ms ${routers.map((r, i) => `${r.host}=${during[i]}`).join(', ')}`);
      const relayIdx = during[0]! >= during[1]! ? 0 : 1;
      log(`the call is relayed by ${routers[relayIdx]!.host}; packets received s1=${last1.packetsReceived}, s2=${last2.packetsReceived}`);
      // ~3 reports a second each way, each an encrypted datagram through the relay circuit.
      expect(during[relayIdx], `the call's media must be visible at one router (${JSON.stringify({ idle, during })})`).toBeGreaterThan(2000);
      expect(during[relayIdx], `the call adds traffic over the idle relayed link (${JSON.stringify({ idle, during })})`).toBeGreaterThan(idle[relayIdx]!);

      // Hang up from s2: both end, s1 because the friend hung up.
      const hung = await s2.cli<Call>(['calls', 'hangup']);
      expect(hung.id).toBe(out.id);
      expect([hung.state, hung.endReason], 's2 after its hangup').toEqual(['ended', 'hangup']);
      const [e1] = await Promise.all([callEnded(s1, out.id), callEnded(s2, out.id)]);
      if (e1) expect(e1.endReason, 's1 sees the friend hang up').toBe('remote-hangup');

      // Each conversation holds the call as a message of kind 'call'.
      const [m1, m2] = await Promise.all([callRecordOf(s1, s2, out.id), callRecordOf(s2, s1, out.id)]);
      log(`call records: s1 "${m1.text}" ${JSON.stringify(m1.call)}; s2 "${m2.text}" ${JSON.stringify(m2.call)}`);
      expect([m1.direction, m1.call!.direction, m1.call!.outcome, m1.call!.video], 's1’s record').toEqual(['out', 'outgoing', 'answered', false]);
      expect([m2.direction, m2.call!.direction, m2.call!.outcome, m2.call!.video], 's2’s record').toEqual(['in', 'incoming', 'answered', false]);
      for (const m of [m1, m2]) {
        expect(m.text, 'the record’s summary names the call').toMatch(/voice call/i);
        expect(m.call!.durationMs, 'an answered call has a duration').toBeGreaterThanOrEqual(ACTIVE_WINDOW_MS - 1000);
      }
      log(`case done in ${Date.now() - t0} ms`);
      await Promise.all([s1.stop(), s2.stop()]);
    }),
    300_000,
  );
});
