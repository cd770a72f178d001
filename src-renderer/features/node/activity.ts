/**
 * @module renderer/features/node/activity
 * Tells the node the user is here (`sealing.activity`), so the sealing worker pauses within a
 * second of input in "when idle" mode. The headless shell has no OS idle time: the web UI's
 * key, pointer, wheel and touch events are its only clue (the Electron shell reads the OS idle
 * time as well). Sent on the first event, then at most once a second while input goes on;
 * a failed call (connection down) is simply dropped — the next input tries again.
 */
import { call } from '../../bridge';

export const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;

type Target = {
  addEventListener(type: string, fn: () => void, opts?: AddEventListenerOptions): void;
  removeEventListener(type: string, fn: () => void, opts?: EventListenerOptions): void;
};

export function startActivityReporter(
  target: Target = window,
  send: () => Promise<unknown> = () => call('sealing.activity', {}),
  now: () => number = Date.now,
  minGapMs = 1000,
): () => void {
  let last = -Infinity;
  const onInput = () => {
    const t = now();
    if (t - last < minGapMs) return;
    last = t;
    send().catch(() => undefined);
  };
  for (const type of ACTIVITY_EVENTS) target.addEventListener(type, onInput, { capture: true, passive: true });
  return () => {
    for (const type of ACTIVITY_EVENTS) target.removeEventListener(type, onInput, { capture: true });
  };
}
