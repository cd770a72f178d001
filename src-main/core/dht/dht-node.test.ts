import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from '../crypto';
import { UdpSocket, type Endpoint } from '../net';
import { CHAT_APP_ID, CMD_FIND_NODE, CMD_PING, ROUTER_APP_ID } from './constants';
import { waitFor as waitUntil } from '../base';
import { DhtNode, type DhtNodeOptions } from './dht-node';
import { decodeMessage, encodeResponse } from './messages';
import { compareBytes, nodeIdOf, xorDistance } from './node-id';
import { encodeRecord, recordKey, signRecord } from './record';
import { DhtTestnet, LOOPBACK_RATES, randomIdentity } from './testnet';

const waitFor = (cond: () => boolean, ms = 2000) => waitUntil(cond, ms);

const opened: { node?: DhtNode; socket: UdpSocket }[] = [];
async function solo(opts: Partial<DhtNodeOptions> = {}, host = '127.0.0.1'): Promise<{ node: DhtNode; socket: UdpSocket }> {
  const socket = await UdpSocket.bind({ host, port: 0 });
  const node = new DhtNode({ socket, requestTimeoutMs: 200, ...LOOPBACK_RATES, ...opts });
  opened.push({ node, socket });
  return { node, socket };
}
afterEach(async () => {
  for (const o of opened.splice(0)) {
    await o.node?.close();
    await o.socket.close();
  }
});

describe('DhtNode on a 40-node loopback network', () => {
  let net: DhtTestnet;
  beforeAll(async () => {
    net = await DhtTestnet.create(40, { bootstrapCount: 2, batch: 10, node: { requestTimeoutMs: 300 } });
  });
  afterAll(async () => {
    await net.close();
  });

  it('joins: every node knows most of the network, ids are bound to endpoints', () => {
    for (const [i, n] of net.live().entries()) {
      expect(n.id).toEqual(nodeIdOf(net.sockets[i]!.address()));
      expect(n.stats().nodes).toBeGreaterThanOrEqual(20);
      for (const c of n.contacts()) expect(c.id).toEqual(nodeIdOf(c.endpoint));
    }
  });

  it('findNode returns the true k closest (XOR) nodes', async () => {
    const ids = net.live().map((n) => n.id);
    for (let t = 0; t < 10; t++) {
      const target = randomBytes(32);
      const from = net.live()[(t * 7) % 40]!;
      const { closest, rounds } = await from.findNode(target);
      const expected = ids.filter((id) => compareBytes(id, from.id) !== 0).sort((a, b) => compareBytes(xorDistance(a, target), xorDistance(b, target))).slice(0, 20);
      expect(closest.map((c) => c.id)).toEqual(expected);
      expect(rounds).toBeGreaterThanOrEqual(1);
      expect(rounds).toBeLessThanOrEqual(4);
    }
  });

  it('publishes signed records and finds them from any node; the highest seq wins', async () => {
    const owners = Array.from({ length: 8 }, () => randomIdentity());
    for (const [i, o] of owners.entries()) {
      const r = await net.nodes[i + 5]!.publish(o, CHAT_APP_ID, [{ host: '192.0.2.1', port: 4000 + i, appId: CHAT_APP_ID, agent: 'test/1', via: '198.51.100.7:7000' }], { extra: Uint8Array.from([i]) });
      expect(r.stored).toBe(20);
    }
    for (const [i, o] of owners.entries()) {
      const rec = await net.nodes[39 - i]!.lookup(o.address, CHAT_APP_ID);
      expect(rec?.entries).toEqual([{ host: '192.0.2.1', port: 4000 + i, appId: CHAT_APP_ID, agent: 'test/1', via: '198.51.100.7:7000' }]);
      expect(rec?.extra).toEqual(Uint8Array.from([i]));
      expect(await net.nodes[39 - i]!.lookup(o.address, ROUTER_APP_ID)).toBeNull();
    }
    // a newer version reaches only 3 of the storing nodes: lookups still return it
    const o = owners[0]!;
    const key = recordKey(o.address, CHAT_APP_ID);
    const prev = (await net.nodes[20]!.lookup(o.address, CHAT_APP_ID))!;
    const newer = encodeRecord(signRecord(o, { ...prev, seq: prev.seq + 5, entries: [{ host: '192.0.2.99', port: 1, appId: 1, agent: 'new' }] }));
    const { closest } = await net.nodes[21]!.findNode(key);
    for (const c of closest.slice(0, 3)) {
      const got = await net.nodes[21]!.getFrom(c.endpoint, key);
      expect(await net.nodes[21]!.putTo(c.endpoint, key, got!.token, newer)).toBe('OK');
    }
    const latest = await net.nodes[30]!.lookupDetailed(o.address, CHAT_APP_ID);
    expect(latest.record?.seq).toBe(prev.seq + 5);
    expect(latest.found).toBeGreaterThanOrEqual(3);
  });

  it('an ephemeral client queries and finds records but never enters routing tables', async () => {
    const { node: client, socket } = await solo({ ephemeral: true, bootstrap: net.bootstrap });
    await client.start();
    const owner = randomIdentity();
    await net.nodes[3]!.publish(owner, CHAT_APP_ID, [{ host: '192.0.2.5', port: 5, appId: 1, agent: 'x' }]);
    expect((await client.lookup(owner.address, CHAT_APP_ID))?.entries[0]?.host).toBe('192.0.2.5');
    expect(client.stats().nodes).toBeGreaterThan(10);
    const me = socket.address();
    for (const n of net.live()) expect(n.contacts().some((c) => c.endpoint.port === me.port)).toBe(false);
    expect(client.observedEndpoint()).toEqual(me);
  });

  it('learns routers from the ROUTER flag and reports what each responder observed', async () => {
    const { node: router, socket: rs } = await solo({ router: true, bootstrap: net.bootstrap });
    await router.start();
    const { node: n, socket } = await solo({ bootstrap: net.bootstrap });
    await n.start();
    await n.findNode(router.id);
    expect(n.routers()).toContainEqual(rs.address());
    expect(n.routers().length).toBe(1);
    const obs = n.observations();
    expect(obs.length).toBeGreaterThan(5);
    for (const o of obs) expect(o.to).toEqual(socket.address());
    expect(n.observedEndpoint()).toEqual(socket.address());
  });
});

