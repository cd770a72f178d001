/**
 * @module renderer/features/node/NodeScreen
 * The rail's "Node" screen, the one place for the node's status: the local chain (network,
 * head block, block time, fees, mempool, peers, RPC endpoint, reset), the sealing worker
 * (SealingCard: why it pauses, seals, rewards, mode and CPU cap) and the peer-to-peer
 * network (listen address, NAT, routers, DHT, how each friend is reached). Both follow the
 * node store, which the `node.status` event keeps current.
 */
import { NodeStatusView } from '../status/NodeStatusView';
import { useNodeStore } from '../status/node-store';
import { ChainSection } from './ChainSection';
import { ResetDevnetDialog } from './ResetDevnet';
import { SealingCard } from './SealingCard';

export function NodeScreen() {
  const status = useNodeStore((s) => s.status);
  return (
    <div className="node-screen" data-testid="node-screen">
      <header className="screen-header">
        <h1 className="screen-title">Node</h1>
        <p className="screen-sub">Your local network and how your node reaches friends.</p>
      </header>
      <div className="screen-scroll">
        <div className="screen-inner">
          <section className="node-card" aria-label="Local network" data-testid="chain-status">
            <ChainSection status={status} />
          </section>
          <SealingCard status={status} />
          <section className="node-card" aria-labelledby="node-p2p-title">
            <header className="node-card-header">
              <div className="node-card-heading">
                <h2 id="node-p2p-title">Peer-to-peer network</h2>
                <div className="muted">How your node is reached and reaches your friends, end-to-end encrypted.</div>
              </div>
            </header>
            <NodeStatusView />
          </section>
        </div>
      </div>
      <ResetDevnetDialog />
    </div>
  );
}
