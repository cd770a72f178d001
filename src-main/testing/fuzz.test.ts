/**
 * Issue 3, item 9: more than 1,000,000 mutated packets through the DHT message decoder, the
 * envelope decoder (`decodeMsg`) and a live DhtNode's packet handler (directly and over a real
 * UDP socket). Mutations: bit flips, truncations, extensions, random bytes, interesting byte
 * values, chunk duplication and field splicing between valid seeds. Asserts: only the typed
 * errors escape the decoders (DhtWireError / BuError BAD_ENVELOPE), the live handler never
 * throws, no unhandled rejection, the node still answers afterwards, and heap growth after GC
 * stays under 64 MB.
 */
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBuError } from '../core/base';
import { addressOf, generatePrivateKey, publicKeyOf, randomBytes } from '../core/crypto';
import { CHAT_APP_ID, DhtNode, DhtWireError, decodeMessage, encodeRecord, encodeRequest, encodeResponse, recordKey, signRecord, type DhtRequest, type DhtResponse } from '../core/dht';
import { DhtTestnet, LOOPBACK_RATES } from '../core/dht/testnet';
import { decodeMsg, encodeMsg, sealEnvelope } from '../core/envelope';
import { UdpSocket } from '../core/net';

const DHT_DECODER_PACKETS = 600_000;
const ENVELOPE_PACKETS = 400_000;
const LIVE_HANDLER_PACKETS = 300_000;
const LIVE_SOCKET_PACKETS = 20_000;

/** sfc32 (Chris Doty-Humphrey's Small Fast Chaotic PRNG, PractRand): reproducible mutations from a seed. */
class Rng {
  private a: number;
  private b = 0x9e3779b9;
  private c = 0x243f6a88;
  private d = 1;
  constructor(seed: number) {
    this.a = seed | 0;
    for (let i = 0; i < 16; i++) this.next();
  }
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 0x1_0000_0000;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }
}

const INTERESTING = [0x00, 0x01, 0x02, 0x03, 0x04, 0x06, 0x10, 0x14, 0x15, 0x20, 0x21, 0x7f, 0x80, 0xfe, 0xff];

function mutate(rng: Rng, seeds: Uint8Array[]): Uint8Array {
  const seed = seeds[rng.int(seeds.length)]!;
  switch (rng.int(8)) {
    case 0: {
      const b = Uint8Array.from(seed);
      for (let n = 1 + rng.int(4); n > 0 && b.length; n--) b[rng.int(b.length)]! ^= 1 << rng.int(8);
      return b;
    }
    case 1:
      return seed.slice(0, rng.int(seed.length + 1));
    case 2: {
      const out = new Uint8Array(seed.length + 1 + rng.int(64));
      out.set(seed);
      out.set(rng.bytes(out.length - seed.length), seed.length);
      return out;
    }
    case 3: {
      const b = rng.bytes(rng.int(300));
      if (b.length && rng.int(2)) b[0] = seed[0]!; // keep the type byte half of the time
      if (b.length > 1 && rng.int(2)) b[1] = seed[1]!;
      return b;
    }
    case 4: {
      const b = Uint8Array.from(seed);
      for (let n = 1 + rng.int(3); n > 0 && b.length; n--) b[rng.int(b.length)] = INTERESTING[rng.int(INTERESTING.length)]!;
      return b;
    }
    case 5: {
      // splice: a prefix of one seed with the suffix of another (fields from valid packets)
      const other = seeds[rng.int(seeds.length)]!;
      const i = rng.int(seed.length + 1);
      const j = rng.int(other.length + 1);
      const out = new Uint8Array(i + other.length - j);
      out.set(seed.subarray(0, i));
      out.set(other.subarray(j), i);
      return out;
    }
    case 6: {
      // duplicate or drop a chunk in the middle
      const i = rng.int(seed.length + 1);
      const len = rng.int(Math.min(40, seed.length - i) + 1);
      if (rng.int(2)) {
        const out = new Uint8Array(seed.length + len);
        out.set(seed.subarray(0, i + len));
        out.set(seed.subarray(i), i + len);
        return out;
      }
      const out = new Uint8Array(seed.length - len);
      out.set(seed.subarray(0, i));
      out.set(seed.subarray(i + len), i);
      return out;
    }
    default:
      return Uint8Array.from(seed);
  }
}

function identity() {
  const privateKey = generatePrivateKey();
  const publicKey = publicKeyOf(privateKey);
  return { privateKey, publicKey, address: addressOf(publicKey) };
}

