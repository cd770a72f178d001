/**
 * @module renderer/features/dapps/PendingHost
 * Shows the oldest waiting provider request in its confirm dialog; the others wait their
 * turn ("Request 1 of 3"). Keyed by request id, so each one starts with its own choices.
 */
import { PendingDialog } from './PendingDialog';
import { usePendingStore } from './pending-store';

export function PendingHost() {
  const queue = usePendingStore((s) => s.queue);
  const head = queue[0];
  if (!head) return null;
  return <PendingDialog key={head.id} req={head} position={0} total={queue.length} />;
}
