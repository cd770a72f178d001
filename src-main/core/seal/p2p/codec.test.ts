import { describe, expect, it } from 'vitest';
import { keccak256 } from '../../crypto';
import {
  decodeFrame,
  encodeAck,
  encodeChunk,
  encodeDirect,
  encodeGossip,
  encodeHello,
  encodeIHave,
  encodeIWant,
  encodeNack,
  encodeRequest,
  encodeResponse,
  isPoePayload,
  type Hello,
} from './codec';
import { CHUNK_BYTES, DEFAULT_TUNING, Frame, MAX_MESSAGE, POE_TAG, ResponseStatus } from './constants';
import { ByteCache, CostBuckets, SeenSet } from './limits';
import { Outbox } from './outbox';
import { Reassembly, Retention } from './transfers';

const turn = () => new Promise((r) => setImmediate(r));

const A = '0x' + '11'.repeat(20);
const B = '0x' + 'aB'.repeat(20);

describe('POE frame codec', () => {
  it('round-trips every frame type', () => {
    const hello: Hello = {
      flags: 3,
      networkId: 0x1234_5678_9abc_def0n,
      endpoints: [{ host: '203.0.113.5', port: 30303 }, { host: 'node.example.org', port: 9 }],
      routers: [{ host: '198.51.100.1', port: 7000 }],
      pex: [{ address: '0x' + 'ab'.repeat(20), public: true, endpoints: [{ host: '10.0.0.2', port: 1 }], routers: [] }],
    };
    const h = decodeFrame(encodeHello(hello), CHUNK_BYTES);
    expect(h?.t).toBe(Frame.HELLO);
    if (h?.t !== Frame.HELLO) throw new Error('unreachable');
    expect(h.hello.networkId).toBe(hello.networkId);
    expect(h.hello.endpoints).toEqual(hello.endpoints);
    expect(h.hello.routers).toEqual(hello.routers);
    expect(h.hello.pex[0]!.address.toLowerCase()).toBe(hello.pex[0]!.address);
    expect(h.hello.pex[0]!.public).toBe(true);

    const payload = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
    const id = keccak256(payload);
    expect(decodeFrame(encodeGossip(7, id, payload), CHUNK_BYTES)).toEqual({ t: Frame.GOSSIP, hops: 7, id, payload });
    expect(decodeFrame(encodeDirect(payload), CHUNK_BYTES)).toEqual({ t: Frame.DIRECT, payload });
    expect(decodeFrame(encodeIHave([{ id, size: 99_999 }]), CHUNK_BYTES)).toEqual({ t: Frame.IHAVE, items: [{ id, size: 99_999 }] });
    expect(decodeFrame(encodeIWant([id, id]), CHUNK_BYTES)).toEqual({ t: Frame.IWANT, ids: [id, id] });
    expect(decodeFrame(encodeRequest(0xfffffffe, payload), CHUNK_BYTES)).toEqual({ t: Frame.REQUEST, req: 0xfffffffe, payload });
    expect(decodeFrame(encodeResponse(5, ResponseStatus.BUSY, new Uint8Array(0)), CHUNK_BYTES)).toEqual({ t: Frame.RESPONSE, req: 5, status: ResponseStatus.BUSY, payload: new Uint8Array(0) });
    expect(decodeFrame(encodeNack(9, 20, 17, [0, 7, 19]), CHUNK_BYTES)).toEqual({ t: Frame.NACK, xfer: 9, count: 20, got: 17, missing: [0, 7, 19] });
    expect(decodeFrame(encodeNack(9, 20, 18, [0, 7, 19]), CHUNK_BYTES)).toBeNull(); // more missing than it lacks
    expect(decodeFrame(encodeAck(3, 64), CHUNK_BYTES)).toEqual({ t: Frame.ACK, xfer: 3, got: 64 });
    expect(isPoePayload(encodeDirect(payload))).toBe(true);
    expect(isPoePayload(Uint8Array.of(0xa7, 1, 2))).toBe(false);
  });

  it('rejects malformed frames instead of throwing', () => {
    const good = encodeHello({ flags: 0, networkId: 0n, endpoints: [{ host: '1.2.3.4', port: 5 }], routers: [], pex: [] });
    expect(decodeFrame(good, CHUNK_BYTES)).not.toBeNull();
    for (let cut = 0; cut < good.length; cut++) expect(decodeFrame(good.subarray(0, cut), CHUNK_BYTES)).toBeNull();
    expect(decodeFrame(Uint8Array.from([...good, 0]), CHUNK_BYTES)).toBeNull(); // trailing byte
    expect(decodeFrame(Uint8Array.of(POE_TAG, 2, Frame.DIRECT), CHUNK_BYTES)).toBeNull(); // unknown version
    expect(decodeFrame(Uint8Array.of(POE_TAG, 1, 0x7e), CHUNK_BYTES)).toBeNull(); // unknown type
    const badPort = good.slice();
    badPort[good.length - 4] = 0; // port 0 of the one endpoint
    badPort[good.length - 3] = 0;
    expect(decodeFrame(badPort, CHUNK_BYTES)).toBeNull();
    expect(decodeFrame(Uint8Array.of(POE_TAG, 1, Frame.IWANT, 0), CHUNK_BYTES)).toBeNull(); // zero ids
    expect(decodeFrame(Uint8Array.of(POE_TAG, 1, Frame.RESPONSE, 0, 0, 0, 1, 9), CHUNK_BYTES)).toBeNull(); // unknown status
    // a chunk whose size does not match its position
    const frame = new Uint8Array(CHUNK_BYTES * 2 + 10);
    const c0 = encodeChunk(1, 0, 3, frame, CHUNK_BYTES);
    expect(decodeFrame(c0, CHUNK_BYTES)).not.toBeNull();
    expect(decodeFrame(c0.subarray(0, c0.length - 1), CHUNK_BYTES)).toBeNull();
    const lied = c0.slice();
    lied[10] = 9; // count 3 → 9: inconsistent with the total
    expect(decodeFrame(lied, CHUNK_BYTES)).toBeNull();
    // oversized gossip
    expect(decodeFrame(encodeDirect(new Uint8Array(MAX_MESSAGE + 1)), CHUNK_BYTES)).toBeNull();
  });
});

