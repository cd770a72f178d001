/**
 * @module renderer/features/calls/missed-store
 * The rail badge of the Calls entry: missed incoming calls the user has not seen, as the node
 * keeps them in its store (`calls.missed`), so a reload or a restart shows the same number.
 * It follows the node: `calls.missed` events (the history was marked seen, here or in another
 * window) set it, a missed call arriving as a `message.added` asks again, and a reconnect asks
 * again. While the Calls screen is shown, a new missed call is marked seen at once.
 */
import { create } from 'zustand';
import { call, getTransport, subscribe } from '../../bridge';
import { useNavStore } from '../../layout/nav-store';
import { currentEpoch } from '../../lib/epoch';
import { isMissed } from './call-format';

type MissedStore = { count: number };

export const useMissedStore = create<MissedStore>()(() => ({ count: 0 }));

/** The rail badge of the Calls entry. */
export const useMissedCallsBadge = (): number => useMissedStore((s) => s.count);

/** Ask the node for the count (silently keeps the last one when it cannot answer). */
export async function refreshMissed(): Promise<void> {
  const epoch = currentEpoch();
  try {
    const { count } = await call('calls.missed', {});
    if (epoch === currentEpoch()) useMissedStore.setState({ count });
  } catch {
    // Locked or reconnecting: the next event or reconnect asks again.
  }
}

/** The user looks at the call history: the badge goes to 0 here and, through the node, everywhere. */
export async function markCallsSeen(): Promise<void> {
  useMissedStore.setState({ count: 0 });
  try {
    await call('calls.markSeen', {});
  } catch {
    // The node will still count them; the next refresh shows it.
  }
}

/** Follow the node's count (call once per unlocked session; the returned function stops). */
export function followMissed(): () => void {
  const offs = [
    subscribe('calls.missed', ({ count }) => useMissedStore.setState({ count })),
    subscribe('message.added', (m) => {
      if (!m.call || !isMissed(m.call)) return;
      if (useNavStore.getState().view === 'calls') void markCallsSeen();
      else void refreshMissed();
    }),
  ];
  let wasOpen = false;
  offs.push(
    getTransport().onConnection((state) => {
      if (state === 'open' && wasOpen) void refreshMissed();
      if (state === 'open') wasOpen = true;
    }),
  );
  void refreshMissed();
  return () => {
    for (const off of offs) off();
    useMissedStore.setState({ count: 0 });
  };
}
