/**
 * @module e2e/nat-lab/call-evidence
 * The ciphertext assertions of the relayed UI call (calls.spec.ts): given what each router's
 * namespace recorded during the call (capture.ts), find the relaying router and check that
 *
 * - it relayed many media-sized datagrams each way, forwarding each inner session datagram
 *   byte for byte (its circuit id rewritten) from one client's NAT to the other's;
 * - no payload it saw (relayed or its own control traffic) holds the call id, raw or as text,
 *   and the 4-byte call tag that every media packet carries under the session encryption
 *   shows up no more often than chance;
 * - no relayed payload fits either caller's tone as PCM, and the encrypted bytes are uniform.
 *
 * Every detector is first run on a synthetic leak built from the captured frames (their
 * cleartext headers followed by the tone as PCM, or by the call id), which it must flag: a
 * detector that cannot see a leak proves nothing.
 */
import { expect } from 'vitest';
import {
  byteUniformity, callIdNeedles, CLEAR_PREFIX, countNeedles, forwarding, median, pcmScan, RELAY_HEADER, relayedTransport, tonePcm,
  type Datagram, type RelayFrame,
} from './capture';

/** A relayed datagram at least this long (UDP payload) is media: receiver reports are 138 bytes, an Opus frame with its RED copy ~250–300. */
export const MEDIA_MIN_BYTES = 160;

export type EvidenceInput = {
  /** What each router's namespace recorded, by router host. */
  captures: Record<string, Datagram[]>;
  callId: string;
  tonesHz: number[];
  /** The public (NAT WAN) addresses of caller and callee. */
  a: string;
  b: string;
  windowMs: number;
  /** Gets each finding as soon as it is known (so a failing check still leaves the numbers in the log). */
  log: (line: string) => void;
};

export type Evidence = { relay: string };

/** The most common kinds of datagrams (direction, addresses, first byte, size class), for the log. */
function kinds(ds: Datagram[]): string {
  const k = new Map<string, number>();
  for (const d of ds) {
    const key = `${d.dir} ${d.src}:${d.sport}→${d.dst}:${d.dport} 0x${(d.payload[0] ?? 0).toString(16)}/0x${(d.payload[RELAY_HEADER] ?? 0).toString(16)} ${d.payload.length >= MEDIA_MIN_BYTES ? 'large' : 'small'}`;
    k.set(key, (k.get(key) ?? 0) + 1);
  }
  return [...k].sort((x, y) => y[1] - x[1]).slice(0, 8).map(([key, n]) => `${n}× ${key}`).join('; ');
}

