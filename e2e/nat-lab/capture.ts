/**
 * @module e2e/nat-lab/capture
 * What a router sees of a relayed call: `fixtures/udp-capture.py` records the UDP datagrams to
 * or from the router port on the interfaces of a router's namespace (AF_PACKET, both
 * directions), and the functions here read that record and look for anything that is not
 * ciphertext.
 *
 * A relayed session datagram is `[0x40][cid 8]` (the relay frame, ar/README.md) around a
 * session TRANSPORT datagram `[0x05][0 0 0][receiver sid 4][counter 8][AES-256-GCM ‖ tag 16]`
 * (session/README.md): the first 25 bytes are cleartext by design, the rest must look random.
 * The checks: byte-identical inner datagrams forwarded from one client to the other (the
 * router relays, it does not re-encrypt), needles (the call id as raw bytes, hex, UTF-8)
 * absent from every payload, no payload that fits the callers' tones as PCM, and a byte
 * distribution of the encrypted part that is indistinguishable from uniform.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './bu-cli';
import { LAB_DIR, spawnIn, type LabHost, type LabProcess } from './lab';

const SCRIPT = join(LAB_DIR, 'fixtures/udp-capture.py');
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** Relay frame header: 0x40 and the 8-byte circuit id. */
export const RELAY_HEADER = 9;
/** Session TRANSPORT header (GCM AAD): type, 3 reserved, receiver sid, counter. */
export const TRANSPORT_HEADER = 16;
/** Bytes of a relayed TRANSPORT datagram before its ciphertext. */
export const CLEAR_PREFIX = RELAY_HEADER + TRANSPORT_HEADER;

export type Datagram = { dir: 'in' | 'out'; t: number; src: string; sport: number; dst: string; dport: number; payload: Buffer };
export type RelayFrame = Datagram & { cid: Buffer; inner: Buffer };
export type CaptureSummary = { records: number; frames: number; interfaces: string[] };
export type Capture = { host: LabHost; proc: LabProcess; stop(): Promise<{ datagrams: Datagram[]; summary: CaptureSummary }> };