function dhtSeeds(token: Uint8Array = randomBytes(16)): Uint8Array[] {
  const owner = identity();
  const nowSec = Math.floor(Date.now() / 1000);
  const record = encodeRecord(
    signRecord(owner, {
      publicKey: owner.publicKey,
      appId: CHAT_APP_ID,
      seq: Date.now(),
      expiresAt: nowSec + 600,
      entries: [
        { host: '127.0.0.1', port: 4000, appId: CHAT_APP_ID, agent: 'fuzz/1' },
        { host: 'relay.example.org', port: 7000, appId: 2, agent: '', via: '192.0.2.1:7000' },
      ],
      extra: randomBytes(100),
    }),
  );
  const key = recordKey(owner.address, CHAT_APP_ID);
  const nodes = Array.from({ length: 20 }, (_, i) => ({ id: randomBytes(32), endpoint: { host: `10.0.${i}.1`, port: 1000 + i }, router: i % 2 === 0 }));
  const reqs: DhtRequest[] = [
    { command: 1, tid: 1, id: randomBytes(32), router: false },
    { command: 1, tid: 2, id: null, router: true },
    { command: 2, tid: 3, id: randomBytes(32), router: false, target: randomBytes(32) },
    { command: 3, tid: 4, id: null, router: false, key },
    { command: 4, tid: 5, id: randomBytes(32), router: false, key, token, record },
    { command: 4, tid: 6, id: null, router: false, key, token, record },
  ];
  const resps: DhtResponse[] = [
    { command: 1, tid: 1, id: randomBytes(32), router: false, to: { host: '127.0.0.1', port: 5 } },
    { command: 2, tid: 2, id: randomBytes(32), router: true, to: { host: '::1', port: 5 }, token: randomBytes(16), nodes },
    { command: 3, tid: 3, id: null, router: false, to: { host: '127.0.0.1', port: 6 }, token: randomBytes(16), record, nodes: [] },
    { command: 3, tid: 4, id: randomBytes(32), router: false, to: { host: '127.0.0.1', port: 6 }, token: randomBytes(16), record: null, nodes: nodes.slice(0, 5) },
    { command: 4, tid: 5, id: randomBytes(32), router: false, to: { host: '127.0.0.1', port: 7 }, status: 0 },
  ];
  return [...reqs.map(encodeRequest), ...resps.map(encodeResponse), record];
}

function envelopeSeeds(): Uint8Array[] {
  const a = identity();
  const b = identity();
  return [0, 1, 60, 700, 3000].map((n) =>
    encodeMsg(sealEnvelope({ ts: 1_700_000_000 + n, signer: a, dstAddr: b.address, plaintext: randomBytes(n), key: randomBytes(32) })),
  );
}