export function assertCiphertextOnly(inp: EvidenceInput): Evidence {
  const lines = { push: (...ls: string[]) => ls.forEach((l) => inp.log(l)) };
  const relayed: Record<string, RelayFrame[]> = Object.fromEntries(Object.entries(inp.captures).map(([h, ds]) => [h, relayedTransport(ds)]));
  const relay = Object.keys(relayed).reduce((x, y) => (relayed[y]!.length > relayed[x]!.length ? y : x));
  const frames = relayed[relay]!;
  const media = frames.filter((f) => f.payload.length >= MEDIA_MIN_BYTES);
  /** Datagrams per second over the time the capture saw them arrive. */
  const perSecond = (fs: RelayFrame[]): number => {
    const span = fs.length > 1 ? fs[fs.length - 1]!.t - fs[0]!.t : 0;
    return span > 0 ? Math.round(fs.length / span) : 0;
  };
  for (const [h, ds] of Object.entries(inp.captures)) lines.push(`${h}: ${ds.length} datagrams on :7000, ${relayed[h]!.length} relayed session datagrams; ${kinds(ds)}`);

  // 1. The relay: many media datagrams each way, forwarded unchanged but for the circuit id.
  for (const [from, to, name] of [[inp.a, inp.b, 'a→b'], [inp.b, inp.a, 'b→a']] as const) {
    const mediaIn = media.filter((f) => f.dir === 'in' && f.src === from);
    const fw = forwarding(media, from, to);
    const sizes = mediaIn.map((f) => f.payload.length);
    lines.push(
      `${relay} ${name}: ${mediaIn.length} media datagrams in in ${(mediaIn.length > 1 ? mediaIn[mediaIn.length - 1]!.t - mediaIn[0]!.t : 0).toFixed(1)} s (${perSecond(mediaIn)}/s, median ${median(sizes)} B, ${Math.min(...sizes)}–${Math.max(...sizes)} B), ` +
        `${fw.forwarded} forwarded byte-identical to ${to} (${fw.cidRewritten} with the circuit id rewritten), forwarding delay median ${median(fw.delaysMs).toFixed(2)} ms`,
    );
    expect(perSecond(mediaIn), `${name}: media datagrams per second through ${relay} (Opus frames are 20 ms: ~50/s)`).toBeGreaterThanOrEqual(20);
    expect(fw.inbound).toBe(mediaIn.length);
    expect(fw.forwarded, `${name}: inner datagrams ${relay} forwarded unchanged`).toBeGreaterThanOrEqual(Math.floor(0.95 * mediaIn.length));
    expect(fw.cidRewritten, `${name}: every forwarded frame carries the receiver's own circuit id`).toBe(fw.forwarded);
  }

  // 2. The call id: never in any payload any router saw; the call tag only by chance.
  const all = Object.values(inp.captures).flat().map((d) => d.payload);
  const needles = callIdNeedles(inp.callId);
  for (const n of needles) {
    const planted = Buffer.concat([media[0]!.payload.subarray(0, CLEAR_PREFIX + 3), n.bytes, media[0]!.payload.subarray(CLEAR_PREFIX + 3)]);
    expect(countNeedles([planted, media[0]!.payload], [n])[n.name], `detector control: the call id planted as ${n.name} is found`).toBe(1);
  }
  const found = countNeedles(all, needles);
  const tag = Buffer.from(inp.callId.slice(0, 8), 'hex');
  const withTag = all.filter((p) => p.includes(tag)).length;
  const chance = all.reduce((s, p) => s + Math.max(0, p.length - 3), 0) / 2 ** 32;
  lines.push(`call id ${inp.callId} in ${all.length} payloads: ${JSON.stringify(found)}; its 4-byte call tag in ${withTag} (chance ${chance.toExponential(1)}; every media packet if the session leaked)`);
  expect(found, 'payloads holding the call id').toEqual(Object.fromEntries(needles.map((n) => [n.name, 0])));
  expect(withTag, 'payloads holding the 4-byte call tag').toBeLessThanOrEqual(1);

  // 3. No tone as PCM; the encrypted part uniform. Each direction's frames counted once (as received).
  const received = media.filter((f) => f.dir === 'in').map((f) => f.payload);
  const leaks = inp.tonesHz.map((hz) => received.slice(0, 100).map((p) => Buffer.concat([p.subarray(0, CLEAR_PREFIX), tonePcm(hz, p.length - CLEAR_PREFIX)])));
  const leakScans = leaks.map((l) => pcmScan(l, inp.tonesHz));
  for (const [i, l] of leakScans.entries()) {
    expect([l.tonal, l.payloads], `detector control: every payload of ${inp.tonesHz[i]} Hz PCM is found`).toEqual([leaks[i]!.length, leaks[i]!.length]);
    expect(l.worstMeanR2, `detector control: ${inp.tonesHz[i]} Hz PCM fits its tone`).toBeGreaterThan(0.9);
  }
  const leakScan = { worstMeanR2: Math.min(...leakScans.map((l) => l.worstMeanR2)), tonal: Math.min(...leakScans.map((l) => l.tonal)) };
  const leak = leaks[0]!;
  const leakBytes = byteUniformity(leak);
  expect(leakBytes.chiSquare, 'detector control: PCM is not uniform').toBeGreaterThan(1000);
  const scan = pcmScan(received, inp.tonesHz);
  const uni = byteUniformity(received);
  lines.push(
    `tone as PCM in ${scan.payloads} relayed media payloads: best mean R² ${scan.worstMeanR2.toFixed(4)} (${scan.worst}; noise ≈ ${scan.noiseR2.toFixed(4)}, a PCM leak ${leakScan.worstMeanR2.toFixed(4)}), ` +
      `${scan.tonal} payloads with R² > 0.5 (leak: ${leakScan.tonal}/${leak.length})`,
    `encrypted bytes: ${uni.bytes} B, χ² ${uni.chiSquare.toFixed(1)} (255 ± 23 for random; the PCM leak ${leakBytes.chiSquare.toFixed(0)}), entropy ${uni.entropyBits.toFixed(5)} bit/byte`,
  );
  expect(scan.worstMeanR2, 'mean tone fit of the relayed payloads (noise level)').toBeLessThan(0.2);
  expect(scan.tonal, 'relayed payloads that fit a tone').toBeLessThanOrEqual(Math.ceil(0.01 * scan.payloads));
  expect(uni.chiSquare, 'χ² of the encrypted bytes against uniform (255 dof)').toBeLessThan(400);
  return { relay };
}
