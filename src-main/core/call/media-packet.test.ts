/** @module call/media-packet.test */
import { describe, expect, it } from 'vitest';
import { isBuError } from '../base';
import { randomBytes } from '../crypto';
import { deriveCallKeys, newCallKeyPair } from './keys';
import {
  decodeBody,
  encodeBody,
  isCallMediaPacket,
  MAX_MEDIA_PACKET,
  MAX_VIDEO_CHUNK,
  MediaPacketOpener,
  sealMediaPacket,
  type MediaBody,
} from './media-packet';

function keys() {
  const callId = randomBytes(16);
  const a = newCallKeyPair();
  const b = newCallKeyPair();
  const base = { callId, callerAddress: '0x01', calleeAddress: '0x02' };
  return {
    callId,
    tx: deriveCallKeys({ ...base, own: a, peerPublic: b.publicKey, weAreCaller: true }),
    rx: deriveCallKeys({ ...base, own: b, peerPublic: a.publicKey, weAreCaller: false }),
  };
}

const common = { seq: 9, timestamp: 0xfffffff0, captureMs: 1_765_000_000_123.5, sendMs: 77 };
const bodies: MediaBody[] = [
  { ...common, type: 'audio', payload: new Uint8Array([1, 2, 3]) },
  { ...common, type: 'video', keyframe: true, frameId: 4, index: 1, count: 3, durationUs: 33_333, width: 640, height: 360, payload: new Uint8Array(MAX_VIDEO_CHUNK).fill(7) },
  {
    ...common,
    type: 'report',
    report: {
      echoMs: 123,
      delaySinceMs: 45,
      delay: 1,
      audio: { fractionLost: 25, cumulativeLost: 3, highestSeq: 100, jitterUs: 4000, receiveBps: 32000 },
      video: { fractionLost: 0, cumulativeLost: 0, highestSeq: 9, jitterUs: 0, receiveBps: 500_000 },
    },
  },
  { ...common, type: 'keyframe-request' },
];

function rejects(bytes: Uint8Array): void {
  let err: unknown;
  try {
    decodeBody(bytes);
  } catch (e) {
    err = e;
  }
  expect(isBuError(err, 'BAD_ENVELOPE')).toBe(true);
}

describe('media packet body', () => {
  it('round-trips every packet type', () => {
    for (const b of bodies) expect(decodeBody(encodeBody(b))).toEqual(b);
  });

  it('rejects truncated, oversized, unknown and reserved-bit bodies', () => {
    for (const b of bodies) {
      const e = encodeBody(b);
      rejects(e.subarray(0, 21));
      if (b.type === 'report' || b.type === 'keyframe-request') {
        rejects(e.subarray(0, e.length - 1));
        const longer = new Uint8Array(e.length + 1);
        longer.set(e);
        rejects(longer);
      }
    }
    const audio = encodeBody(bodies[0]!);
    rejects(audio.subarray(0, 22)); // no payload
    const unknown = audio.slice();
    unknown[0] = 9;
    rejects(unknown);
    const flagged = audio.slice();
    flagged[1] = 1; // keyframe flag only on video
    rejects(flagged);
    const video = encodeBody(bodies[1]!);
    const badIndex = video.slice();
    new DataView(badIndex.buffer).setUint16(22 + 4, 3); // index == count
    rejects(badIndex);
    expect(() => encodeBody({ ...(bodies[1] as MediaBody & { type: 'video' }), payload: new Uint8Array(MAX_VIDEO_CHUNK + 1) })).toThrow();
  });
});

describe('sealed media packets', () => {
  it('fit one datagram, open once, and reject replays, other calls and tampering', () => {
    const { callId, tx, rx } = keys();
    const opener = new MediaPacketOpener(rx, callId);
    const pkt = sealMediaPacket(tx, callId, 0, bodies[1]!);
    expect(pkt.length).toBe(MAX_MEDIA_PACKET);
    expect(isCallMediaPacket(pkt)).toBe(true);
    expect(isCallMediaPacket(new Uint8Array([0xb0, ...pkt.subarray(1)]))).toBe(false);
    expect(opener.open(pkt)).toEqual(bodies[1]);
    expect(opener.open(pkt)).toBe('replay');

    const second = sealMediaPacket(tx, callId, 1, bodies[0]!);
    const tampered = second.slice();
    tampered[tampered.length - 1]! ^= 0x80;
    expect(opener.open(tampered)).toBe('auth');
    const wrongCounter = second.slice();
    wrongCounter[13]! ^= 2;
    expect(opener.open(wrongCounter)).toBe('auth');
    expect(opener.open(second.subarray(0, 30))).toBe('malformed');
    const otherTag = second.slice();
    otherTag[2]! ^= 1;
    expect(opener.open(otherTag)).toBe('other-call');
    expect(opener.open(second)).toEqual(bodies[0]);
  });

  it('reject a packet sealed with another call key', () => {
    const one = keys();
    const two = keys();
    const pkt = sealMediaPacket(two.tx, one.callId, 0, bodies[3]!);
    expect(new MediaPacketOpener(one.rx, one.callId).open(pkt)).toBe('auth');
  });
});
