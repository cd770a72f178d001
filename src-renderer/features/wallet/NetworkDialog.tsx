/**
 * @module renderer/features/wallet/NetworkDialog
 * Add a custom EVM network (EIP-3085 fields: name, RPC URL, chain id — optional, checked by
 * the node against the endpoint —, symbol, explorer URL) or edit one. An added network is
 * selected at once, so its balance shows.
 */
import { useState } from 'react';
import type { WalletNetworkT } from '../../../src-preload/contract';
import { call } from '../../bridge';
import { TextField } from '../../ui/TextField';
import { toast } from '../../ui/toast-store';
import { parseChainId, urlProblem } from './wallet-format';
import { FormDialog } from './FormDialog';
import { checkNetwork, switchNetwork, refreshNetworks } from './wallet-store';

export function NetworkDialog({ network, onClose }: { network?: WalletNetworkT; onClose(): void }) {
  const [name, setName] = useState(network?.name ?? '');
  const [rpcUrl, setRpcUrl] = useState(network?.rpcUrl ?? '');
  const [chainId, setChainId] = useState(network ? String(network.chainId) : '');
  const [symbol, setSymbol] = useState(network?.symbol ?? '');
  const [explorerUrl, setExplorerUrl] = useState(network?.explorerUrl ?? '');
  const [touched, setTouched] = useState(false);
  const chain = parseChainId(chainId);
  const problems = {
    name: name.trim() ? null : 'Enter a name for the network.',
    rpcUrl: urlProblem(rpcUrl, 'RPC URL'),
    chainId: chain.ok ? null : chain.error,
    explorerUrl: explorerUrl.trim() ? urlProblem(explorerUrl, 'explorer URL') : null,
  };
  const show = (p: string | null) => (touched ? (p ?? undefined) : undefined);
  const testId = network ? 'edit-network' : 'add-network';
  return (
    <FormDialog
      title={network ? `Edit ${network.name}` : 'Add a network'}
      description={network ? undefined : 'Any EVM network by its JSON-RPC URL. The chain id, if you give one, must match what the RPC reports.'}
      submitLabel={network ? 'Save' : 'Add network'}
      testId={testId}
      onClose={onClose}
      onSubmit={async () => {
        setTouched(true);
        if (Object.values(problems).some(Boolean)) return false;
        const explorer = explorerUrl.trim();
        if (network) {
          await call('wallet.editNetwork', { id: network.id, name: name.trim(), rpcUrl: rpcUrl.trim(), symbol: symbol.trim() || undefined, explorerUrl: explorer || null });
          await refreshNetworks();
          void checkNetwork(network.id);
          toast.success(`${name.trim()} saved.`);
          return;
        }
        const added = await call('wallet.addNetwork', {
          name: name.trim(),
          rpcUrl: rpcUrl.trim(),
          chainId: chain.ok ? chain.value : undefined,
          symbol: symbol.trim() || undefined,
          explorerUrl: explorer || undefined,
        });
        await switchNetwork(added.id);
        toast.success(`${added.name} added.`);
      }}
    >
      <TextField label="Network name" value={name} maxLength={64} error={show(problems.name)} onChange={(e) => setName(e.target.value)} data-autofocus data-testid={`${testId}-name`} />
      <TextField label="RPC URL" value={rpcUrl} error={show(problems.rpcUrl)} placeholder="https://…" spellCheck={false} autoComplete="off" onChange={(e) => setRpcUrl(e.target.value)} data-testid={`${testId}-rpc`} />
      {!network && (
        <TextField label="Chain ID" hint="Optional: read from the RPC when empty." value={chainId} error={show(problems.chainId)} inputMode="numeric" onChange={(e) => setChainId(e.target.value)} data-testid={`${testId}-chain-id`} />
      )}
      <TextField label="Currency symbol" value={symbol} maxLength={11} placeholder="ETH" onChange={(e) => setSymbol(e.target.value)} data-testid={`${testId}-symbol`} />
      <TextField label="Block explorer URL" hint="Optional." value={explorerUrl} error={show(problems.explorerUrl)} spellCheck={false} onChange={(e) => setExplorerUrl(e.target.value)} data-testid={`${testId}-explorer`} />
    </FormDialog>
  );
}
