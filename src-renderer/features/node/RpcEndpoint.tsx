/**
 * @module renderer/features/node/RpcEndpoint
 * The chain's Ethereum JSON-RPC URL (loopback only) with a copy button and one sentence on
 * what it is for: wallets and developer tools connect to it.
 */
import { CopyButton } from '../../ui/CopyButton';

export function RpcEndpoint({ url, chainId }: { url: string | null; chainId: number }) {
  return (
    <div className="rpc-box">
      <div className="rpc-head">
        <div className="node-row-title">RPC endpoint</div>
        {url && <CopyButton value={url} label="Copy the RPC URL" text="Copy" testId="copy-rpc-url" />}
      </div>
      {url ? (
        <code className="rpc-url" data-testid="rpc-url">
          {url}
        </code>
      ) : (
        <p className="muted" data-testid="rpc-url-none">
          The RPC endpoint is not running.
        </p>
      )}
      <p className="muted">
        Point wallets and developer tools at this address to use this network: MetaMask (as a custom network with chain ID {chainId}), Foundry’s{' '}
        <code>cast</code>, ethers or viem. Only programs on this computer can reach it.
      </p>
    </div>
  );
}
