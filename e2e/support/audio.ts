/**
 * Audio helpers for the call tests: a WAV tone for Chromium's fake microphone
 * (`--use-file-for-fake-audio-capture`), and a spectrum check of what the far side played out.
 */
import { writeFileSync } from 'node:fs';

/** A 16-bit mono PCM WAV of a sine at `hz`, `seconds` long (Chromium loops the file). */
export function writeToneWav(path: string, hz: number, seconds = 10, rate = 48_000, amplitude = 0.5): void {
  const n = Math.round(seconds * rate);
  const buf = Buffer.alloc(44 + n * 2);
  buf.write('RIFF', 0);
  buf.writeUInt32LE(36 + n * 2, 4);
  buf.write('WAVE', 8);
  buf.write('fmt ', 12);
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(1, 22); // mono
  buf.writeUInt32LE(rate, 24);
  buf.writeUInt32LE(rate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36);
  buf.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; i++) buf.writeInt16LE(Math.round(amplitude * 32767 * Math.sin((2 * Math.PI * hz * i) / rate)), 44 + i * 2);
  writeFileSync(path, buf);
}

/** In-place radix-2 FFT (re, im of equal power-of-two length). */
function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (-2 * Math.PI) / len;
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < len / 2; k++) {
        const wr = Math.cos(ang * k);
        const wi = Math.sin(ang * k);
        const a = i + k;
        const b = a + len / 2;
        const xr = re[b]! * wr - im[b]! * wi;
        const xi = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - xr;
        im[b] = im[a]! - xi;
        re[a] = re[a]! + xr;
        im[a] = im[a]! + xi;
      }
    }
  }
}

export type ToneCheck = {
  /** The strongest frequency between 100 Hz and 8 kHz. */
  peakHz: number;
  /** Power within ±25 Hz of the expected tone over the power elsewhere in 100 Hz…8 kHz, dB. */
  snrDb: number;
  /** RMS of the analysed samples (0 = silence). */
  rms: number;
};

/** Averages Hann-windowed spectra of 8,192-sample blocks of `samples` (48 kHz). */
export function checkTone(samples: ArrayLike<number>, expectHz: number, rate = 48_000): ToneCheck {
  const N = 8192;
  const power = new Float64Array(N / 2);
  let blocks = 0;
  let sumSq = 0;
  for (let i = 0; i < samples.length; i++) sumSq += samples[i]! ** 2;
  for (let start = 0; start + N <= samples.length; start += N / 2) {
    const re = new Float64Array(N);
    const im = new Float64Array(N);
    for (let i = 0; i < N; i++) re[i] = samples[start + i]! * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (N - 1)));
    fft(re, im);
    for (let k = 0; k < N / 2; k++) power[k]! += re[k]! ** 2 + im[k]! ** 2;
    blocks++;
  }
  const hzPerBin = rate / N;
  const lo = Math.ceil(100 / hzPerBin);
  const hi = Math.floor(8000 / hzPerBin);
  let peak = lo;
  let signal = 0;
  let noise = 0;
  for (let k = lo; k <= hi; k++) {
    if (power[k]! > power[peak]!) peak = k;
    if (Math.abs(k * hzPerBin - expectHz) <= 25) signal += power[k]!;
    else noise += power[k]!;
  }
  return {
    peakHz: blocks ? peak * hzPerBin : 0,
    snrDb: blocks && noise > 0 ? 10 * Math.log10(signal / noise) : blocks && signal > 0 ? Infinity : -Infinity,
    rms: Math.sqrt(sumSq / Math.max(1, samples.length)),
  };
}
