/**
 * @module call/red
 * Audio redundancy after RFC 2198 (RTP payload for redundant audio data): every audio packet
 * carries the current Opus frame plus copies of the previous one (two when the peer reports
 * more than 10 % loss), so a single (or double) loss is rebuilt from the next packet.
 *
 * Payload layout (inside the encrypted body), big-endian:
 *   count u8 (1…3), then `count` block headers of 11 bytes —
 *   seqBack u8 (0 = primary, else how many frames back), tsDeltaUs u32 (primary timestamp
 *   minus this block's), durationUs u32, length u16 — then the blocks' bytes in the same order.
 * Blocks run oldest first and end with the primary (seqBack strictly decreasing to 0).
 * Redundant copies that would push a packet over one datagram are left out, oldest first.
 */
import { BuError } from '../base';
import { MAX_BODY_PAYLOAD } from './media-packet';

export const RED_BLOCK_HEADER = 11;
export const MAX_RED_LEVEL = 2;
/** Largest Opus frame one packet can carry (no redundancy then). */
export const MAX_AUDIO_PAYLOAD = MAX_BODY_PAYLOAD - 1 - RED_BLOCK_HEADER;

export type AudioFrameIn = { seq: number; timestampUs: number; durationUs: number; data: Uint8Array };
export type RedBlock = { seqBack: number; tsDeltaUs: number; durationUs: number; data: Uint8Array };
export type RecoveredAudio = { seq: number; tsDeltaUs: number; durationUs: number; data: Uint8Array; recovered: boolean };

function bad(why: string): never {
  throw new BuError('BAD_ENVELOPE', `audio redundancy: ${why}`);
}

export function encodeRed(blocks: RedBlock[]): Uint8Array {
  const size = 1 + blocks.reduce((n, b) => n + RED_BLOCK_HEADER + b.data.length, 0);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  out[0] = blocks.length;
  let h = 1;
  let d = 1 + blocks.length * RED_BLOCK_HEADER;
  for (const b of blocks) {
    v.setUint8(h, b.seqBack);
    v.setUint32(h + 1, b.tsDeltaUs);
    v.setUint32(h + 5, b.durationUs);
    v.setUint16(h + 9, b.data.length);
    out.set(b.data, d);
    h += RED_BLOCK_HEADER;
    d += b.data.length;
  }
  return out;
}

/** Strict parse; throws BAD_ENVELOPE. */
export function decodeRed(p: Uint8Array): RedBlock[] {
  if (p.length < 1) bad('empty');
  const n = p[0]!;
  if (n < 1 || n > MAX_RED_LEVEL + 1) bad('block count');
  const v = new DataView(p.buffer, p.byteOffset, p.length);
  let d = 1 + n * RED_BLOCK_HEADER;
  if (p.length < d) bad('truncated headers');
  const blocks: RedBlock[] = [];
  for (let i = 0; i < n; i++) {
    const h = 1 + i * RED_BLOCK_HEADER;
    const len = v.getUint16(h + 9);
    if (len === 0 || d + len > p.length) bad('block length');
    blocks.push({ seqBack: v.getUint8(h), tsDeltaUs: v.getUint32(h + 1), durationUs: v.getUint32(h + 5), data: p.slice(d, d + len) });
    d += len;
  }
  if (d !== p.length) bad('trailing bytes');
  for (let i = 0; i < n; i++) {
    const expectBack = n - 1 - i;
    if (blocks[i]!.seqBack < expectBack || (i > 0 && blocks[i]!.seqBack >= blocks[i - 1]!.seqBack)) bad('block order');
  }
  if (blocks[n - 1]!.seqBack !== 0 || blocks[n - 1]!.tsDeltaUs !== 0) bad('primary block');
  return blocks;
}

/** Sender side: remembers the last frames and builds each packet's RED payload. */
export class RedEncoder {
  private history: AudioFrameIn[] = [];
  /** 1 or 2 redundant copies. */
  level = 1;

  encode(f: AudioFrameIn): Uint8Array {
    if (f.data.length === 0 || f.data.length > MAX_AUDIO_PAYLOAD) throw new BuError('BAD_INPUT', `an audio frame carries 1…${MAX_AUDIO_PAYLOAD} bytes`);
    const blocks: RedBlock[] = [];
    let room = MAX_BODY_PAYLOAD - 1 - RED_BLOCK_HEADER - f.data.length;
    // nearest copy first, so the oldest is the one left out when room runs short
    for (let k = 1; k <= Math.min(this.level, MAX_RED_LEVEL); k++) {
      const prev = this.history[this.history.length - k];
      if (!prev || prev.seq !== f.seq - k) break;
      const delta = f.timestampUs - prev.timestampUs;
      if (!(delta >= 0 && delta <= 0xffffffff)) break;
      if (RED_BLOCK_HEADER + prev.data.length > room) break;
      room -= RED_BLOCK_HEADER + prev.data.length;
      blocks.unshift({ seqBack: k, tsDeltaUs: Math.round(delta), durationUs: prev.durationUs, data: prev.data });
    }
    blocks.push({ seqBack: 0, tsDeltaUs: 0, durationUs: f.durationUs, data: f.data });
    this.history.push(f);
    if (this.history.length > MAX_RED_LEVEL) this.history.shift();
    return encodeRed(blocks);
  }
}

/** Receiver side: delivers frames in sequence order, rebuilding lost ones from later copies. */
export class RedDecoder {
  private highest = -1;
  recovered = 0;
  /** Frames that arrived after a newer one had been delivered (dropped). */
  late = 0;

  /** Frames to hand on for the packet with primary sequence `seq`, oldest first. */
  receive(seq: number, blocks: RedBlock[]): RecoveredAudio[] {
    const out: RecoveredAudio[] = [];
    for (const b of blocks) {
      const s = seq - b.seqBack;
      if (s <= this.highest || s < 0) {
        if (b.seqBack === 0) this.late++;
        continue;
      }
      const recovered = b.seqBack > 0;
      if (recovered) this.recovered++;
      out.push({ seq: s, tsDeltaUs: b.tsDeltaUs, durationUs: b.durationUs, data: b.data, recovered });
      this.highest = s;
    }
    return out;
  }
}
