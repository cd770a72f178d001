import { describe, expect, it } from 'vitest';
import { isBuError } from '../base';
import { randomBytes } from '../crypto';
import { CMD_FIND_NODE, CMD_GET, CMD_PING, CMD_PUT, DHT_REQUEST, DHT_RESPONSE } from './constants';
import { decodeMessage, encodeRequest, encodeResponse, MAX_WIRE_NODES, type DhtRequest, type DhtResponse } from './messages';
import { nodeIdOf } from './node-id';
import { decodeRecord, encodeRecord, type DhtRecord } from './record';
import { DhtWireError, ipBytes, ipv6String, Reader, Writer } from './wire';

const id = () => randomBytes(32);
const ep = (port: number) => ({ host: '127.0.0.1', port });
const nodes = (n: number) => Array.from({ length: n }, (_, i) => ({ id: nodeIdOf(ep(2000 + i))!, endpoint: ep(2000 + i), router: i % 3 === 0 }));

const requests: DhtRequest[] = [
  { command: CMD_PING, tid: 1, id: id(), router: false },
  { command: CMD_PING, tid: 65535, id: null, router: true },
  { command: CMD_FIND_NODE, tid: 7, id: id(), router: false, target: id() },
  { command: CMD_GET, tid: 8, id: null, router: false, key: id() },
  { command: CMD_PUT, tid: 9, id: id(), router: true, key: id(), token: randomBytes(16), record: randomBytes(300) },
];
const responses: DhtResponse[] = [
  { command: CMD_PING, tid: 1, id: id(), router: true, to: ep(4000) },
  { command: CMD_FIND_NODE, tid: 2, id: id(), router: false, to: { host: '10.1.2.3', port: 65535 }, token: randomBytes(16), nodes: nodes(20) },
  { command: CMD_GET, tid: 3, id: null, router: false, to: ep(1), token: randomBytes(16), record: randomBytes(1000), nodes: [] },
  { command: CMD_GET, tid: 4, id: id(), router: false, to: { host: '2001:db8::1', port: 9 }, token: randomBytes(16), record: null, nodes: nodes(3) },
  { command: CMD_PUT, tid: 5, id: id(), router: false, to: ep(80), status: 7 },
];

function sampleRecord(): DhtRecord {
  return {
    publicKey: Uint8Array.from([2, ...randomBytes(32)]),
    appId: 1,
    seq: 2 ** 53 - 1,
    expiresAt: 0xffff_fffe,
    entries: [
      { host: '203.0.113.9', port: 4000, appId: 1, agent: 'BitUnicom/0.1 ✓' },
      { host: 'router.example.org', port: 65535, appId: 2, agent: '', via: '198.51.100.1:7000' },
    ],
    extra: randomBytes(512),
    signature: randomBytes(65),
  };
}

describe('DHT message codec', () => {
  it('round-trips every request and response shape', () => {
    for (const r of requests) {
      const b = encodeRequest(r);
      expect(b[0]).toBe(DHT_REQUEST);
      expect(decodeMessage(b)).toEqual({ kind: 'request', ...r });
    }
    for (const r of responses) {
      const b = encodeResponse(r);
      expect(b[0]).toBe(DHT_RESPONSE);
      expect(decodeMessage(b)).toEqual({ kind: 'response', ...r });
    }
  });

  it('keeps a FIND_NODE answer with k = 20 nodes under 1,200 bytes', () => {
    expect(encodeResponse(responses[1]!).length).toBeLessThan(1200);
  });

  it('decodes into copies that do not alias the datagram buffer', () => {
    const b = Buffer.from(encodeRequest(requests[2]!));
    const m = decodeMessage(b) as DhtRequest & { target: Uint8Array };
    b.fill(0);
    expect(m.target).toEqual((requests[2] as { target: Uint8Array }).target);
    expect(Object.getPrototypeOf(m.target)).toBe(Uint8Array.prototype);
  });

  it('rejects every truncation and any trailing byte with DhtWireError only', () => {
    for (const m of [...requests.map(encodeRequest), ...responses.map(encodeResponse)]) {
      for (let n = 0; n < m.length; n++) expect(() => decodeMessage(m.subarray(0, n))).toThrow(DhtWireError);
      expect(() => decodeMessage(Uint8Array.from([...m, 0]))).toThrow(DhtWireError);
    }
  });

  it('rejects unknown versions, commands, flags, families, counts and oversize', () => {
    const ping = encodeRequest(requests[0]!);
    const bad = (patch: (b: Uint8Array) => void, from = ping) => {
      const b = Uint8Array.from(from);
      patch(b);
      return b;
    };
    expect(() => decodeMessage(bad((b) => (b[1] = 2)))).toThrow(/version/);
    expect(() => decodeMessage(bad((b) => (b[2] = 9)))).toThrow(/command/);
    expect(() => decodeMessage(bad((b) => (b[3] = 0x80)))).toThrow(/flags/);
    expect(() => decodeMessage(bad((b) => (b[0] = 0x22)))).toThrow(/not a DHT/);
    const fn = encodeResponse(responses[1]!);
    expect(() => decodeMessage(bad((b) => (b[38] = 5), fn))).toThrow(/family/); // 'to' family byte (after 6 + 32)
    expect(() => decodeMessage(bad((b) => (b[38 + 7 + 16] = MAX_WIRE_NODES + 1), fn))).toThrow(/too many nodes/);
    expect(() => decodeMessage(new Uint8Array(5000).fill(0x20))).toThrow(/too large/);
  });

  it('throws nothing but DhtWireError on random garbage', () => {
    for (let i = 0; i < 20_000; i++) {
      const b = randomBytes(1 + (i % 120));
      b[0] = i % 2 ? DHT_REQUEST : DHT_RESPONSE;
      if (i % 3) b[1] = 1;
      try {
        decodeMessage(b);
      } catch (e) {
        expect(e).toBeInstanceOf(DhtWireError);
        expect(isBuError(e, 'BAD_INPUT')).toBe(true);
      }
    }
  });
});