describe('chunk transfers', () => {
  const t = { ...DEFAULT_TUNING, nackAfterMs: 50, maxNacks: 2, reassemblyTimeoutMs: 1000 };

  it('reassembles out of order, ignores duplicates, asks for the missing chunks, and is bounded', () => {
    const frame = Uint8Array.from({ length: CHUNK_BYTES * 4 + 123 }, (_, i) => (i * 7) & 0xff);
    const count = 5;
    const r = new Reassembly(t, CHUNK_BYTES);
    const chunk = (i: number) => {
      const f = decodeFrame(encodeChunk(42, i, count, frame, CHUNK_BYTES), CHUNK_BYTES);
      if (f?.t !== Frame.CHUNK) throw new Error('bad chunk');
      return f;
    };
    expect(r.add('a', chunk(4), 0)).toBeNull();
    expect(r.add('a', chunk(0), 1)).toBeNull();
    expect(r.add('a', chunk(0), 2)).toBeNull(); // duplicate
    expect(r.held()).toBe(frame.length);
    const nacks: Uint8Array[] = [];
    r.tick(100, (_p, n) => nacks.push(n));
    expect(nacks).toHaveLength(1);
    expect(decodeFrame(nacks[0]!, CHUNK_BYTES)).toEqual({ t: Frame.NACK, xfer: 42, count, got: 2, missing: [1, 2, 3] });
    expect(r.add('a', chunk(2), 110)).toBeNull();
    expect(r.add('a', chunk(1), 111)).toBeNull();
    const whole = r.add('a', chunk(3), 112);
    expect(whole).toEqual(frame);
    expect(r.held()).toBe(0);

    // per-peer count bound: the fifth concurrent transfer of one peer is refused
    const small = { ...t, reassemblyPerPeer: 2 };
    const r2 = new Reassembly(small, CHUNK_BYTES);
    const mk = (xfer: number) => decodeFrame(encodeChunk(xfer, 0, count, frame, CHUNK_BYTES), CHUNK_BYTES) as Extract<ReturnType<typeof decodeFrame>, { t: 0x10 }>;
    r2.add('a', mk(1), 0);
    r2.add('a', mk(2), 0);
    r2.add('a', mk(3), 0);
    expect(r2.stats.refused).toBe(1);
    r2.add('b', mk(3), 0); // another peer still has room
    expect(r2.stats.started).toBe(3);
    // stalled transfers are abandoned after their NACKs ran out, or at the timeout
    for (let now = 100; now <= 2000; now += 50) r2.tick(now, () => undefined);
    expect(r2.held()).toBe(0);
    expect(r2.stats.abandoned).toBe(3);
  });

  it('keeps chunked frames for NACKs, once per frame, within its byte bound', () => {
    const ret = new Retention({ retainMs: 100, retainBytes: 3000 });
    const f1 = new Uint8Array(1000);
    const f2 = new Uint8Array(2500);
    const x1 = ret.start('a', f1, 2, 0);
    const x1b = ret.start('b', f1, 2, 0);
    expect(ret.held()).toBe(1000); // one frame to two peers is held once
    expect(ret.get('a', x1, 2)).toBe(f1);
    expect(ret.get('a', x1, 3)).toBeNull(); // count mismatch
    ret.start('a', f2, 3, 10); // 3,500 > 3,000: the oldest goes
    expect(ret.get('a', x1, 2)).toBeNull();
    expect(ret.held()).toBeLessThanOrEqual(3500);
    ret.tick(500);
    expect(ret.get('b', x1b, 2)).toBeNull();
    expect(ret.held()).toBe(0);
  });

  it('bounded helpers: seen set, byte cache, cost buckets', () => {
    const s = new SeenSet(3);
    for (const id of ['a', 'b', 'c', 'd']) s.add(id);
    expect(s.has('a')).toBe(false);
    expect(s.has('d')).toBe(true);
    expect(s.size).toBe(3);
    const c = new ByteCache<Uint8Array>(100, 1000);
    c.set('x', new Uint8Array(60), 0);
    c.set('y', new Uint8Array(60), 1);
    expect(c.get('x', 2)).toBeNull();
    expect(c.get('y', 2)?.length).toBe(60);
    expect(c.get('y', 5000)).toBeNull();
    const b = new CostBuckets({ ratePerSec: 1000, burst: 2000 });
    expect(b.take(A, 1500, 0)).toBe(true);
    expect(b.take(A, 1000, 0)).toBe(false);
    expect(b.take(B, 1000, 0)).toBe(true);
    expect(b.take(A, 1000, 600)).toBe(true); // refilled 600
  });
});

