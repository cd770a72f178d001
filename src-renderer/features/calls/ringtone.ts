/**
 * @module renderer/features/calls/ringtone
 * Ring tones synthesised with WebAudio (no audio files): the incoming ring is a two-tone
 * 400 + 450 Hz double ring (0.4 s on, 0.2 s off, 0.4 s on, 2 s off), the outgoing ringback a
 * 440 + 480 Hz tone (2 s on, 4 s off). The cadence is computed by a pure function; the
 * player schedules it on the audio clock with short ramps (no clicks) and stops by closing
 * its AudioContext.
 */

export type Tone = { freqs: readonly number[]; /** on, off, on, off… seconds */ cadence: readonly number[]; level: number };

export const RING: Tone = { freqs: [400, 450], cadence: [0.4, 0.2, 0.4, 2.0], level: 0.16 };
export const RINGBACK: Tone = { freqs: [440, 480], cadence: [2.0, 4.0], level: 0.09 };

/** The "on" intervals [start, end] (seconds from `from`) of `cycles` repeats of a cadence. */
export function toneSchedule(cadence: readonly number[], cycles: number, from = 0): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let t = from;
  for (let c = 0; c < cycles; c++) {
    for (let i = 0; i < cadence.length; i++) {
      const d = cadence[i]!;
      if (i % 2 === 0 && d > 0) out.push([t, t + d]);
      t += d;
    }
  }
  return out;
}

export function cycleLength(cadence: readonly number[]): number {
  return cadence.reduce((a, b) => a + b, 0);
}

const RAMP = 0.015;
/** Ringing times out well within this; the tone stops on any state change anyway. */
const HORIZON_S = 120;

export type TonePlayer = { stop(): void };

/** Start a tone now; returns a handle whose `stop` is idempotent. Silent where WebAudio is missing. */
export function playTone(tone: Tone): TonePlayer {
  const Ctx = typeof window !== 'undefined' ? window.AudioContext : undefined;
  if (!Ctx) return { stop() {} };
  let ctx: AudioContext | null = new Ctx();
  const gain = ctx.createGain();
  gain.gain.value = 0;
  gain.connect(ctx.destination);
  const mix = 1 / tone.freqs.length;
  const oscillators = tone.freqs.map((f) => {
    const o = ctx!.createOscillator();
    o.type = 'sine';
    o.frequency.value = f;
    const g = ctx!.createGain();
    g.gain.value = mix;
    o.connect(g).connect(gain);
    o.start();
    return o;
  });
  const t0 = ctx.currentTime + 0.05;
  const cycles = Math.ceil(HORIZON_S / cycleLength(tone.cadence));
  for (const [a, b] of toneSchedule(tone.cadence, cycles, t0)) {
    gain.gain.setValueAtTime(0, a);
    gain.gain.linearRampToValueAtTime(tone.level, a + RAMP);
    gain.gain.setValueAtTime(tone.level, b - RAMP);
    gain.gain.linearRampToValueAtTime(0, b);
  }
  // Autoplay rules may start the context suspended; a resume works once the user has interacted.
  void ctx.resume().catch(() => {});
  return {
    stop() {
      if (!ctx) return;
      for (const o of oscillators) o.stop();
      void ctx.close().catch(() => {});
      ctx = null;
    },
  };
}