describe('record codec', () => {
  it('round-trips a record with every optional field and limits at their maximum', () => {
    const r = sampleRecord();
    expect(decodeRecord(encodeRecord(r))).toEqual(r);
    const minimal = { ...r, entries: [], extra: undefined };
    const { extra: _omit, ...noExtra } = minimal;
    expect(decodeRecord(encodeRecord(minimal))).toEqual(noExtra);
  });

  it('refuses to encode out-of-range fields', () => {
    const r = sampleRecord();
    expect(() => encodeRecord({ ...r, seq: 2 ** 53 })).toThrow(DhtWireError);
    expect(() => encodeRecord({ ...r, appId: -1 })).toThrow(DhtWireError);
    expect(() => encodeRecord({ ...r, extra: new Uint8Array(513) })).toThrow(DhtWireError);
    expect(() => encodeRecord({ ...r, entries: [{ host: 'not a host!', port: 1, appId: 1, agent: '' }] })).toThrow(DhtWireError);
    expect(() => encodeRecord({ ...r, entries: [{ host: 'a.b', port: 0, appId: 1, agent: '' }] })).toThrow(DhtWireError);
    expect(() => encodeRecord({ ...r, entries: [{ host: 'a.b', port: 1, appId: 1, agent: '', via: 'nope' }] })).toThrow(DhtWireError);
    expect(() => encodeRecord({ ...r, entries: Array(17).fill(r.entries[0]) })).toThrow(DhtWireError);
  });

  it('decodes strictly: truncations, trailing bytes, bad UTF-8, bad hosts, uncompressed keys', () => {
    const b = encodeRecord(sampleRecord());
    for (let n = 0; n < b.length; n += 7) expect(() => decodeRecord(b.subarray(0, n))).toThrow(DhtWireError);
    expect(() => decodeRecord(Uint8Array.from([...b, 1]))).toThrow(DhtWireError);
    const key4 = Uint8Array.from(b);
    key4[1] = 4;
    expect(() => decodeRecord(key4)).toThrow(/compressed/);
    // first entry's host starts at 1 + 33 + 4 + 8 + 4 + 1 = 51 (length byte), host bytes at 52
    const badUtf8 = Uint8Array.from(b);
    badUtf8[52] = 0xff;
    expect(() => decodeRecord(badUtf8)).toThrow(DhtWireError);
    for (let i = 0; i < 5000; i++) {
      const g = randomBytes(1 + (i % 400));
      g[0] = 1;
      try {
        decodeRecord(g);
      } catch (e) {
        expect(e).toBeInstanceOf(DhtWireError);
      }
    }
  });
});

describe('wire primitives', () => {
  it('reads and writes integers at their limits', () => {
    const w = new Writer(1).u8(255).u16(65535).u32(0xffff_ffff).u53(2 ** 53 - 1);
    const r = new Reader(w.finish());
    expect([r.u8(), r.u16(), r.u32(), r.u53()]).toEqual([255, 65535, 0xffff_ffff, 2 ** 53 - 1]);
    r.end();
    expect(() => new Reader(new Writer().u32(0x0020_0000).u32(0).finish()).u53()).toThrow(/2\^53/);
  });

  it('prints IPv6 in RFC 5952 form and parses both families', () => {
    for (const s of ['::1', '2001:db8::1', 'fe80::1:2', '1:2:3:4:5:6:7:8', '::', '1::']) expect(ipv6String(ipBytes(s)!)).toBe(s);
    expect(ipv6String(ipBytes('2001:db8:0:0:1:0:0:1')!)).toBe('2001:db8::1:0:0:1');
    expect(ipBytes('10.0.0.1')).toEqual(Uint8Array.from([10, 0, 0, 1]));
    expect(ipBytes('example.org')).toBeNull();
  });
});
