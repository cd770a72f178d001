/**
 * @module renderer/features/node/devnet-actions
 * Starting the embedded devnet over (`devnet.reset`): the node answers with its new status
 * (the fresh genesis as head), which replaces the one in the node store at once instead of
 * waiting for the next `node.status` event.
 */
import type { NodeStatusT } from '../../../src-preload/contract';
import { call } from '../../bridge';
import { useNodeStore } from '../status/node-store';

export async function resetDevnet(): Promise<NodeStatusT> {
  const status = await call('devnet.reset', { confirm: true });
  useNodeStore.getState().setStatus(status);
  return status;
}
