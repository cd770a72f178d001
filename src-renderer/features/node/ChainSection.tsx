/**
 * @module renderer/features/node/ChainSection
 * The chain half of the Node screen, from `NodeStatus.chain` (live: the node sends
 * `node.status` on every new block): network and chain id, the head block (number, age,
 * hash), block time, EIP-1559 base fee, gas used, mempool, chain peers, the JSON-RPC
 * endpoint, and "reset devnet" when the devnet's producer makes the blocks.
 */
import type { ReactNode } from 'react';
import type { ChainStatusT, NodeStatusT } from '../../../src-preload/contract';
import { useNow } from '../../lib/hooks';
import { CopyButton } from '../../ui/CopyButton';
import { EmptyState } from '../../ui/EmptyState';
import { IconNode } from '../../ui/Icons';
import { Spinner } from '../../ui/Spinner';
import {
  blockTimeText,
  chainIdText,
  formatBlockAge,
  formatBlockNumber,
  gasText,
  formatGwei,
  intervalText,
  mempoolText,
  peersText,
  plural,
  shortHash,
} from './chain-format';
import { useResetStore } from './devnet-actions';
import { ResetDevnetRow } from './ResetDevnet';
import { RpcEndpoint } from './RpcEndpoint';

function Stat({ label, children, sub, testId }: { label: string; children: ReactNode; sub?: ReactNode | null; testId: string }) {
  return (
    <div className="stat">
      <dt className="stat-label">{label}</dt>
      <dd className="stat-value" data-testid={testId}>
        {children}
      </dd>
      {sub && <dd className="stat-sub">{sub}</dd>}
    </div>
  );
}

function HeadBlock({ head }: { head: ChainStatusT['head'] }) {
  const now = useNow(1000);
  return (
    <Stat
      label="Latest block"
      testId="chain-head"
      sub={
        <>
          <span data-testid="chain-head-age">{formatBlockAge(head.timestamp, now)}</span>
          <span aria-hidden="true"> · </span>
          <span>{plural(head.txs, 'transaction')}</span>
          <span className="stat-hash">
            <span className="mono" title={head.hash} data-testid="chain-head-hash">
              {shortHash(head.hash)}
            </span>
            <CopyButton value={head.hash} label="Copy the block hash" testId="copy-head-hash" />
          </span>
        </>
      }
    >
      <span key={head.number} className="stat-tick" data-number={head.number}>
        {formatBlockNumber(head.number)}
      </span>
    </Stat>
  );
}

function ChainDetails({ chain, rpcUrl }: { chain: ChainStatusT; rpcUrl: string | null }) {
  const producing = chain.producer !== 'none';
  const gas = gasText(chain.head);
  const mempool = mempoolText(chain.mempool);
  const peers = peersText(chain);
  return (
    <>
      <header className="node-card-header">
        <div className="node-card-icon">
          <IconNode size={22} />
        </div>
        <div className="node-card-heading">
          <h2 data-testid="chain-network">
            {chain.network}
          </h2>
          <div className="muted">
            Chain ID <span data-testid="chain-id">{chainIdText(chain.chainId)}</span>
          </div>
        </div>
        <span className={`status-pill${producing ? ' is-ok' : ''}`} data-testid="chain-producer">
          {chain.producer === 'poe' ? 'POE consensus' : producing ? 'Making blocks' : 'Serving only'}
        </span>
      </header>
      <dl className="stat-grid">
        <HeadBlock head={chain.head} />
        <Stat label="Block time" testId="chain-block-time" sub={intervalText(chain)}>
          {blockTimeText(chain)}
        </Stat>
        <Stat label="Base fee" testId="chain-base-fee" sub="The least a transaction pays per unit of gas now (EIP-1559).">
          {formatGwei(chain.head.baseFeeWei)}
        </Stat>
        <Stat label="Gas used" testId="chain-gas" sub={`${gas.sub} in the latest block`}>
          {gas.value}
        </Stat>
        <Stat label="Waiting transactions" testId="chain-mempool" sub={mempool.sub}>
          {mempool.value}
        </Stat>
        <Stat label="Chain peers" testId="chain-peers" sub={peers.sub}>
          {peers.value}
        </Stat>
      </dl>
      <RpcEndpoint url={rpcUrl ?? chain.rpcUrl} chainId={chain.chainId} />
      {producing && <ResetDevnetRow network={chain.network} />}
    </>
  );
}

export function ChainSection({ status }: { status: NodeStatusT | null }) {
  const resetting = useResetStore((s) => s.running);
  if (!status) {
    return (
      <p className="muted node-loading">
        <Spinner size={14} /> Loading…
      </p>
    );
  }
  if (!status.chain && resetting) {
    return (
      <p className="muted node-loading" data-testid="chain-resetting">
        <Spinner size={14} /> Starting the local network over…
      </p>
    );
  }
  if (!status.chain) {
    return (
      <EmptyState icon={<IconNode size={28} />} title="The local network is not running" testId="chain-empty">
        <p>The local network starts by itself once your account exists. This page shows it as soon as it runs.</p>
      </EmptyState>
    );
  }
  return <ChainDetails chain={status.chain} rpcUrl={status.rpcUrl} />;
}
