/**
 * @module renderer/features/node/sealing-actions
 * The Sealing card's settings: mode and CPU cap. The node answers with the new sealing status,
 * which goes into the node store at once (the next `node.status` event agrees); a failure
 * becomes a toast with the error's sentence.
 */
import type { SealingModeT, SealingStatusT } from '../../../src-preload/contract';
import { call } from '../../bridge';
import { toast } from '../../ui/toast-store';
import { useNodeStore } from '../status/node-store';

function merge(sealing: SealingStatusT): void {
  const { status, setStatus } = useNodeStore.getState();
  if (status) setStatus({ ...status, sealing });
}

export async function setSealingMode(mode: SealingModeT): Promise<void> {
  try {
    merge(await call('sealing.setMode', { mode }));
  } catch (e) {
    toast.error(e);
  }
}

export async function setSealingCap(percent: number): Promise<void> {
  try {
    merge(await call('sealing.setCpuCap', { percent }));
  } catch (e) {
    toast.error(e);
  }
}