describe('DhtNode protocol rules', () => {
  it('PUT needs a write token from a recent GET/FIND_NODE, bound to the requester IP', async () => {
    const { node: server, socket: ss } = await solo();
    await server.start();
    const { node: a } = await solo();
    const { node: b } = await solo({}, '127.0.0.2');
    const owner = randomIdentity();
    const key = recordKey(owner.address, CHAT_APP_ID);
    const bytes = encodeRecord(signRecord(owner, { publicKey: owner.publicKey, appId: CHAT_APP_ID, seq: 1, expiresAt: Math.floor(Date.now() / 1000) + 60, entries: [] }));
    const to = ss.address();
    expect(await a.putTo(to, key, randomBytes(16), bytes)).toBe('BAD_TOKEN');
    const got = await a.getFrom(to, key);
    expect(got?.record).toBeNull();
    expect(await b.putTo(to, key, got!.token, bytes)).toBe('BAD_TOKEN'); // another IP cannot use a's token
    expect(server.stats().signatureVerifications).toBe(0);
    expect(await a.putTo(to, key, got!.token, bytes)).toBe('OK');
    expect((await b.getFrom(to, key))?.record).toEqual(bytes);
    expect(server.stats().puts.BAD_TOKEN).toBe(2);
  });

  it('a response whose id is not bound to its source endpoint never enters the table, nor do unbound node infos', async () => {
    const liar = await UdpSocket.bind({ host: '127.0.0.1', port: 0 });
    const { node: victim, socket: vs } = await solo();
    const { node: bystander, socket: bs } = await solo();
    liar.onPacket((data, from) => {
      const m = decodeMessage(data);
      if (m.kind !== 'request') return;
      const base = { tid: m.tid, id: randomBytes(32), router: true, to: from };
      if (m.command === CMD_PING) liar.send(encodeResponse({ ...base, command: CMD_PING }), from);
      if (m.command === CMD_FIND_NODE) {
        // claims a fake id for the bystander's endpoint, and lists itself under a random id
        const nodes = [{ id: randomBytes(32), endpoint: bs.address(), router: false }];
        liar.send(encodeResponse({ ...base, command: CMD_FIND_NODE, token: randomBytes(16), nodes }), from);
      }
    });
    try {
      expect(await victim.ping(liar.address())).toBe(true); // it answered …
      expect(victim.contacts()).toEqual([]); // … but its id is not bound to its endpoint
      expect(victim.routers()).toEqual([liar.address()]); // still reported as a router candidate by flag
      const before = bystander.stats().requestsReceived;
      await victim.findNode(randomBytes(32));
      expect(bystander.stats().requestsReceived).toBe(before); // the unbound node info was never queried
      expect(victim.contacts()).toEqual([]);
      expect(vs.address().port).toBeGreaterThan(0);
    } finally {
      await liar.close();
    }
  });

  it('rate-limits requests per source IP (silently)', async () => {
    const { node: server, socket: ss } = await solo({ requestRate: { ratePerSec: 0, burst: 5 } });
    const { node: client } = await solo({ requestTimeoutMs: 100, retries: 0, ephemeral: true }); // ephemeral: no ping-back traffic
    const answers = await Promise.all(Array.from({ length: 10 }, () => client.ping(ss.address())));
    expect(answers.filter(Boolean).length).toBe(5);
    expect(server.stats().rateLimited).toBe(5);
  });

  it('adopts the id of its observed endpoint when bound to the wildcard address', async () => {
    const { node: boot, socket: bsock } = await solo();
    await boot.start();
    const { node, socket } = await solo({ bootstrap: [bsock.address()] }, '0.0.0.0');
    const local: Endpoint = { host: '127.0.0.1', port: socket.address().port };
    expect(node.id).not.toEqual(nodeIdOf(local));
    await node.start();
    expect(node.observedEndpoint()).toEqual(local);
    expect(node.id).toEqual(nodeIdOf(local));
    await waitFor(() => boot.contacts().some((c) => compareBytes(c.id, node.id) === 0)); // boot pinged it back
  });

  it('start() fails with NETWORK when no bootstrap node answers; close() stops everything', async () => {
    const dead = await UdpSocket.bind({ host: '127.0.0.1', port: 0 });
    const deadEp = dead.address();
    await dead.close();
    const { node } = await solo({ bootstrap: [deadEp], requestTimeoutMs: 50 });
    await expect(node.start()).rejects.toMatchObject({ code: 'NETWORK' });
    const { node: n2, socket: s2 } = await solo();
    await n2.start();
    const pending = n2.ping({ host: '127.0.0.1', port: deadEp.port });
    await n2.close();
    expect(await pending).toBe(false);
    await expect(n2.findNode(randomBytes(32))).rejects.toMatchObject({ code: 'NOT_RUNNING' });
    expect(s2.stats().sent).toBeGreaterThanOrEqual(1);
  });

  it('refreshes buckets no lookup touched within the refresh interval', async () => {
    const net = await DhtTestnet.create(12, { bootstrapCount: 1, node: { requestTimeoutMs: 200 } });
    try {
      const clock = { t: Date.now() };
      const { node } = await solo({ bootstrap: net.bootstrap, now: () => clock.t, refreshIntervalMs: 60_000 });
      await node.start();
      const lookups = node.stats().lookups;
      expect(await node.refresh()).toBe(0); // the join just refreshed everything
      clock.t += 61_000;
      const refreshed = await node.refresh();
      expect(refreshed).toBeGreaterThan(0);
      expect(node.stats().lookups).toBe(lookups + refreshed);
    } finally {
      await net.close();
    }
  });
});
