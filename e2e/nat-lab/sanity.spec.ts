/**
 * The NAT lab behaves as its site table says (RFC 4787 terms), proven with plain node:dgram
 * (fixtures/udp-tool.mjs), no application code:
 * - mapping: endpoint-independent sites show r1 and r2 the same public port (= the local port,
 *   or p - 10000 for nopp), endpoint-dependent sites different ports;
 * - filtering: after a client sent to r1:A, r1 from another port gets in only for EIF and ADF,
 *   r2 only for EIF;
 * - unsolicited input to the NAT itself: dropped (silence), rejected (ICMP, no state) or
 *   answered (ICMP and a confirmed conntrack entry), and what that entry does to a later
 *   outbound flow (the port clash), and that a TTL-2 opener avoids it;
 * - TTL: a TTL-2 datagram opens the client's NAT mapping but dies in the core, TTL 3 arrives;
 * - hairpinning on/off; cone↔cone rendezvous punching works, sym↔sym does not;
 * - private LANs are unreachable, and only the core and the NATs forward.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALL_HOSTS,
  assertRoot,
  CLIENTS,
  CORE,
  exec,
  hostAddress,
  isClientHost,
  labDown,
  labStatus,
  labUp,
  NODE_HOSTS,
  nodePortsOf,
  NOPP_OFFSET,
  publicAddressOf,
  SITE_NAMES,
  SITES,
  sleep,
  spawnIn,
  stopAll,
  type LabHost,
  type LabProcess,
  type NatHost,
  type NodeHost,
  type SiteName,
} from './lab';

const TOOL = fileURLToPath(new URL('./fixtures/udp-tool.mjs', import.meta.url));
const PORT = 3478;
const R1_IP = hostAddress('bu-r1');
const R2_IP = hostAddress('bu-r2');
const R1 = `${R1_IP}:${PORT}`;
const R2 = `${R2_IP}:${PORT}`;

type Json = Record<string, unknown>;

/** Runs udp-tool in `host` and returns its last stdout line as JSON (the result). */
async function tool(host: LabHost, args: string[], timeoutMs = 30_000): Promise<Json> {
  const r = await exec(host, ['node', TOOL, ...args], { timeoutMs });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  if (r.code !== 0 || !last.startsWith('{')) {
    throw new Error(`udp-tool ${args.join(' ')} in ${host} failed (exit ${r.code}, signal ${r.signal})\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  }
  const v = JSON.parse(last) as Json;
  if (v.error) throw new Error(`udp-tool ${args.join(' ')} in ${host}: ${String(v.error)}\n${r.stdout}${r.stderr}`);
  return v;
}

/** Starts udp-tool in `host` and resolves once it printed `{event: <event>}`. */
async function toolBackground(host: LabHost, args: string[], event: string): Promise<{ p: LabProcess; first: Json; result: Promise<Json> }> {
  const p = spawnIn(host, ['node', TOOL, ...args], { name: `${host} udp-tool ${args[0]}` });
  const first = JSON.parse(await p.waitForLine(new RegExp(`"event":"${event}"`), 15_000)) as Json;
  const result = p.waitForLine(/"result":/, 60_000).then((l) => JSON.parse(l) as Json);
  return { p, first, result };
}

/** UDP conntrack entries in a NAT namespace matching the given `conntrack -L` filters. */
async function conntrack(nat: NatHost, filters: string[]): Promise<string[]> {
  const r = await exec(nat, ['conntrack', '-L', '-p', 'udp', ...filters], { timeoutMs: 10_000 });
  if (r.code !== 0) throw new Error(`conntrack -L in ${nat} failed (exit ${r.code}): ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l.startsWith('udp'));
}

function portOf(s: unknown): number {
  const m = /^(\d+\.\d+\.\d+\.\d+):(\d+)$/.exec(String(s));
  if (!m) throw new Error(`not an ip:port: ${String(s)}`);
  return Number(m[2]);
}

/** Port `offset` of `host`'s node port range (each test uses its own offset, so no flow is shared). */
const nodePort = (host: NodeHost, offset: number): number => nodePortsOf(host)[0] + offset;
const firstClient = (site: SiteName) => SITES[site].clients[0]!;
const bySite = <T>(f: (site: SiteName, i: number) => Promise<T>): Promise<T[]> => Promise.all(SITE_NAMES.map(f));

beforeAll(async () => {
  assertRoot();
  await labUp({ fresh: true }); // empty conntrack tables: every mapping below is new
  for (const host of ['bu-r1', 'bu-r2'] as const) {
    const s = spawnIn(host, ['node', TOOL, 'server', String(PORT)], { name: `${host} observer` });
    await s.waitForLine(/"event":"ready"/, 15_000);
  }
}, 120_000);

afterAll(async () => {
  await stopAll();
  await labDown();
}, 120_000);

describe('NAT lab sanity (plain UDP, no app code)', () => {
  it('lab.sh status is healthy and lists exactly the hosts lab.ts knows', async () => {
    const st = await labStatus();
    expect(st.code, `lab not healthy:\n${st.stdout}${st.stderr}`).toBe(0);
    const listed = [...st.stdout.matchAll(/^ {2}(bu-\S+)\s+ok\s/gm)].map((m) => m[1]);
    expect(new Set(listed).size, 'each host listed once').toBe(listed.length);
    expect([...listed].sort()).toEqual([...ALL_HOSTS].sort());
  });

  it('mapping: endpoint-independent sites show r1 and r2 one public port, endpoint-dependent ones two', async () => {
    await Promise.all(
      NODE_HOSTS.map(async (host) => {
        const lport = nodePort(host, 0);
        const r = await tool(host, ['probe', String(lport), R1, R2]);
        const seen = r.seen as Record<string, string>;
        expect(r.missing, `${host}: a router did not answer`).toEqual([]);
        const pub = publicAddressOf(host);
        expect(seen[R1]?.split(':')[0], `${host}'s public address as seen by r1`).toBe(pub);
        expect(seen[R2]?.split(':')[0], `${host}'s public address as seen by r2`).toBe(pub);
        const mapping = isClientHost(host) ? SITES[CLIENTS[host].site].mapping : 'none';
        const what = `${host} (${mapping}) seen ${JSON.stringify(seen)}`;
        if (mapping === 'edm') {
          expect(portOf(seen[R1]), what).not.toBe(portOf(seen[R2]));
        } else {
          expect(portOf(seen[R1]), what).toBe(mapping === 'eim-nopp' ? lport - NOPP_OFFSET : lport);
          expect(seen[R2], what).toBe(seen[R1]);
        }
      }),
    );
  });

  it('filtering: after a client sent to r1:A, r1 from port B gets in for EIF and ADF only, r2 for EIF only', async () => {
    await bySite(async (site) => {
      const client = firstClient(site);
      const { filtering } = SITES[site];
      const open = await toolBackground(client, ['expose', String(nodePort(client, 1)), R1, '20000'], 'mapped');
      const mapped = String(open.first.mapped);
      const [fromR1, fromR2] = await Promise.all([tool('bu-r1', ['blast', mapped, '1000', '--min', '15']), tool('bu-r2', ['blast', mapped, '1000', '--min', '15'])]);
      await open.p.stop(); // SIGTERM: expose prints its counts
      const res = await open.result;
      const from = Object.entries(res.bySource as Record<string, number>);
      const r1b = from.filter(([s]) => s.startsWith(`${R1_IP}:`)).reduce((a, [, n]) => a + n, 0);
      const r2 = from.filter(([s]) => s.startsWith(`${R2_IP}:`)).reduce((a, [, n]) => a + n, 0);
      const ct = (await conntrack(SITES[site].nat, [])).join('\n');
      const recent = filtering === 'adf' ? (await exec(SITES[site].nat, ['cat', `/proc/net/xt_recent/adf${nodePort(client, 1)}`])).stdout : '';
      const what = `${site} (${filtering}, mapping ${mapped}): ${JSON.stringify(res)}\nr1: ${JSON.stringify(fromR1)}\nr2: ${JSON.stringify(fromR2)}\n${ct}\n${recent}`;
      expect(Math.min(Number(fromR1.sent), Number(fromR2.sent)), what).toBeGreaterThan(5);
      expect(res.fromRendezvous, `r1:A's answers must keep arriving: ${what}`).toBeGreaterThan(3);
      if (filtering === 'apdf') expect(r1b, what).toBe(0);
      else expect(r1b, what).toBeGreaterThan(3);
      if (filtering === 'eif') expect(r2, what).toBeGreaterThan(3);
      else expect(r2, what).toBe(0);
    });
  });

  it('unsolicited WAN input: drop = silence, reject = ICMP and no state, answer = ICMP and a confirmed conntrack entry', async () => {
    await bySite(async (site, i) => {
      const { wan, nat, unsolicited } = SITES[site];
      const port = 55000 + i; // a port nobody behind the NAT ever used (outside the node ports)
      const r = await tool('bu-r1', ['blast', `${wan}:${port}`, '400', '--connect', '--min', '6']);
      const entries = await conntrack(nat, ['--orig-src', R1_IP, '--orig-dst', wan, '--orig-port-dst', String(port)]);
      const what = `${site} (${unsolicited}): ${JSON.stringify(r)}\n${entries.join('\n')}`;
      expect(r.sent, what).toBeGreaterThan(4);
      expect(r.received, what).toBe(0);
      if (unsolicited === 'drop') expect(r.refused, what).toBe(0);
      else expect(r.refused, `ICMP port unreachable must come back: ${what}`).toBeGreaterThan(0);
      expect(entries.length, what).toBe(unsolicited === 'answer' ? 1 : 0);
    });
  });

  it('the port clash: r1 pokes WAN:P from X first; the client then sends from P to r1:X and keeps P unless its NAT answered the poke', async () => {
    // The mechanism behind failed punches on NATs that answer unsolicited input: the answered
    // poke leaves a confirmed entry (r1:X → WAN:P) whose reply tuple is what the client's flow
    // needs, so nf_nat moves the client's flow to another port (MASQUERADE: a random one), or,
    // where the SNAT rule allows one port only (nopp), drops it (conntrack insert_failed). A
    // dropped or rejected poke leaves no state. With a TTL-2 opener sent first (ans2), the poke
    // is the reply of the client's own flow and the port is kept: what the app's opener relies on.
    const cases: { site: SiteName; opener: boolean; expect: 'keeps' | 'moves' | 'dropped' }[] = [
      { site: 'ans1', opener: false, expect: 'moves' },
      { site: 'drop1', opener: false, expect: 'keeps' },
      { site: 'rej1', opener: false, expect: 'keeps' },
      { site: 'ans2', opener: true, expect: 'keeps' },
      { site: 'nopp', opener: false, expect: 'dropped' },
    ];
    await Promise.all(
      cases.map(async ({ site, opener, expect: outcome }, i) => {
        const client = firstClient(site);
        const { wan, mapping } = SITES[site];
        const p = nodePort(client, 4);
        const publicP = mapping === 'eim-nopp' ? p - NOPP_OFFSET : p;
        const x = 3600 + i;
        if (opener) {
          const o = await tool(client, ['blast', `${R1_IP}:${x}`, '120', '--from', String(p), '--ttl', '2', '--min', '2']);
          expect(o.sent).toBeGreaterThan(0);
        }
        const srv = spawnIn('bu-r1', ['node', TOOL, 'server', String(x), '--poke', `${wan}:${publicP}`], { name: `bu-r1 poker ${x}` });
        await srv.waitForLine(/"event":"ready"/, 15_000);
        const r = await tool(client, ['probe', String(p), `${R1_IP}:${x}`, '--tries', outcome === 'dropped' ? '8' : '25']);
        await srv.stop();
        const seen = (r.seen as Record<string, string>)[`${R1_IP}:${x}`];
        const what = `${site}${opener ? ' with opener' : ''}: r1 saw ${seen}, local port ${p}, public port ${publicP} expected to be ${outcome}`;
        if (outcome === 'dropped') {
          expect(r.missing, what).toEqual([`${R1_IP}:${x}`]);
          return;
        }
        expect(seen?.split(':')[0], what).toBe(wan);
        if (outcome === 'keeps') expect(portOf(seen), what).toBe(publicP);
        else expect(portOf(seen), what).not.toBe(publicP);
      }),
    );
  });

  it('TTL: a TTL-2 datagram opens the NAT mapping but dies in the core; TTL 3 reaches r1', async () => {
    const srv = spawnIn('bu-r1', ['node', TOOL, 'server', '3700'], { name: 'bu-r1 ttl observer' });
    await srv.waitForLine(/"event":"ready"/, 15_000);
    const arrivals = (fromLine: number) =>
      srv.lines
        .slice(fromLine)
        .map((l) => JSON.parse(l) as Json)
        .filter((e) => e.event === 'seen' && e.op === 'blast')
        .map((e) => String(e.from));
    const blastAll = (ttl: number, offset: number) =>
      bySite(async (site) => {
        const client = firstClient(site);
        const p = nodePort(client, offset);
        const s = await tool(client, ['blast', `${R1_IP}:3700`, '400', '--from', String(p), '--ttl', String(ttl), '--min', '6']);
        expect(s.sent, site).toBeGreaterThan(4);
        return { site, client, p };
      });

    const mark = srv.lines.length;
    const low = await blastAll(2, 2);
    await Promise.all(
      low.map(async ({ site, client, p }) => {
        const entries = await conntrack(SITES[site].nat, ['--orig-src', CLIENTS[client].address, '--orig-port-src', String(p), '--orig-dst', R1_IP]);
        expect(entries.length, `${site}: the TTL-2 packets must leave a mapping on the NAT:\n${entries.join('\n')}`).toBe(1);
        expect(entries[0], site).toContain('[UNREPLIED]');
      }),
    );
    expect(arrivals(mark), 'TTL-2 packets reached r1').toEqual([]);

    const mark3 = srv.lines.length;
    await blastAll(3, 3);
    await sleep(200);
    const senders = new Set(arrivals(mark3).map((s) => s.split(':')[0]));
    await srv.stop();
    for (const site of SITE_NAMES) expect(senders.has(SITES[site].wan), `${site}: TTL 3 must reach r1 (from ${[...senders].join(', ')})`).toBe(true);
  });

  it('hairpin: on hpon a reaches b at WAN:b-port and b sees WAN:a-port; on hpoff nothing arrives', async () => {
    for (const site of ['hpon', 'hpoff'] as const) {
      const [a, b] = SITES[site].clients as [NodeHost, NodeHost];
      const pa = nodePort(a, 10);
      const pb = nodePort(b, 10);
      const wan = SITES[site].wan;
      const srv = spawnIn(b, ['node', TOOL, 'server', String(pb)], { name: `${b} hairpin observer` });
      await srv.waitForLine(/"event":"ready"/, 15_000);
      const r = await tool(a, ['probe', String(pa), `${wan}:${pb}`, '--tries', SITES[site].hairpin ? '25' : '8']);
      await srv.stop();
      const seen = (r.seen as Record<string, string>)[`${wan}:${pb}`];
      if (SITES[site].hairpin) expect(seen, `${site}: b must see a as ${wan}:${pa} (and answer through the NAT)`).toBe(`${wan}:${pa}`);
      else expect(r.missing, `${site}: hairpinned packet arrived (${seen})`).toEqual([`${wan}:${pb}`]);
    }
  });

  it('rendezvous hole punch: cone↔cone (drop1↔drop2) succeeds', async () => {
    const [a, b] = await Promise.all([tool('bu-drop1', ['punch', 'drop1', 'drop2', R1, '2000']), tool('bu-drop2', ['punch', 'drop2', 'drop1', R1, '2000'])]);
    // Each side sent to the mapping the rendezvous observed for the other, and it got through.
    expect(a.peer).toBe(b.you);
    expect(b.peer).toBe(a.you);
    expect(a.received, `drop1 got nothing from drop2: ${JSON.stringify(a)}`).toBeGreaterThan(5);
    expect(b.received, `drop2 got nothing from drop1: ${JSON.stringify(b)}`).toBeGreaterThan(5);
    expect(a.receivedFrom).toEqual([b.you]);
    expect(b.receivedFrom).toEqual([a.you]);
  });

  it('rendezvous hole punch: sym↔sym (sym1↔sym2) gets nothing through', async () => {
    const [a, b] = await Promise.all([tool('bu-sym1', ['punch', 'sym1', 'sym2', R1, '3000']), tool('bu-sym2', ['punch', 'sym2', 'sym1', R1, '3000'])]);
    // The exchange happened exactly as in the cone case (same tool, same rendezvous) ...
    expect(a.peer).toBe(b.you);
    expect(b.peer).toBe(a.you);
    expect(a.sent).toBeGreaterThan(20);
    expect(b.sent).toBeGreaterThan(20);
    // ... but each NAT used a fresh port towards the peer, so no packet matched a mapping.
    expect(a.received, `sym1 unexpectedly heard sym2: ${JSON.stringify(a)}`).toBe(0);
    expect(b.received, `sym2 unexpectedly heard sym1: ${JSON.stringify(b)}`).toBe(0);
  });

  it('private LANs are unreachable from another site, a public host and a router', async () => {
    const l = await toolBackground('bu-drop2', ['listen', String(nodePort('bu-drop2', 20)), '20000'], 'ready');
    const target = `${hostAddress('bu-drop2')}:${nodePort('bu-drop2', 20)}`;
    const sent = await Promise.all((['bu-drop1', 'bu-pub1', 'bu-r1'] as const).map((h) => tool(h, ['blast', target, '1000', '--min', '10'])));
    await l.p.stop();
    const res = await l.result;
    expect(sent.reduce((a, s) => a + Number(s.sent), 0)).toBeGreaterThan(20);
    expect(res.received, JSON.stringify(res)).toBe(0);
    const routes = await exec(CORE, ['ip', '-4', 'route', 'show']);
    expect(routes.stdout, 'the core must not know any private network').not.toMatch(/^192\.168\./m);
  });

  it('ip_forward is on exactly in the core and the NATs', async () => {
    const values = await Promise.all(ALL_HOSTS.map(async (h) => [h, (await exec(h, ['sysctl', '-n', 'net.ipv4.ip_forward'])).stdout.trim()] as const));
    for (const [h, v] of values) expect(v, `${h} ip_forward`).toBe(h === CORE || h.startsWith('bu-nat-') ? '1' : '0');
  });
});
