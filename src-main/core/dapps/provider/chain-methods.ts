/**
 * @module dapps/provider/chain-methods
 * Changing the network a dapp sees, among the wallet's own networks only:
 *   wallet_switchEthereumChain [{chainId}]        EIP-3326: the chain already selected → null at
 *     once; one of the wallet's networks → a 'switch-chain' request; unknown → WRONG_NETWORK
 *     whose sentence says "Unrecognized chain ID" (EIP-3326's 4902 case; the host UI maps it).
 *   wallet_addEthereumChain [AddEthereumChainParameter]  EIP-3085: a chain the wallet has is
 *     treated as a switch (as MetaMask does); a new one is refused — networks (and the RPC URLs
 *     that would see every address and balance query) are added by the user in Wallet →
 *     Networks, never by a dapp. A deliberate difference from MetaMask.
 * The switch selects the network for the whole wallet; every dapp then gets chainChanged.
 */
import { BuError } from '../../base';
import { row } from './display';
import { bad, chainIdOf, hexChainId, isObj, list } from './params';
import type { MethodAnswer, MethodContext, ProviderNetwork } from './types';

const ADD_KEYS = ['chainId', 'chainName', 'nativeCurrency', 'rpcUrls', 'blockExplorerUrls', 'iconUrls'];

function target(ctx: MethodContext, raw: unknown, method: string): { chainId: number; network: ProviderNetwork | undefined } {
  const chainId = chainIdOf(raw);
  if (chainId === null || typeof raw !== 'string' || !raw.startsWith('0x')) throw bad(`${method} needs chainId as 0x-hex (like 0x1).`);
  return { chainId, network: ctx.wallet.networks().find((n) => n.chainId === chainId) };
}

function switchTo(ctx: MethodContext, net: ProviderNetwork): MethodAnswer {
  if (net.chainId === ctx.wallet.network().chainId) return { kind: 'result', result: null };
  if (ctx.waiting('switch-chain')) throw new BuError('BUSY', `${ctx.info.name} already asked to switch networks: answer that request first.`);
  const from = ctx.network;
  const request = ctx.pend(
    {
      kind: 'switch-chain',
      title: `${ctx.info.name} asks to switch to ${net.name}`,
      account: null,
      rows: [row('From', `${from.name} (chain ${from.chainId})`), row('To', `${net.name} (chain ${net.chainId})`), row('Applies to', 'the whole wallet and every dapp')],
    },
    async () => {
      if (!ctx.wallet.networks().some((n) => n.id === net.id)) throw new BuError('WRONG_NETWORK', `${net.name} was removed from the wallet while the request waited.`);
      ctx.wallet.selectNetwork(net.id);
      return null;
    },
  );
  return { kind: 'pending', request };
}

export const CHAIN_METHODS: Record<string, (ctx: MethodContext, params: unknown) => Promise<MethodAnswer>> = {
  wallet_switchEthereumChain: async (ctx, p) => {
    const [o] = list(p, 'wallet_switchEthereumChain', 1, 1);
    if (!isObj(o) || Object.keys(o).some((k) => k !== 'chainId')) throw bad('wallet_switchEthereumChain takes [{ chainId }].');
    const t = target(ctx, o.chainId, 'wallet_switchEthereumChain');
    if (!t.network) {
      throw new BuError('WRONG_NETWORK', `Unrecognized chain ID ${hexChainId(t.chainId)}: the wallet has no network with chain id ${t.chainId}. Add it in Wallet → Networks first.`);
    }
    return switchTo(ctx, t.network);
  },
  wallet_addEthereumChain: async (ctx, p) => {
    const [o] = list(p, 'wallet_addEthereumChain', 1, 1);
    if (!isObj(o) || Object.keys(o).some((k) => !ADD_KEYS.includes(k))) throw bad('wallet_addEthereumChain takes [{ chainId, chainName, nativeCurrency, rpcUrls, blockExplorerUrls?, iconUrls? }] (EIP-3085).');
    const t = target(ctx, o.chainId, 'wallet_addEthereumChain');
    if (!t.network) {
      const name = typeof o.chainName === 'string' ? ` (${o.chainName.replace(/[\p{Cc}\p{Cf}]/gu, '').slice(0, 64)})` : '';
      throw new BuError('WRONG_NETWORK', `Unrecognized chain ID ${hexChainId(t.chainId)}${name}: dapps cannot add networks. Add it yourself in Wallet → Networks, then the dapp can switch to it.`);
    }
    return switchTo(ctx, t.network);
  },
};