/** `gc()` even without --expose-gc (flag set at run time, function taken from a fresh context). */
function gcFunction(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const rejections: unknown[] = [];
const onRejection = (r: unknown) => rejections.push(r);
let gc: () => void;
let heapBefore = 0;
let total = 0;

beforeAll(() => {
  process.on('unhandledRejection', onRejection);
  gc = gcFunction();
  gc();
  heapBefore = process.memoryUsage().heapUsed;
});

afterAll(() => {
  process.off('unhandledRejection', onRejection);
});

describe('fuzzing (≥ 1,000,000 mutated packets)', () => {
  it(`DHT message decoder: ${DHT_DECODER_PACKETS.toLocaleString('en')} packets, only DhtWireError escapes`, () => {
    const rng = new Rng(0xd47);
    const seeds = dhtSeeds();
    let ok = 0;
    let refused = 0;
    for (let i = 0; i < DHT_DECODER_PACKETS; i++) {
      const p = mutate(rng, seeds);
      try {
        decodeMessage(p);
        ok++;
      } catch (e) {
        if (!(e instanceof DhtWireError)) throw new Error(`decoder threw ${String(e)} on ${Buffer.from(p).toString('hex')}`, { cause: e });
        refused++;
      }
    }
    total += DHT_DECODER_PACKETS;
    expect(ok + refused).toBe(DHT_DECODER_PACKETS);
    expect(ok).toBeGreaterThan(DHT_DECODER_PACKETS / 20); // mutations stay close enough to the format to reach deep fields
    expect(refused).toBeGreaterThan(DHT_DECODER_PACKETS / 2);
  }, 60_000);

  it(`envelope decoder (decodeMsg): ${ENVELOPE_PACKETS.toLocaleString('en')} packets, only BuError BAD_ENVELOPE escapes`, () => {
    const rng = new Rng(0xe17);
    const seeds = envelopeSeeds();
    let ok = 0;
    for (let i = 0; i < ENVELOPE_PACKETS; i++) {
      const p = mutate(rng, seeds);
      try {
        decodeMsg(p);
        ok++;
      } catch (e) {
        if (!isBuError(e, 'BAD_ENVELOPE')) throw new Error(`decodeMsg threw ${String(e)} on ${Buffer.from(p).toString('hex').slice(0, 400)}`, { cause: e });
      }
    }
    total += ENVELOPE_PACKETS;
    expect(ok).toBeGreaterThan(0);
    expect(ok).toBeLessThan(ENVELOPE_PACKETS);
  }, 60_000);

  it(`live DhtNode: ${(LIVE_HANDLER_PACKETS + LIVE_SOCKET_PACKETS).toLocaleString('en')} datagrams through its handler and its socket`, async () => {
    const net = await DhtTestnet.create(6, { bootstrapCount: 1, node: { requestTimeoutMs: 300 } });
    const socket = await UdpSocket.bind({ host: '127.0.0.1', port: 0 });
    const sink = await UdpSocket.bind({ host: '127.0.0.1', port: 0 }); // receives (and drops) the node's answers
    const sender = await UdpSocket.bind({ host: '127.0.0.1', port: 0 });
    // PUTs beyond 1,000/s from one IP are refused before parsing; below that they reach the record checks
    const node = new DhtNode({ socket, bootstrap: net.bootstrap, requestTimeoutMs: 300, ...LOOPBACK_RATES, putRate: { ratePerSec: 1000, burst: 1000 } });
    try {
      await node.start();
      const rng = new Rng(0x11fe);
      // a real write token for 127.0.0.1, so mutated PUTs get past the token into the record checks
      const token = (await net.nodes[0]!.getFrom(socket.address(), randomBytes(32)))!.token;
      const seeds = dhtSeeds(token);
      const from = sink.address();
      for (let i = 0; i < LIVE_HANDLER_PACKETS; i++) {
        node.handlePacket(mutate(rng, seeds), from); // must never throw
        if (i % 5000 === 0) await new Promise((r) => setImmediate(r)); // let answers drain
      }
      const to = socket.address();
      for (let i = 0; i < LIVE_SOCKET_PACKETS; i++) {
        sender.send(mutate(rng, seeds), to);
        if (i % 200 === 0) await new Promise((r) => setImmediate(r));
      }
      await new Promise((r) => setTimeout(r, 200));
      total += LIVE_HANDLER_PACKETS + LIVE_SOCKET_PACKETS;
      const s = node.stats();
      expect(s.malformed).toBeGreaterThan(LIVE_HANDLER_PACKETS / 4);
      expect(s.requestsReceived).toBeGreaterThan(1000);
      expect(socket.stats().listenerErrors).toBe(0);
      process.stdout.write(`[fuzz] live node PUT outcomes ${JSON.stringify(s.puts)}, signature checks ${s.signatureVerifications}\n`);
      expect(s.puts.MALFORMED + s.puts.WRONG_KEY + s.puts.EXPIRED + s.puts.TOO_LARGE).toBeGreaterThan(100);
      expect(s.puts.RATE_LIMITED).toBeGreaterThan(0);
      // cheap checks first: only a small fraction of the parsed PUTs ever cost a signature verification
      const parsed = Object.values(s.puts).reduce((a, b) => a + b, 0) - s.puts.RATE_LIMITED - s.puts.BAD_TOKEN;
      expect(s.signatureVerifications).toBeLessThan(parsed / 10);
      // still healthy: answers a ping and finds nodes
      expect(await net.nodes[0]!.ping(to)).toBe(true);
      expect((await node.findNode(randomBytes(32))).closest.length).toBeGreaterThan(3);
    } finally {
      await node.close();
      await Promise.all([socket.close(), sink.close(), sender.close()]);
      await net.close();
    }
  }, 60_000);

  it('processed ≥ 1,000,000 packets with bounded memory and no unhandled rejection', async () => {
    expect(total).toBeGreaterThanOrEqual(1_000_000);
    await new Promise((r) => setTimeout(r, 50));
    gc();
    const growth = process.memoryUsage().heapUsed - heapBefore;
    process.stdout.write(`[fuzz] ${total.toLocaleString('en')} packets, heap growth after GC ${(growth / 2 ** 20).toFixed(1)} MiB\n`);
    expect(growth).toBeLessThan(64 * 2 ** 20);
    expect(rejections).toEqual([]);
  });
});
