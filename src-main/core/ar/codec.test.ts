import { describe, expect, it } from 'vitest';
import { MAX_PAYLOAD } from '../session';
import { AR_TAG, MAILBOX_MAX_BLOB, Msg, PROBE_REQUEST_BYTES } from './constants';
import { decodeArMessage, encodeAckBatches, encodeArMessage, encodeItemBatches, isArPayload, type ArMessage } from './messages';
import { decodeProbeReply, decodeProbeRequest, encodeProbeReply, encodeProbeRequest } from './probe';
import { makeIdentity } from './test-helpers';

const A = makeIdentity().address;
const B = makeIdentity().address;
const cid = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
const ep = { host: '203.0.113.7', port: 40404 };
const eps = [ep, { host: '192.168.1.20', port: 5000 }, { host: 'node.example', port: 1 }];

const samples: ArMessage[] = [
  { t: Msg.REGISTER, req: 1, endpoints: eps },
  { t: Msg.REGISTERED, req: 0xffffffff, observed: ep, pending: 3 },
  { t: Msg.PING, req: 7 },
  { t: Msg.PONG, req: 7 },
  { t: Msg.INTRO_REQ, req: 9, target: B, endpoints: [] },
  { t: Msg.INTRO_OK, req: 9, observed: ep, endpoints: eps },
  { t: Msg.INTRO, intro: 42, peer: A, observed: ep, endpoints: eps },
  { t: Msg.INTRO_ACCEPT, intro: 42 },
  { t: Msg.RELAY_REQ, req: 5, target: B },
  { t: Msg.RELAY_OK, req: 5, cid, ttlMs: 3_600_000, bytesPerSec: 262_144 },
  { t: Msg.RELAY_OFFER, peer: A, cid, ttlMs: 1000, bytesPerSec: 1 },
  { t: Msg.RELAY_ACCEPT, cid },
  { t: Msg.RELAY_RENEW, req: 6, cid },
  { t: Msg.RELAY_CLOSE, cid, reason: 2 },
  { t: Msg.MAILBOX_PUT, req: 8, recipient: B, blob: Uint8Array.from([9, 9, 9]) },
  { t: Msg.MAILBOX_STORED, req: 8, id: new Uint8Array(16).fill(0xab), expiresAt: 1_900_000_000_000 },
  { t: Msg.MAILBOX_ITEMS, items: [{ id: new Uint8Array(16).fill(1), receivedAt: 1_700_000_000_123, sender: A, blob: new Uint8Array(100).fill(5) }] },
  { t: Msg.MAILBOX_ACK, ids: [new Uint8Array(16).fill(1), new Uint8Array(16).fill(2)] },
  { t: Msg.ERROR, req: 3, code: 5 },
];

describe('AR control messages', () => {
  it('round-trips every message type, tagged 0xA7 (never a protobuf Msg first byte)', () => {
    for (const m of samples) {
      const b = encodeArMessage(m);
      expect(b[0]).toBe(AR_TAG);
      expect(b[1]).toBe(m.t);
      expect(isArPayload(b)).toBe(true);
      expect(decodeArMessage(b)).toEqual(m);
    }
    // chat payloads are protobuf Msg whose first field (version = 1, varint) encodes as 0x08
    expect(isArPayload(Uint8Array.from([0x08, 0x01, 0x10]))).toBe(false);
  });

  it('rejects truncated, extended and unknown messages', () => {
    for (const m of samples) {
      const b = encodeArMessage(m);
      if (m.t !== Msg.MAILBOX_PUT) {
        // MAILBOX_PUT's blob is "the rest", so a shorter one is still well-formed
        expect(decodeArMessage(b.subarray(0, b.length - 1))).toBeNull();
        expect(decodeArMessage(Uint8Array.from([...b, 0]))).toBeNull();
      }
    }
    expect(decodeArMessage(Uint8Array.from([AR_TAG, 0x55, 0, 0, 0, 0]))).toBeNull();
    expect(decodeArMessage(Uint8Array.from([AR_TAG]))).toBeNull();
  });

  it('rejects a bad endpoint family, too many endpoints and oversized blobs', () => {
    const reg = encodeArMessage({ t: Msg.REGISTER, req: 1, endpoints: [ep] });
    const badFamily = reg.slice();
    badFamily[7] = 6;
    expect(decodeArMessage(badFamily)).toBeNull();
    const many = Uint8Array.from([AR_TAG, Msg.REGISTER, 0, 0, 0, 1, 9]);
    expect(decodeArMessage(many)).toBeNull();
    expect(() => encodeArMessage({ t: Msg.MAILBOX_PUT, req: 1, recipient: B, blob: new Uint8Array(MAILBOX_MAX_BLOB + 1) })).toThrow();
    const put = encodeArMessage({ t: Msg.MAILBOX_PUT, req: 1, recipient: B, blob: new Uint8Array(MAILBOX_MAX_BLOB) });
    expect(put.length).toBeLessThanOrEqual(MAX_PAYLOAD);
    expect(decodeArMessage(Uint8Array.from([...put, 1]))).toBeNull();
  });

  it('splits mailbox items into payloads that each fit a session payload', () => {
    const items = Array.from({ length: 7 }, (_, i) => ({ id: new Uint8Array(16).fill(i), receivedAt: i, sender: A, blob: new Uint8Array(i === 3 ? MAILBOX_MAX_BLOB : 20_000).fill(i) }));
    const batches = encodeItemBatches(items);
    expect(batches.length).toBeGreaterThan(1);
    const back = batches.flatMap((b) => {
      expect(b.length).toBeLessThanOrEqual(MAX_PAYLOAD);
      const m = decodeArMessage(b);
      return m?.t === Msg.MAILBOX_ITEMS ? m.items : [];
    });
    expect(back.map((x) => x.receivedAt)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(back[3]!.blob.length).toBe(MAILBOX_MAX_BLOB);
    const acks = encodeAckBatches(Array.from({ length: 2500 }, () => new Uint8Array(16)));
    expect(acks).toHaveLength(3);
  });
});

describe('router probe', () => {
  it('answers are never larger than the padded request (no amplification)', () => {
    const nonce = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const req = encodeProbeRequest(nonce);
    expect(req.length).toBe(PROBE_REQUEST_BYTES);
    expect(decodeProbeRequest(req)).toEqual(nonce);
    expect(decodeProbeRequest(req.subarray(0, 95))).toBeNull();
    for (const host of ['203.0.113.9', 'ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255']) {
      const reply = encodeProbeReply(nonce, A, { host, port: 65535 })!;
      expect(reply.length).toBeLessThanOrEqual(req.length);
      expect(decodeProbeReply(reply)).toEqual({ nonce, address: A, observed: { host, port: 65535 } });
    }
  });
});
