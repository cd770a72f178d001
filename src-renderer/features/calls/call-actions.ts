/**
 * @module renderer/features/calls/call-actions
 * What the call screens do: ring a friend, answer, decline, hang up, mute, camera, devices;
 * and `startCallSync`, which loads `calls.current` and follows `calls.changed`,
 * `calls.stats` and `calls.target` (and reloads after the web bridge reconnects), and the
 * missed-calls badge (missed-store). Mute and
 * camera change the engine and tell the node (`calls.setMedia`), which tells the friend.
 */
import { call, getTransport, subscribe } from '../../bridge';
import { toast } from '../../ui/toast-store';
import { isRunning } from './call-format';
import { applyCall, applyStats, applyTarget, clearCall, shutdownCalls, useCallStore } from './call-store';
import type { DeviceChoice } from './engine';
import { resetHistory } from './history-store';
import { followMissed } from './missed-store';

export async function startCall(address: string, video: boolean): Promise<void> {
  if (isRunning(useCallStore.getState().call)) {
    toast.info('You are already in a call');
    return;
  }
  try {
    applyCall(await call('calls.start', { address, video }));
  } catch (error) {
    toast.error(error);
  }
}

export async function answerCall(video: boolean): Promise<void> {
  const c = useCallStore.getState().call;
  if (!c || c.state !== 'incoming') return;
  try {
    applyCall(await call('calls.answer', { callId: c.id, video }));
  } catch (error) {
    toast.error(error);
  }
}

export async function declineCall(): Promise<void> {
  const c = useCallStore.getState().call;
  if (!c || c.state !== 'incoming') return;
  try {
    applyCall(await call('calls.decline', { callId: c.id }));
  } catch (error) {
    toast.error(error);
  }
}

export async function hangUp(): Promise<void> {
  const c = useCallStore.getState().call;
  if (!isRunning(c)) return;
  try {
    applyCall(await call('calls.hangup', { callId: c.id }));
  } catch (error) {
    toast.error(error);
  }
}

export async function toggleMute(): Promise<void> {
  const c = useCallStore.getState().call;
  if (!isRunning(c)) return;
  const muted = !c.muted;
  useCallStore.getState().media?.engine.setMuted(muted);
  useCallStore.setState({ call: { ...c, muted } });
  try {
    applyCall(await call('calls.setMedia', { callId: c.id, muted }));
  } catch (error) {
    toast.error(error);
  }
}

export async function toggleCamera(): Promise<void> {
  const c = useCallStore.getState().call;
  if (!isRunning(c)) return;
  const camera = !c.camera;
  const engine = useCallStore.getState().media?.engine;
  try {
    if (engine) await engine.setCamera(camera);
  } catch (error) {
    toast.error(camera ? `Could not turn the camera on: ${error instanceof Error ? error.message : 'no camera'}` : error);
    return;
  }
  const held = useCallStore.getState().call;
  if (held?.id === c.id) useCallStore.setState({ call: { ...held, camera } });
  try {
    applyCall(await call('calls.setMedia', { callId: c.id, camera }));
  } catch (error) {
    toast.error(error);
  }
}

/** Pick a microphone, camera or speaker; applies to the running engine and to the next call. */
export async function chooseDevice(choice: DeviceChoice): Promise<void> {
  useCallStore.setState((s) => ({ devices: { ...s.devices, ...choice } }));
  const engine = useCallStore.getState().media?.engine;
  if (!engine) return;
  try {
    await engine.setDevices(choice);
  } catch (error) {
    toast.error(`Could not switch the device: ${error instanceof Error ? error.message : 'unavailable'}`);
  }
}

async function loadCurrent(): Promise<void> {
  try {
    const current = await call('calls.current', {});
    if (current) applyCall(current);
    else if (isRunning(useCallStore.getState().call)) clearCall();
  } catch {
    // No node yet (starting, locked): the next calls.changed brings the call.
  }
}

/** Follow the node's call (idempotent per mount); the returned function stops media too. */
export function startCallSync(): () => void {
  const offs = [
    subscribe('calls.changed', (c) => applyCall(c)),
    subscribe('calls.stats', (s) => applyStats(s)),
    subscribe('calls.target', (t) => applyTarget(t)),
    followMissed(),
  ];
  let wasOpen = false;
  offs.push(
    getTransport().onConnection((state) => {
      // After a reconnect events may have been missed: ask again.
      if (state === 'open' && wasOpen) void loadCurrent();
      if (state === 'open') wasOpen = true;
    }),
  );
  void loadCurrent();
  return () => {
    for (const off of offs) off();
    resetHistory();
    void shutdownCalls();
  };
}
