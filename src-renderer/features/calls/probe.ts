/**
 * @module renderer/features/calls/probe
 * A read-only measurement tap on the running call's media engine, for the end-to-end tests
 * and the benchmark (e2e/calls.spec.ts): `window.__bitunicomCallProbe` offers the last
 * seconds of audio actually played out and the playout statistics. It exposes no controls
 * and nothing secret (the keys live in the main process); it exists only while a call runs.
 */
import type { CallMedia } from './media';

type Probe = { callId: string; recentAudio(seconds: number): number[]; stats(): ReturnType<CallMedia['stats']> };
type ProbeHost = { __bitunicomCallProbe?: Probe };

export function exposeProbe(callId: string, media: CallMedia): () => void {
  const host = globalThis as ProbeHost;
  const probe: Probe = { callId, recentAudio: (s) => Array.from(media.recentAudio(s)), stats: () => media.stats() };
  host.__bitunicomCallProbe = probe;
  return () => {
    if (host.__bitunicomCallProbe === probe) delete host.__bitunicomCallProbe;
  };
}
