/**
 * @module renderer/features/node/devnet-actions
 * Starting the embedded devnet over (`devnet.reset`). The node answers with its new status
 * (the fresh genesis as head), which replaces the one in the node store at once. While it
 * runs, `node.status` events may report no chain for a moment (the old one is stopped
 * before the new genesis starts): the reset store lets the screen say "starting over"
 * instead of "not running", and keeps the confirmation open (it lives outside the part of
 * the screen that depends on the chain).
 */
import { create } from 'zustand';
import type { NodeStatusT } from '../../../src-preload/contract';
import { call } from '../../bridge';
import { useNodeStore } from '../status/node-store';

type ResetStore = {
  /** The network named in the open confirmation, or null when it is closed. */
  confirming: string | null;
  running: boolean;
  ask(network: string): void;
  close(): void;
};

export const useResetStore = create<ResetStore>()((set) => ({
  confirming: null,
  running: false,
  ask: (network) => set({ confirming: network }),
  close: () => set({ confirming: null }),
}));

export async function resetDevnet(): Promise<NodeStatusT> {
  useResetStore.setState({ running: true });
  try {
    const status = await call('devnet.reset', { confirm: true });
    useNodeStore.getState().setStatus(status);
    return status;
  } finally {
    useResetStore.setState({ running: false });
  }
}
