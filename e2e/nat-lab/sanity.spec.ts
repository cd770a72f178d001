/**
 * The NAT lab itself behaves like the real world (RFC 4787 terms), proven with plain node:dgram
 * (fixtures/udp-tool.mjs), no application code:
 * - cone NAT = endpoint-independent mapping: two routers see the same mapped ip:port;
 * - symmetric NAT = address-and-port-dependent mapping: they see different ports;
 * - rendezvous + simultaneous send: cone↔cone punches through, sym↔sym does not;
 * - unsolicited inbound is dropped, and private LANs are unreachable from each other.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertRoot, exec, hostAddress, labDown, labStatus, labUp, publicAddressOf, spawnIn, stopAll, type ClientHost, type LabHost, type LabProcess } from './lab';

const TOOL = fileURLToPath(new URL('./fixtures/udp-tool.mjs', import.meta.url));
const PORT = 3478;
const R1 = `${hostAddress('bu-r1')}:${PORT}`;
const R2 = `${hostAddress('bu-r2')}:${PORT}`;

type Json = Record<string, unknown>;
const servers: LabProcess[] = [];

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

function mappedPort(s: unknown): number {
  const m = /^(\d+\.\d+\.\d+\.\d+):(\d+)$/.exec(String(s));
  if (!m) throw new Error(`not an ip:port: ${String(s)}`);
  return Number(m[2]);
}

beforeAll(async () => {
  assertRoot();
  await labUp({ fresh: true }); // empty conntrack tables: every mapping below is new
  const st = await labStatus();
  expect(st.code, `lab not healthy:\n${st.stdout}${st.stderr}`).toBe(0);
  for (const host of ['bu-r1', 'bu-r2'] as const) {
    const s = spawnIn(host, ['node', TOOL, 'server', String(PORT)], { name: `${host} observer` });
    await s.waitForLine(/"event":"ready"/, 15_000);
    servers.push(s);
  }
}, 120_000);

afterAll(async () => {
  await stopAll();
  await labDown();
}, 120_000);

describe('NAT lab sanity (plain UDP, no app code)', () => {
  it('cone NAT: endpoint-independent mapping, port preserved, same mapping seen by both routers', async () => {
    for (const [client, lport] of [['bu-c1', 40001], ['bu-c2', 40002]] as [ClientHost, number][]) {
      const r = await tool(client, ['probe', String(lport), R1, R2]);
      const seen = r.seen as Record<string, string>;
      expect(r.missing, `${client}: a router did not answer`).toEqual([]);
      expect(seen[R1], `${client} as seen by r1`).toBe(`${publicAddressOf(client)}:${lport}`);
      expect(seen[R2], `${client} as seen by r2`).toBe(seen[R1]);
    }
  });

  it('symmetric NAT: a different mapped port for each destination', async () => {
    for (const [client, lport] of [['bu-s1', 40003], ['bu-s2', 40004]] as [ClientHost, number][]) {
      const r = await tool(client, ['probe', String(lport), R1, R2]);
      const seen = r.seen as Record<string, string>;
      expect(r.missing, `${client}: a router did not answer`).toEqual([]);
      expect(seen[R1]?.split(':')[0], `${client}'s public address as seen by r1`).toBe(publicAddressOf(client));
      expect(seen[R2]?.split(':')[0], `${client}'s public address as seen by r2`).toBe(publicAddressOf(client));
      expect(mappedPort(seen[R1]), `${client}: r1 and r2 must see different ports (${JSON.stringify(seen)})`).not.toBe(mappedPort(seen[R2]));
    }
  });

  it('rendezvous hole punch: cone↔cone succeeds', async () => {
    const [a, b] = await Promise.all([
      tool('bu-c1', ['punch', 'c1', 'c2', R1, '3000']),
      tool('bu-c2', ['punch', 'c2', 'c1', R1, '3000']),
    ]);
    // Each side sent to the mapping the rendezvous observed for the other, and it got through.
    expect(a.peer).toBe(b.you);
    expect(b.peer).toBe(a.you);
    expect(a.received, `c1 got nothing from c2: ${JSON.stringify(a)}`).toBeGreaterThan(10);
    expect(b.received, `c2 got nothing from c1: ${JSON.stringify(b)}`).toBeGreaterThan(10);
    expect(a.receivedFrom).toEqual([b.you]);
    expect(b.receivedFrom).toEqual([a.you]);
  });

  it('rendezvous hole punch: sym↔sym fails (nothing gets through in 4 s)', async () => {
    const [a, b] = await Promise.all([
      tool('bu-s1', ['punch', 's1', 's2', R1, '4000']),
      tool('bu-s2', ['punch', 's2', 's1', R1, '4000']),
    ]);
    // The exchange happened exactly as in the cone case (same tool, same rendezvous) ...
    expect(a.peer).toBe(b.you);
    expect(b.peer).toBe(a.you);
    expect(a.sent).toBeGreaterThan(40);
    expect(b.sent).toBeGreaterThan(40);
    // ... but each NAT used a fresh port towards the peer, so no packet matched a mapping.
    expect(a.received, `s1 unexpectedly heard s2: ${JSON.stringify(a)}`).toBe(0);
    expect(b.received, `s2 unexpectedly heard s1: ${JSON.stringify(b)}`).toBe(0);
  });

  it('unsolicited inbound from a public host is dropped', async () => {
    // 1. Nothing was ever sent from c1's port 40010: r1 sending to the NAT's public address on
    //    that port reaches nobody (there is no port forwarding on a NAT).
    const quiet = await toolBackground('bu-c1', ['listen', '40010', '2500'], 'ready');
    const sentQuiet = await tool('bu-r1', ['blast', `${publicAddressOf('bu-c1')}:40010`, '1500']);
    const quietResult = await quiet.result;
    expect(sentQuiet.sent).toBeGreaterThan(20);
    expect(quietResult.received, JSON.stringify(quietResult)).toBe(0);

    // 2. c1 keeps a mapping open towards r1 (r1's answers do arrive: the positive control);
    //    r2, which c1 never talked to, sends to that very mapping: filtered out
    //    (address-and-port-dependent filtering, like Linux conntrack and most home routers).
    const open = await toolBackground('bu-c1', ['expose', '40011', R1, '2500'], 'mapped');
    const mapped = String(open.first.mapped);
    expect(mapped).toBe(`${publicAddressOf('bu-c1')}:40011`);
    const sentOpen = await tool('bu-r2', ['blast', mapped, '1500']);
    const openResult = await open.result;
    expect(sentOpen.sent).toBeGreaterThan(20);
    expect(openResult.fromRendezvous, 'r1 answers must keep arriving').toBeGreaterThan(3);
    expect(openResult.received, JSON.stringify(openResult)).toBe(0);
  });

  it('private LANs are unreachable from each other and from the public segment', async () => {
    // c2 listens on its private address; c1 (through its NAT) and r1 (on the public segment)
    // send straight to it: there is no route, so nothing arrives.
    const l = await toolBackground('bu-c2', ['listen', '40020', '2500'], 'ready');
    const target = `${hostAddress('bu-c2')}:40020`;
    const [fromC1, fromR1] = await Promise.all([tool('bu-c1', ['blast', target, '1500']), tool('bu-r1', ['blast', target, '1500'])]);
    const res = await l.result;
    expect(Number(fromC1.sent) + Number(fromR1.sent)).toBeGreaterThan(40);
    expect(res.received, JSON.stringify(res)).toBe(0);
  });

  it('only the NAT namespaces forward packets', async () => {
    for (const host of ['bu-r1', 'bu-r2', 'bu-c1', 'bu-c2', 'bu-s1', 'bu-s2', 'bu-nat-cone1', 'bu-nat-cone2', 'bu-nat-sym1', 'bu-nat-sym2'] as LabHost[]) {
      const r = await exec(host, ['sysctl', '-n', 'net.ipv4.ip_forward']);
      expect(r.stdout.trim(), `${host} ip_forward`).toBe(host.startsWith('bu-nat-') ? '1' : '0');
    }
  });
});