describe('outbox', () => {
  it('sends small frames first, paces chunks, honours the window, and queues repairs once', async () => {
    const sent: Array<{ peer: string; f: ReturnType<typeof decodeFrame> }> = [];
    const ob = new Outbox((peer, b) => (sent.push({ peer, f: decodeFrame(b, CHUNK_BYTES) }), true), { pumpBytesPerTurn: CHUNK_BYTES, outboxBytes: 1 << 30, windowChunks: 4 }, CHUNK_BYTES);
    const frame = new Uint8Array(CHUNK_BYTES * 9 + 1); // 10 chunks
    ob.chunks('p', 7, frame, 10);
    ob.frame('p', encodeDirect(Uint8Array.of(1)));
    await turn();
    expect(sent.map((s) => s.f?.t)).toEqual([Frame.DIRECT, Frame.CHUNK]); // the vote overtakes the block; budget spent
    for (let i = 0; i < 5; i++) await turn();
    const idx = () => sent.filter((s) => s.f?.t === Frame.CHUNK).map((s) => (s.f as { index: number }).index);
    expect(idx()).toEqual([0, 1, 2, 3]); // window of 4: waits for the receiver
    ob.chunks('p', 7, frame, 10, [1, 5]); // 1 was lost: repaired at once; 5 is still queued: not twice
    for (let i = 0; i < 3; i++) await turn();
    expect(idx()).toEqual([0, 1, 2, 3, 1]);
    ob.ack('p', 7, 4);
    for (let i = 0; i < 5; i++) await turn();
    expect(idx()).toEqual([0, 1, 2, 3, 1, 4, 5, 6, 7]);
    ob.expire(Date.now() + 60_000, 1000); // no ACK for long: the stream is dropped
    expect(ob.stats.stalled).toBe(1);
    expect(ob.pending('p')).toBe(0);
  });
});
