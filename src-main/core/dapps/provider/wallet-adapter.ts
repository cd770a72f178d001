/**
 * @module dapps/provider/wallet-adapter
 * The real wallet as the provider's `ProviderWallet`: core/wallet's WalletService (accounts,
 * the selected network and its RPC client, quoteCall / sendCall for EIP-1559 contract calls,
 * signPersonal for EIP-191, signTypedData for EIP-712). Custom errors are named in revert
 * messages by the caller's decoder (default: the DappRegistry's ABI). Names for addresses: the wallet's
 * accounts, the followed tokens of the selected network, then what the caller knows (friends,
 * system contracts such as the DappRegistry).
 */
import type { ErrorDecoder, WalletService } from '../../wallet';
import { registryInterface } from '../registry';
import type { CallRequest, ProviderWallet } from './types';

export type WalletForProviderOptions = {
  /** Names the node knows for addresses (friends' wallets, the DappRegistry…), else null. */
  names?: (address: string) => string | null;
  /** Names custom errors in revert messages (default: the DappRegistry's ABI). */
  errors?: ErrorDecoder;
};

const dec = (v: bigint | undefined) => (v === undefined ? undefined : v.toString());

function callInput(c: CallRequest) {
  return {
    from: c.from,
    networkId: c.networkId,
    to: c.to,
    data: c.data,
    value: c.value.toString(),
    ...(c.gasLimit !== undefined ? { gasLimit: dec(c.gasLimit) } : {}),
    ...(c.maxFeePerGas !== undefined ? { maxFeePerGas: dec(c.maxFeePerGas) } : {}),
    ...(c.maxPriorityFeePerGas !== undefined ? { maxPriorityFeePerGas: dec(c.maxPriorityFeePerGas) } : {}),
  };
}

export function walletForProvider(w: WalletService, o: WalletForProviderOptions = {}): ProviderWallet {
  const errors = o.errors ?? registryInterface;
  const net = () => {
    const n = w.network();
    return { id: n.id, chainId: n.chainId, name: n.name, symbol: n.symbol, decimals: n.decimals };
  };
  return {
    accounts: () => w.accounts.list().map((a) => ({ address: a.address, name: a.name, watchOnly: a.kind === 'watch', hidden: a.hidden })),
    network: net,
    networks: () => w.networks.list().map((n) => ({ id: n.id, chainId: n.chainId, name: n.name, symbol: n.symbol, decimals: n.decimals })),
    selectNetwork: (id) => {
      w.networks.select(id);
      return net();
    },
    rpc: (method, params) => w.rpc(w.network()).call(method, params),
    tokenInfo: async (address) => {
      const known = w.tokens.find(w.network().id, address);
      if (known) return known;
      return w.tokenInfo(address).catch(() => null);
    },
    nameOf: (address) => {
      const lower = address.toLowerCase();
      const account = w.accounts.list().find((a) => a.address.toLowerCase() === lower);
      if (account) return account.name;
      const token = w.tokens.find(w.network().id, address);
      if (token) return `${token.symbol} token`;
      return o.names?.(address) ?? null;
    },
    quoteCall: async (c) => {
      const q = await w.quoteCall(callInput(c), errors);
      return {
        gasLimit: BigInt(q.gasLimit),
        maxFeePerGas: BigInt(q.fee.maxFeePerGas),
        maxPriorityFeePerGas: BigInt(q.fee.maxPriorityFeePerGas),
        maxFee: BigInt(q.maxFee.amount),
        sufficient: q.sufficient,
        warnings: q.warnings,
      };
    },
    sendCall: async (c) => (await w.sendCall(callInput(c), errors)).hash,
    signPersonal: (from, message) => w.signPersonal(from, message),
    signTypedData: (from, typed) => w.signTypedData(from, typed),
    onChange: (listener) =>
      w.on('changed', (c) => {
        if (c.kind === 'accounts' || c.kind === 'networks') listener(c.kind);
      }),
  };
}
