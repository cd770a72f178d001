/**
 * @module renderer/features/calls/call-store
 * The call in progress (at most one) and what the call screens show about it: the latest
 * `CallStats`, whether the view is minimised or shows stats, the chosen devices, and the
 * media engine's lifecycle. The engine starts when the call reaches 'connecting' (on both
 * sides; also 'active'/'reconnecting' after a reload) and stops at 'ended'; congestion
 * targets from `calls.target` are forwarded to it (held until it has started). An ended
 * call stays on screen briefly ("Call ended") and then goes away.
 */
import { create } from 'zustand';
import type { CallStatsT, CallT, CallTargetT } from '../../../src-preload/contract';
import { errorText } from '../../lib/errors';
import { toast } from '../../ui/toast-store';
import { endNotice, wantsMedia } from './call-format';
import { mergeCall } from './call-state';
import type { DeviceChoice, Engine } from './engine';
import { startEngine } from './engine';

/** How long "Call ended" stays on screen. */
export const LINGER_MS = 1800;

type Running = { callId: string; engine: Engine };

type CallStore = {
  call: CallT | null;
  stats: CallStatsT | null;
  media: Running | null;
  mediaError: string | null;
  minimised: boolean;
  showStats: boolean;
  devices: DeviceChoice;
  setMinimised(m: boolean): void;
  toggleStats(): void;
  reset(): void;
};

export const useCallStore = create<CallStore>()((set) => ({
  call: null,
  stats: null,
  media: null,
  mediaError: null,
  minimised: false,
  showStats: false,
  devices: {},
  setMinimised: (minimised) => set({ minimised }),
  toggleStats: () => set((s) => ({ showStats: !s.showStats })),
  reset: () => set({ call: null, stats: null, media: null, mediaError: null, minimised: false, showStats: false }),
}));

let starting: string | null = null;
let pendingTarget: CallTargetT | null = null;
let lingerTimer: ReturnType<typeof setTimeout> | null = null;

function noteEnded(call: CallT): void {
  const notice = endNotice(call);
  if (notice) {
    if (notice.kind === 'error') toast.error(notice.text);
    else toast.info(notice.text);
  }
  // The missed-calls badge follows the node's record of the call (missed-store), not this event.
}

/** Merge a call from an event or a reply; starts/stops media and schedules the ended view's exit. */
export function applyCall(next: CallT): void {
  const { call: current } = useCallStore.getState();
  const result = mergeCall(current, next);
  if (!result.changed) {
    // A second call that ended while ours runs (we were busy): still worth a "missed" toast.
    if (next.state === 'ended' && current && current.id !== next.id) noteEnded(next);
    return;
  }
  const fresh = current?.id !== next.id;
  useCallStore.setState({
    call: result.call,
    ...(fresh ? { stats: null, mediaError: null, minimised: false } : {}),
  });
  if (result.ended) {
    noteEnded(next);
    if (lingerTimer) clearTimeout(lingerTimer);
    lingerTimer = setTimeout(() => {
      lingerTimer = null;
      const held = useCallStore.getState().call;
      if (held && held.id === next.id && held.state === 'ended') useCallStore.setState({ call: null, stats: null });
    }, LINGER_MS);
  }
  void syncMedia();
}

/** Forget the held call at once (e.g. calls.current says there is none). */
export function clearCall(): void {
  useCallStore.setState({ call: null, stats: null });
  void syncMedia();
}

export function applyStats(stats: CallStatsT): void {
  const { call } = useCallStore.getState();
  if (call && call.id === stats.callId) useCallStore.setState({ stats });
}

export function applyTarget(target: CallTargetT): void {
  const { media } = useCallStore.getState();
  if (media && media.callId === target.callId) media.engine.applyTarget(target);
  else if (starting === target.callId) pendingTarget = target;
}

async function stopMedia(): Promise<void> {
  const { media } = useCallStore.getState();
  if (!media) return;
  useCallStore.setState({ media: null });
  try {
    await media.engine.stop();
  } catch {
    // Stopping releases devices; a failure there leaves nothing for the user to do.
  }
}

/** Bring the engine in line with the held call (idempotent). */
export async function syncMedia(): Promise<void> {
  const { call, media, devices } = useCallStore.getState();
  if (media && (!wantsMedia(call) || call?.id !== media.callId)) await stopMedia();
  if (!call || !wantsMedia(call) || starting === call.id || useCallStore.getState().media) return;
  const callId = call.id;
  starting = callId;
  try {
    const engine = await startEngine({ callId, video: call.camera, muted: call.muted, ...devices });
    starting = null;
    const now = useCallStore.getState().call;
    if (!now || now.id !== callId || !wantsMedia(now)) {
      await engine.stop().catch(() => {});
      return;
    }
    // The user may have toggled while the engine started.
    engine.setMuted(now.muted);
    useCallStore.setState({ media: { callId, engine }, mediaError: null });
    if (pendingTarget?.callId === callId) engine.applyTarget(pendingTarget);
    pendingTarget = null;
  } catch (error) {
    starting = null;
    pendingTarget = null;
    const text = errorText(error);
    useCallStore.setState({ mediaError: text });
    toast.error(`Could not start the microphone or camera: ${text}`);
  }
}

/** Leaving the unlocked app: stop media and forget the call (the node keeps its own state). */
export async function shutdownCalls(): Promise<void> {
  if (lingerTimer) clearTimeout(lingerTimer);
  lingerTimer = null;
  starting = null;
  pendingTarget = null;
  await stopMedia();
  useCallStore.getState().reset();
}