const ip = (b: Buffer, at: number): string => `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;

/** udp-capture.py's record header (`>Bd4sH4sHH`): direction, time, source, port, destination, port, length. */
const RECORD_HEADER = 23;

/** Parses the record file written by udp-capture.py. */
export function parseCapture(buf: Buffer): Datagram[] {
  const out: Datagram[] = [];
  let at = 0;
  while (at + RECORD_HEADER <= buf.length) {
    const len = buf.readUInt16BE(at + 21);
    if (at + RECORD_HEADER + len > buf.length) break; // a record cut short by the stop
    out.push({
      dir: buf[at] === 1 ? 'out' : 'in',
      t: buf.readDoubleBE(at + 1),
      src: ip(buf, at + 9),
      sport: buf.readUInt16BE(at + 13),
      dst: ip(buf, at + 15),
      dport: buf.readUInt16BE(at + 19),
      payload: Buffer.from(buf.subarray(at + RECORD_HEADER, at + RECORD_HEADER + len)),
    });
    at += RECORD_HEADER + len;
  }
  return out;
}

/** Starts recording UDP `port` in `host`'s namespace; resolves once the raw socket is open. */
export async function startCapture(host: LabHost, port: number, maxSeconds = 120): Promise<Capture> {
  const file = join(tempDir(`capture-${host}`), 'udp.bin');
  const proc = spawnIn(host, [PYTHON, SCRIPT, String(port), String(maxSeconds), file], { name: `${host}(capture)` });
  await proc.waitForLine(/^ready$/, 15_000);
  return {
    host,
    proc,
    async stop() {
      await proc.stop('SIGTERM', 5_000);
      const done = proc.lines.find((l) => l.startsWith('{"done"'));
      if (!done) throw new Error(`${host}: udp-capture.py printed no summary\n${proc.tail()}`);
      const summary = JSON.parse(done) as CaptureSummary;
      return { datagrams: parseCapture(readFileSync(file)), summary };
    },
  };
}

/** The relay frames carrying a session TRANSPORT datagram. */
export function relayedTransport(ds: Datagram[]): RelayFrame[] {
  return ds
    .filter((d) => d.payload.length > CLEAR_PREFIX + 16 && d.payload[0] === 0x40 && d.payload[RELAY_HEADER] === 0x05)
    .map((d) => ({ ...d, cid: d.payload.subarray(1, RELAY_HEADER), inner: d.payload.subarray(RELAY_HEADER) }));
}

export type Forwarding = { inbound: number; forwarded: number; cidRewritten: number; delaysMs: number[] };

/** Of the frames the router received from `from`, how many it sent on to `to` with the same inner datagram. */
export function forwarding(frames: RelayFrame[], from: string, to: string): Forwarding {
  const outs = new Map<string, RelayFrame[]>();
  for (const f of frames) {
    if (f.dir !== 'out' || f.dst !== to) continue;
    const k = f.inner.toString('base64');
    outs.set(k, [...(outs.get(k) ?? []), f]);
  }
  const r: Forwarding = { inbound: 0, forwarded: 0, cidRewritten: 0, delaysMs: [] };
  for (const f of frames) {
    if (f.dir !== 'in' || f.src !== from) continue;
    r.inbound++;
    const o = outs.get(f.inner.toString('base64'))?.shift();
    if (!o) continue;
    r.forwarded++;
    if (!o.cid.equals(f.cid)) r.cidRewritten++;
    r.delaysMs.push((o.t - f.t) * 1000);
  }
  return r;
}

export type Needle = { name: string; bytes: Buffer };

/** The call id (32 hex) as the needles a plaintext leak would show: raw bytes, its first 8, hex and HEX as UTF-8. */
export function callIdNeedles(callId: string): Needle[] {
  const raw = Buffer.from(callId, 'hex');
  if (raw.length !== 16) throw new Error(`call id ${callId} is not 16 bytes of hex`);
  return [
    { name: 'raw 16 bytes', bytes: raw },
    { name: 'first 8 bytes', bytes: raw.subarray(0, 8) },
    { name: 'hex (utf8)', bytes: Buffer.from(callId.toLowerCase(), 'utf8') },
    { name: 'HEX (utf8)', bytes: Buffer.from(callId.toUpperCase(), 'utf8') },
    { name: 'hex (utf16le)', bytes: Buffer.from(callId.toLowerCase(), 'utf16le') },
  ];
}

/** How many payloads contain each needle. */
export function countNeedles(payloads: Buffer[], needles: Needle[]): Record<string, number> {
  return Object.fromEntries(needles.map((n) => [n.name, payloads.filter((p) => p.includes(n.bytes)).length]));
}

/**
 * R² of the least-squares fit x ≈ a·cos(ωn) + b·sin(ωn) + c with ω = 2π·hz/rate: the share of
 * the samples' variance a sinusoid of that frequency (any phase, amplitude, offset) explains.
 * A tone gives ≈ 1; noise of N samples ≈ 2/N.
 */
export function toneFit(x: ArrayLike<number>, hz: number, rate: number): number {
  const n = x.length;
  const w = (2 * Math.PI * hz) / rate;
  let cc = 0, ss = 0, cs = 0, c1 = 0, s1 = 0, xc = 0, xs = 0, x1 = 0, xx = 0;
  for (let i = 0; i < n; i++) {
    const c = Math.cos(w * i);
    const s = Math.sin(w * i);
    const v = x[i]!;
    cc += c * c; ss += s * s; cs += c * s; c1 += c; s1 += s;
    xc += v * c; xs += v * s; x1 += v; xx += v * v;
  }
  const sst = xx - (x1 * x1) / n;
  if (!(sst > 0) || !Number.isFinite(sst)) return 0;
  // Normal equations M·[a b c] = y, solved by Cramer's rule.
  const M = [[cc, cs, c1], [cs, ss, s1], [c1, s1, n]];
  const y = [xc, xs, x1];
  const det = (m: number[][]): number =>
    m[0]![0]! * (m[1]![1]! * m[2]![2]! - m[1]![2]! * m[2]![1]!) - m[0]![1]! * (m[1]![0]! * m[2]![2]! - m[1]![2]! * m[2]![0]!) + m[0]![2]! * (m[1]![0]! * m[2]![1]! - m[1]![1]! * m[2]![0]!);
  const d = det(M);
  if (Math.abs(d) < 1e-9) return 0;
  const coef = [0, 1, 2].map((k) => det(M.map((row, r) => row.map((v, col) => (col === k ? y[r]! : v)))) / d);
  const explained = coef[0]! * xc + coef[1]! * xs + coef[2]! * x1 - (x1 * x1) / n;
  return Math.min(1, Math.max(0, explained / sst));
}

type View = { name: string; read: (b: Buffer) => Float64Array };
const int16 = (le: boolean, off: number): View => ({
  name: `int16${le ? 'le' : 'be'}+${off}`,
  read: (b) => Float64Array.from({ length: Math.floor((b.length - off) / 2) }, (_, i) => (le ? b.readInt16LE(off + 2 * i) : b.readInt16BE(off + 2 * i))),
});
const float32 = (off: number): View => ({
  name: `float32le+${off}`,
  read: (b) => Float64Array.from({ length: Math.floor((b.length - off) / 4) }, (_, i) => {
    const v = b.readFloatLE(off + 4 * i);
    return Number.isFinite(v) ? v : 0;
  }),
});
const VIEWS: View[] = [int16(true, 0), int16(true, 1), int16(false, 0), float32(0), float32(1), float32(2), float32(3)];
const RATES = [48_000, 24_000, 16_000, 8_000];

export type PcmScan = {
  payloads: number;
  /** The largest mean R² over the payloads, among every view × rate × tone. */
  worstMeanR2: number;
  worst: string;
  /** Payloads whose best fit (any view, rate, tone) explains more than half their variance. */
  tonal: number;
  /** The mean R² expected of noise in the int16 view (2 / mean sample count). */
  noiseR2: number;
};

/** Looks for the tones as PCM (int16 LE/BE, float32 LE, any alignment, 8–48 kHz) in the bytes after `skip`. */
export function pcmScan(payloads: Buffer[], tonesHz: number[], skip = CLEAR_PREFIX): PcmScan {
  const combos = VIEWS.flatMap((v) => RATES.flatMap((rate) => tonesHz.map((hz) => ({ v, rate, hz, sum: 0 }))));
  let tonal = 0;
  let samples = 0;
  for (const p of payloads) {
    const body = p.subarray(skip);
    const views = new Map(VIEWS.map((v) => [v.name, v.read(body)]));
    samples += views.get('int16le+0')!.length;
    let best = 0;
    for (const c of combos) {
      const r2 = toneFit(views.get(c.v.name)!, c.hz, c.rate);
      c.sum += r2;
      best = Math.max(best, r2);
    }
    if (best > 0.5) tonal++;
  }
  const n = Math.max(1, payloads.length);
  const worst = combos.reduce((a, b) => (b.sum > a.sum ? b : a));
  return {
    payloads: payloads.length,
    worstMeanR2: worst.sum / n,
    worst: `${worst.v.name} ${worst.hz} Hz at ${worst.rate / 1000} kHz`,
    tonal,
    noiseR2: 2 / Math.max(1, samples / n),
  };
}

export type Uniformity = { bytes: number; chiSquare: number; entropyBits: number };

/** χ² (255 degrees of freedom: 255 ± 23 for random bytes) and Shannon entropy of the bytes after `skip`. */
export function byteUniformity(payloads: Buffer[], skip = CLEAR_PREFIX): Uniformity {
  const counts = new Float64Array(256);
  let total = 0;
  for (const p of payloads) {
    for (let i = skip; i < p.length; i++) counts[p[i]!]!++;
    total += Math.max(0, p.length - skip);
  }
  const expected = total / 256;
  let chi = 0;
  let h = 0;
  for (const c of counts) {
    chi += (c - expected) ** 2 / Math.max(expected, 1e-12);
    if (c > 0) h -= (c / total) * Math.log2(c / total);
  }
  return { bytes: total, chiSquare: chi, entropyBits: h };
}

/** int16 LE PCM of a tone at 48 kHz, `bytes` long, random phase: the leak the scans must catch. */
export function tonePcm(hz: number, bytes: number, amplitude = 0.5): Buffer {
  const b = Buffer.alloc(bytes - (bytes % 2));
  const phase = Math.random() * 2 * Math.PI;
  for (let i = 0; i < b.length / 2; i++) b.writeInt16LE(Math.round(amplitude * 32767 * Math.sin((2 * Math.PI * hz * i) / 48_000 + phase)), 2 * i);
  return b;
}

export const median = (xs: number[]): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
