/**
 * @module calls/media/platform
 * The browser media pieces TypeScript's DOM library does not describe yet (Chromium's
 * MediaStreamTrackProcessor / MediaStreamTrackGenerator, AudioContext output devices), reached
 * through one typed accessor, and the feature check that turns their absence into a sentence.
 */

export type TrackProcessor<T> = { readonly readable: ReadableStream<T> };
export type TrackGenerator = MediaStreamTrack & { readonly writable: WritableStream<VideoFrame> };

type ProcessorCtor = new (init: { track: MediaStreamTrack; maxBufferSize?: number }) => TrackProcessor<AudioData | VideoFrame>;
type GeneratorCtor = new (init: { kind: 'video' }) => TrackGenerator;

type MediaGlobals = {
  MediaStreamTrackProcessor?: ProcessorCtor;
  MediaStreamTrackGenerator?: GeneratorCtor;
  AudioEncoder?: unknown;
  AudioDecoder?: unknown;
  VideoEncoder?: unknown;
  VideoDecoder?: unknown;
  AudioWorkletNode?: unknown;
};

const g = globalThis as unknown as MediaGlobals;

/** Throws a plain sentence when this browser cannot run a call. */
export function assertCallSupport(): void {
  if (!g.AudioEncoder || !g.AudioDecoder || !g.VideoEncoder || !g.VideoDecoder)
    throw new Error('This browser cannot run calls: it has no WebCodecs audio and video codecs.');
  if (!g.MediaStreamTrackProcessor || !g.MediaStreamTrackGenerator)
    throw new Error('This browser cannot run calls: it cannot read or build media tracks.');
  if (!g.AudioWorkletNode) throw new Error('This browser cannot run calls: it has no audio worklets.');
}

export function audioReader(track: MediaStreamTrack): ReadableStreamDefaultReader<AudioData> {
  const P = g.MediaStreamTrackProcessor!;
  return (new P({ track, maxBufferSize: 10 }).readable as ReadableStream<AudioData>).getReader();
}

export function videoReader(track: MediaStreamTrack): ReadableStreamDefaultReader<VideoFrame> {
  const P = g.MediaStreamTrackProcessor!;
  return (new P({ track, maxBufferSize: 2 }).readable as ReadableStream<VideoFrame>).getReader();
}

export function videoGenerator(): TrackGenerator | null {
  const G = g.MediaStreamTrackGenerator;
  return G ? new G({ kind: 'video' }) : null;
}

/** An AudioContext with an output device, where the browser lets us choose one. */
export type SinkAudioContext = AudioContext & { setSinkId?: (id: string) => Promise<void> };

export function newAudioContext(sinkId?: string): SinkAudioContext {
  const opts: AudioContextOptions & { sinkId?: string } = { sampleRate: 48000, latencyHint: 'interactive' };
  if (sinkId) opts.sinkId = sinkId;
  try {
    return new AudioContext(opts) as SinkAudioContext;
  } catch {
    // an unknown sinkId (device unplugged): fall back to the default output
    return new AudioContext({ sampleRate: 48000, latencyHint: 'interactive' }) as SinkAudioContext;
  }
}
