/**
 * @module chain/rpc/web3-net
 * Node identity and the small methods every tool probes first (execution-apis
 * src/eth/client.yaml; the web3_ and net_ namespaces as geth serves them): eth_chainId
 * (EIP-695), net_version (the chain id in decimal), web3_clientVersion, web3_sha3
 * (keccak-256 of the data), net_listening, net_peerCount, eth_syncing (false: the ledger is
 * its own source), eth_accounts (always empty: the node holds no keys, so eth_sign and
 * eth_sendTransaction do not exist).
 */
import { keccak_256 } from '@noble/hashes/sha3.js';
import { hex, qty, type RpcContext } from './context';
import type { MethodTable } from './dispatch';
import { Params, data } from './params';

export function web3NetMethods(ctx: RpcContext): MethodTable {
  const none = (result: unknown) => (raw: unknown) => {
    new Params(raw, 0);
    return result;
  };
  return {
    eth_chainId: none(qty(ctx.ledger.chainId)),
    net_version: none(ctx.ledger.chainId.toString(10)),
    web3_clientVersion: none(ctx.clientVersion),
    net_listening: none(true),
    net_peerCount: none('0x0'),
    eth_syncing: none(false),
    eth_accounts: none([]),
    web3_sha3(raw) {
      return hex(keccak_256(new Params(raw, 1).req(0, data)));
    },
  };
}
