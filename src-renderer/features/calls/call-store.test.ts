/**
 * @module renderer/features/calls/call-store.test
 * The call store against a fake media engine and a fake bridge: the engine starts at
 * 'connecting' and stops at 'ended', congestion targets reach it (also those that arrive
 * while it starts), stale copies of the call are dropped (a missed call still toasts), an
 * ended call leaves the screen after a moment, and mute/camera reach both the
 * engine and the node.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallT, CallTargetT } from '../../../src-preload/contract';
import { installBridge } from '../../bridge';
import type { Engine, EngineStart } from './engine';

type FakeEngine = Engine & { calls: string[]; targets: CallTargetT[]; opts: EngineStart };
const engines: FakeEngine[] = [];
let failNext: Error | null = null;
let gate: Promise<void> | null = null;

vi.mock('./engine', () => ({
  startEngine: async (opts: EngineStart): Promise<Engine> => {
    if (gate) await gate;
    if (failNext) {
      const e = failNext;
      failNext = null;
      throw e;
    }
    const calls: string[] = [];
    const targets: CallTargetT[] = [];
    const engine: FakeEngine = {
      opts,
      calls,
      targets,
      localStream: {} as MediaStream,
      remoteStream: {} as MediaStream,
      setMuted: (m) => void calls.push(`muted:${m}`),
      setCamera: async (on) => void calls.push(`camera:${on}`),
      setDevices: async (d) => void calls.push(`devices:${JSON.stringify(d)}`),
      applyTarget: (t) => void targets.push(t),
      stats: () => ({ bufferMs: 60, targetBufferMs: 60, concealedMs: 0, playedMs: 0, latencyMs: null, videoFps: 0, videoWidth: 0, videoHeight: 0, lateVideoFrames: 0 }),
      stop: async () => void calls.push('stop'),
    };
    engines.push(engine);
    return engine;
  },
  devices: async () => ({ audioInputs: [], videoInputs: [], audioOutputs: [] }),
}));

const { applyCall, applyTarget, LINGER_MS, shutdownCalls, useCallStore } = await import('./call-store');
const { toggleCamera, toggleMute } = await import('./call-actions');
const { useToastStore } = await import('../../ui/toast-store');

const ID = 'c'.repeat(32);
const OTHER = 'd'.repeat(32);
const call = (over: Partial<CallT> = {}): CallT => ({
  id: ID,
  peer: '0x1111111111111111111111111111111111111111',
  peerName: 'Bob',
  direction: 'outgoing',
  state: 'outgoing',
  video: false,
  startedAt: 1,
  answeredAt: null,
  endedAt: null,
  endReason: null,
  muted: false,
  camera: false,
  remoteMuted: false,
  remoteCamera: false,
  link: 'direct',
  ...over,
});
const target = (over: Partial<CallTargetT> = {}): CallTargetT => ({ callId: ID, audioBitrate: 32000, videoBitrate: 300000, width: 640, height: 360, fps: 30, keyframe: false, ...over });
const settle = () => new Promise((r) => setTimeout(r, 0));

let invoked: Array<{ method: string; input: unknown }> = [];

beforeEach(() => {
  engines.length = 0;
  invoked = [];
  installBridge({
    kind: 'test',
    bridge: {
      invoke: (async (method: string, input: unknown) => {
        invoked.push({ method, input });
        const held = useCallStore.getState().call!;
        return { ...held, ...(input as object) };
      }) as never,
      on: () => () => {},
      media: { send: () => {}, on: () => () => {} },
    },
    onConnection: () => () => {},
  });
});

afterEach(async () => {
  vi.useRealTimers();
  gate = null;
  await shutdownCalls();
  useToastStore.setState({ toasts: [] });
  installBridge(null);
});

describe('media engine lifecycle', () => {
  it('starts at connecting with the call settings and stops at ended', async () => {
    applyCall(call());
    await settle();
    expect(engines).toHaveLength(0);
    applyCall(call({ state: 'connecting', camera: true, muted: true }));
    await settle();
    expect(engines).toHaveLength(1);
    expect(engines[0]!.opts).toMatchObject({ callId: ID, video: true, muted: true });
    expect(useCallStore.getState().media?.callId).toBe(ID);
    applyCall(call({ state: 'active', answeredAt: 5 }));
    await settle();
    expect(engines).toHaveLength(1);
    applyCall(call({ state: 'ended', endReason: 'hangup' }));
    await settle();
    expect(engines[0]!.calls).toContain('stop');
    expect(useCallStore.getState().media).toBeNull();
  });

  it('starts for a call already active (a reload mid-call)', async () => {
    applyCall(call({ state: 'active', answeredAt: 5 }));
    await settle();
    expect(engines).toHaveLength(1);
  });

  it('stops an engine whose call ended while it was starting', async () => {
    let open!: () => void;
    gate = new Promise((r) => (open = r));
    applyCall(call({ state: 'connecting' }));
    applyCall(call({ state: 'ended', endReason: 'remote-hangup' }));
    open();
    await settle();
    await settle();
    expect(engines).toHaveLength(1);
    expect(engines[0]!.calls).toContain('stop');
    expect(useCallStore.getState().media).toBeNull();
  });

  it('shows why media could not start', async () => {
    failNext = new Error('Permission denied');
    applyCall(call({ state: 'connecting' }));
    await settle();
    expect(useCallStore.getState().media).toBeNull();
    expect(useCallStore.getState().mediaError).toBeTruthy();
    expect(useToastStore.getState().toasts.some((t) => t.kind === 'error' && t.text.startsWith('Could not start the microphone'))).toBe(true);
  });
});

describe('targets', () => {
  it('forwards targets for our call, holding one that arrives while the engine starts', async () => {
    let open!: () => void;
    gate = new Promise((r) => (open = r));
    applyCall(call({ state: 'connecting' }));
    applyTarget(target({ width: 320, height: 180 }));
    open();
    await settle();
    expect(engines[0]!.targets.map((t) => t.width)).toEqual([320]);
    applyTarget(target({ keyframe: true }));
    applyTarget(target({ callId: OTHER }));
    expect(engines[0]!.targets).toHaveLength(2);
    expect(engines[0]!.targets[1]!.keyframe).toBe(true);
  });
});

describe('merging', () => {
  it('drops a stale copy and keeps our call when another one comes and goes', async () => {
    applyCall(call({ state: 'active', answeredAt: 5 }));
    applyCall(call({ state: 'connecting' }));
    expect(useCallStore.getState().call?.state).toBe('active');
    applyCall(call({ id: OTHER, direction: 'incoming', state: 'ended', endReason: 'busy' }));
    expect(useCallStore.getState().call?.id).toBe(ID);
    expect(useToastStore.getState().toasts.map((t) => t.text)).toContain('Missed voice call from Bob (you were in a call)');
  });

  it('keeps a missed call on screen (once) and lets it go after a moment', async () => {
    vi.useFakeTimers();
    applyCall(call({ direction: 'incoming', state: 'incoming' }));
    applyCall(call({ direction: 'incoming', state: 'ended', endReason: 'cancelled' }));
    expect(useCallStore.getState().call?.state).toBe('ended');
    // A repeated 'ended' changes nothing.
    applyCall(call({ direction: 'incoming', state: 'ended', endReason: 'cancelled' }));
    expect(useCallStore.getState().call?.state).toBe('ended');
    vi.advanceTimersByTime(LINGER_MS + 10);
    expect(useCallStore.getState().call).toBeNull();
  });
});

describe('mute and camera', () => {
  it('change the engine and tell the node', async () => {
    applyCall(call({ state: 'active', answeredAt: 5 }));
    await settle();
    await toggleMute();
    expect(engines[0]!.calls).toContain('muted:true');
    expect(invoked).toContainEqual({ method: 'calls.setMedia', input: { callId: ID, muted: true } });
    expect(useCallStore.getState().call?.muted).toBe(true);
    await toggleCamera();
    expect(engines[0]!.calls).toContain('camera:true');
    expect(invoked).toContainEqual({ method: 'calls.setMedia', input: { callId: ID, camera: true } });
    expect(useCallStore.getState().call?.camera).toBe(true);
  });
});
