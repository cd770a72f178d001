/**
 * @module renderer/features/status/node-store
 * The latest `NodeStatus` (listen endpoint, peer links, outbox), fed by the `node.status`
 * event and refreshed on demand by the settings panel.
 */
import { create } from 'zustand';
import type { NodeStatusT, PeerLinkT } from '../../../src-preload/contract';
import { call } from '../../bridge';
import { addrKey } from '../../lib/format';

type NodeStore = {
  status: NodeStatusT | null;
  setStatus(status: NodeStatusT): void;
  reset(): void;
};

export const useNodeStore = create<NodeStore>()((set) => ({
  status: null,
  setStatus: (status) => set({ status }),
  reset: () => set({ status: null }),
}));

export async function refreshNodeStatus(): Promise<void> {
  const status = await call('node.status', {});
  useNodeStore.getState().setStatus(status);
}

export function peerLink(status: NodeStatusT | null, address: string): PeerLinkT | null {
  if (!status) return null;
  const key = addrKey(address);
  return status.peers.find((p) => addrKey(p.address) === key) ?? null;
}
