/**
 * Product scenarios in the NAT lab beyond the traversal matrix (matrix.spec.ts), driven only
 * through the built CLI (`out/main/cli.js`): two application routers (r1 bootstrap, r2 joining
 * through r1) and clients that know nothing but `--bootstrap 10.99.11.2:7000`.
 *
 * (c) offline → router mailbox → back online: exactly once
 * (d) the router carrying a relayed conversation is killed: the conversation moves to the
 *     other router (or a direct path) without losing or duplicating a message
 *
 * Moving an account to a new machine is restore.spec.ts. Failures print every node's status,
 * the NATs' conntrack tables and the process logs.
 */
import { describe, expect, it } from 'vitest';
import { conntrackBytes, ROUTER_PORT, type BuNode } from './bu-cli';
import { befriend, BOOTSTRAP, exchange, expectDelivered, expectLink, freshNode, labSuite, log, scenario, sendAll, texts } from './flows';
import { hostAddress, sleep, type ClientHost } from './lab';

const { routers, nodes } = labSuite();

async function node(host: ClientHost): Promise<BuNode> {
  const n = await freshNode(nodes, host, host.replace('bu-', ''));
  log(`${n.label}@${host} serving ${n.address} on ${n.listen}`);
  return n;
}

describe('NAT lab product scenarios (bitunicom CLI)', () => {
  it(
    '(c) offline → mailbox → back online: exactly once',
    scenario(nodes, routers, async () => {
      const [c1, c2] = await Promise.all([node('bu-drop1'), node('bu-ans2')]);
      await befriend(c1, c2);
      await c2.stop();
      const first = texts(c1, c2, 'mailbox', 5);
      await sendAll(c1, c2, first);
      await sleep(5000);
      const waiting = (await c1.messages(c2.address)).filter((m) => first.includes(m.text));
      expect(waiting.map((m) => m.state), 'while c2 is offline nothing is delivered or failed').toEqual(first.map(() => expect.stringMatching(/^(sending|sent)$/)));
      await c2.serve(BOOTSTRAP);
      await expectDelivered(c1, c2, first);
      await Promise.all([c1.stop(), c2.stop()]);
    }),
    600_000,
  );

  it(
    '(d) the router relaying a conversation is killed: traffic moves to the other router or a direct path, no loss, no duplicates',
    scenario(nodes, routers, async () => {
      const [s1, s2] = await Promise.all([node('bu-sym1'), node('bu-sym2')]);
      await befriend(s1, s2);
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
