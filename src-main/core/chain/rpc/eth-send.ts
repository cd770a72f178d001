/**
 * @module chain/rpc/eth-send
 * eth_sendRawTransaction (execution-apis src/eth/submit.yaml): the signed EIP-2718 envelope
 * goes to the mempool, which answers with the transaction hash or refuses it with geth's
 * txpool message as -32000 ("nonce too low: …", "insufficient funds for gas * price +
 * value: …", "replacement transaction underpriced", …). Only raw transactions: the node has
 * no keys, so eth_sendTransaction is not a method here.
 */
import { serverError, type RpcContext } from './context';
import type { MethodTable } from './dispatch';
import { Params, data } from './params';

export function sendMethods(ctx: RpcContext): MethodTable {
  return {
    async eth_sendRawTransaction(raw) {
      const tx = new Params(raw, 1).req(0, data);
      if (!ctx.mempool) throw serverError('this node does not accept transactions (no transaction pool)');
      return ctx.mempool.add(tx);
    },
  };
}
