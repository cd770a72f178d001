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
 *
 * The second case drives the same call through each node's UI in Chromium (browser.ts, run
 * inside the node's namespace), each fake microphone playing its own tone: each side must play
 * out the other's tone (FFT), and what both routers' namespaces recorded during the call
 * (capture.ts, call-evidence.ts) must be ciphertext relayed byte for byte — no call id, no PCM.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { checkTone } from '../support/audio';
import { conntrackBytes, ROUTER_PORT, sameAddress, type BuNode, type Message } from './bu-cli';
import { conversationOf, openBrowsers, openUi, played, uiCallState } from './browser';
import { startCapture } from './capture';
import { assertCiphertextOnly } from './call-evidence';
import { befriend, exchange, expectLink, freshNode, labSuite, log, scenario } from './flows';
import { hostAddress, siteOf, sleep, waitFor, type ClientHost } from './lab';

const { routers, nodes } = labSuite();
// Registered after labSuite's hooks, so it runs before the lab is removed.
afterAll(async () => void (await Promise.all(openBrowsers.map((b) => b.close()))));

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
/** The tone each UI's fake microphone plays. */
const TONES = { s1: 440, s2: 1000 };

async function node(host: ClientHost): Promise<BuNode> {
  const n = await freshNode(nodes, host, host.replace('bu-', ''));
  log(`${n.label}@${host} serving ${n.address} on ${n.listen}`);
  return n;
}

