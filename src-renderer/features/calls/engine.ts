/**
 * @module renderer/features/calls/engine
 * The one place the call screens touch the media engine (./media): the shape they use, the
 * device list, and starting an engine on the bridge's binary media channel. Keeping it
 * here lets the store and the screens be read (and type-checked) against a small surface.
 */
import type { CallTargetT } from '../../../src-preload/contract';
import { getTransport } from '../../bridge';
import { CallMedia, listDevices } from './media';
import { exposeProbe } from './probe';

export type DeviceChoice = { audioInputId?: string; videoInputId?: string; audioOutputId?: string };
export type DeviceOption = { id: string; label: string };
export type DeviceList = { audioInputs: DeviceOption[]; videoInputs: DeviceOption[]; audioOutputs: DeviceOption[] };

export type EngineStats = {
  bufferMs: number;
  targetBufferMs: number;
  concealedMs: number;
  playedMs: number;
  latencyMs: number | null;
  videoFps: number;
  videoWidth: number;
  videoHeight: number;
  lateVideoFrames: number;
};

/** What the call screens use of a running engine. */
export type Engine = {
  readonly localStream: MediaStream;
  readonly remoteStream: MediaStream;
  setMuted(muted: boolean): void;
  setCamera(on: boolean): Promise<void>;
  setDevices(d: DeviceChoice): Promise<void>;
  applyTarget(t: CallTargetT): void;
  stats(): EngineStats;
  stop(): Promise<void>;
};

export type EngineStart = { callId: string; video: boolean; muted: boolean } & DeviceChoice;

export async function startEngine(o: EngineStart): Promise<Engine> {
  const media = await CallMedia.start({ ...o, channel: getTransport().bridge.media });
  const hide = exposeProbe(o.callId, media);
  const stop = media.stop.bind(media);
  media.stop = async () => {
    hide();
    await stop();
  };
  return media;
}

export async function devices(): Promise<DeviceList> {
  return listDevices();
}