/** Fresh nodes on bu-sym1 and bu-sym2, befriended, whose link is relayed both ways. */
async function relayedFriends(): Promise<[BuNode, BuNode]> {
  const t0 = Date.now();
  const [s1, s2] = await Promise.all([node('bu-sym1'), node('bu-sym2')]);
  await befriend(s1, s2);
  await exchange(s1, s2, 'warm-up', 1);
  await expectLink(s1, s2, ['relayed']);
  await expectLink(s2, s1, ['relayed']);
  log(`friends over a relayed link after ${Date.now() - t0} ms`);
  return [s1, s2];
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
      const [s1, s2] = await relayedFriends();

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

  it(
    'sym1 ↔ sym2 in the UI: each side plays the other’s tone through the relay; the router sees only ciphertext',
    scenario(nodes, routers, async () => {
      const t0 = Date.now();
      const [s1, s2] = await relayedFriends();

      // Each UI in Chromium inside its node's namespace, each microphone playing its own tone.
      const [u1, u2] = await Promise.all([openUi(s1, TONES.s1), openUi(s2, TONES.s2)]);
      try {
        log(`UIs open in bu-sym1 and bu-sym2 after ${Date.now() - t0} ms`);
        // Ring from the conversation header; answer on the incoming-call screen.
        await conversationOf(u1.page, s2.address).click();
        const start = u1.page.getByTestId('call-start-voice');
        await expect.poll(() => start.isEnabled(), { timeout: CALL_TIMEOUT }).toBe(true);
        await start.click();
        await u2.page.getByTestId('incoming-call').waitFor({ timeout: CALL_TIMEOUT });
        expect(await u2.page.getByTestId('incoming-call').innerText(), 'the incoming-call screen names the caller').toContain(s1.label);
        await u2.page.getByTestId('call-accept').click();
        await expect.poll(() => uiCallState(u1.page), { timeout: CALL_TIMEOUT }).toBe('active');
        await expect.poll(() => uiCallState(u2.page), { timeout: CALL_TIMEOUT }).toBe('active');
        const call = await current(s1);
        expect(call?.state, 'the CLI sees the UI’s call').toBe('active');
        const id = call!.id;
        const [a1, a2] = await Promise.all([callIn(s1, id, 'active'), callIn(s2, id, 'active')]).catch(async (e: unknown) => {
          const ui = await Promise.all([uiCallState(u1.page), uiCallState(u2.page)]).catch(() => ['?', '?']);
          throw new Error(`${e instanceof Error ? e.message : String(e)}\n(the UIs' call-state meanwhile: s1 ${ui[0]}, s2 ${ui[1]})`, { cause: e });
        });
        expect([a1.link, a2.link], 'the call’s link on both sides').toEqual(['relayed', 'relayed']);

        // The window: both routers record, the NAT's counters run, the link stays relayed.
        const nat = 'bu-nat-sym1';
        const bytes = () => Promise.all(routers.map((r) => conntrackBytes(nat, hostAddress(r.host), ROUTER_PORT)));
        const captures = await Promise.all(routers.map((r) => startCapture(r.host, ROUTER_PORT)));
        const from = await bytes();
        const windowFrom = Date.now();
        let samples = 0;
        while (Date.now() - windowFrom < ACTIVE_WINDOW_MS) {
          const sts = await Promise.all([stats(s1), stats(s2)]);
          for (const [i, st] of sts.entries()) expect([st.callId, st.state, st.link], `s${i + 1}'s call during the window (${JSON.stringify(st)})`).toEqual([id, 'active', 'relayed']);
          samples++;
          await sleep(1000);
        }
        const probedAt = Date.now();
        const [at1, at2] = await Promise.all([played(u1.page, 3), played(u2.page, 3)]);
        const windowMs = Date.now() - windowFrom;
        const recorded = await Promise.all(captures.map((c) => c.stop()));
        const during = (await bytes()).map((b, i) => b - from[i]!);
        log(`call window ${windowMs} ms: ${samples} stats samples of both sides, all active and relayed; reading the probes took ${Date.now() - probedAt} ms`);

        // Each side played the other's tone.
        for (const [name, at, hz] of [['s1', at1, TONES.s2], ['s2', at2, TONES.s1]] as const) {
          expect(at, `${name}'s call probe`).not.toBeNull();
          expect(at!.callId, `${name}'s probe is of the call`).toBe(id);
          const heard = checkTone(at!.samples, hz);
          const st = at!.stats;
          log(
            `${name} hears ${heard.peakHz.toFixed(0)} Hz (sent ${hz} Hz), SNR ${heard.snrDb.toFixed(1)} dB, rms ${heard.rms.toFixed(3)}, capture→playout ${Math.round(st.latencyMs ?? NaN)} ms ` +
              `(capture→arrival ${Math.round(st.transitMs ?? NaN)} ms, ring ${Math.round(st.marginMs)} ms, buffer ${Math.round(st.bufferMs)}/${Math.round(st.targetBufferMs)} ms), concealed ${Math.round(st.concealedMs)} of ${Math.round(st.playedMs)} ms`,
          );
          expect(Math.abs(heard.peakHz - hz), `${name}'s loudest frequency`).toBeLessThan(15);
          expect(heard.snrDb, `${name}'s tone SNR`).toBeGreaterThan(10);
          expect(st.latencyMs, `${name}'s capture→playout latency`).toBeGreaterThan(0);
        }

        // The routers saw ciphertext only.
        for (const [i, r] of recorded.entries()) log(`${routers[i]!.host} capture: ${JSON.stringify(r.summary)}`);
        const ev = assertCiphertextOnly({
          captures: Object.fromEntries(recorded.map((r, i) => [routers[i]!.host, r.datagrams])),
          callId: id,
          tonesHz: [TONES.s1, TONES.s2],
          a: siteOf('bu-sym1').wan,
          b: siteOf('bu-sym2').wan,
          windowMs,
          log,
        });
        const relayIdx = routers.findIndex((r) => r.host === ev.relay);
        log(`${nat} bytes towards the routers during the ${windowMs} ms window: ${routers.map((r, i) => `${r.host}=${during[i]}`).join(', ')}`);
        expect(during[relayIdx], `${nat}'s conntrack bytes towards the relaying ${ev.relay} (${JSON.stringify(during)})`).toBeGreaterThan(50_000);

        // Hang up in the UI: both sides end, each keeps the answered call.
        await u1.page.getByTestId('call-hangup').click();
        const [e1, e2] = await Promise.all([callEnded(s1, id), callEnded(s2, id)]);
        if (e2) expect(e2.endReason, 's2 sees the friend hang up').toBe('remote-hangup');
        if (e1) expect(e1.endReason, 's1 hung up').toBe('hangup');
        const [m1, m2] = await Promise.all([callRecordOf(s1, s2, id), callRecordOf(s2, s1, id)]);
        expect([m1.call!.outcome, m2.call!.outcome], 'both records').toEqual(['answered', 'answered']);
      } finally {
        await Promise.all([u1.close(), u2.close()]);
      }
      log(`case done in ${Date.now() - t0} ms`);
      await Promise.all([s1.stop(), s2.stop()]);
    }),
    300_000,
  );
});
