/**
 * @module wallet/call
 * Generic contract calls: EIP-1559 (type 2) transactions carrying calldata the caller encoded
 * (Solidity ABI specification), with optional native value; contract creation is not offered.
 *
 * `prepareCall` is the quote: the input is checked (EIP-55 address, whole-byte hex ≤ 128 KiB,
 * wei as decimal integers), the gas comes from eth_estimateGas with the margin of fees.ts — or,
 * when the caller fixed the gas, an eth_call at that gas — and a revert there is refused as
 * `CALL_REVERTED` (CallRevertedError) with the error in words (revert.ts; custom errors named
 * when a decoder for the contract's ABI is given). Fees are the tiers of `suggestFees`; the
 * total is value + gasLimit × maxFeePerGas, and `sufficient` says whether the native balance
 * covers it. A sender that cannot pay the value yet is estimated with a state override of its
 * balance (geth's eth_estimateGas third argument) so the quote still says what it would cost.
 * `sendCallPrepared` signs and broadcasts through the path of transfers (send.ts: nonce
 * reservation, release on failure, a pending activity record the watch loop settles).
 */
import { MAX_CALL_DATA_BYTES, type CallInputT, type CallQuoteT } from '../../../src-preload/contract';
import { BuError } from '../base';
import type { ActivityRecord } from './activity';
import { isZeroAddress, parseAddress } from './address';
import { readBalances } from './balances';
import { estimateGas, suggestFees, type FeeTier } from './fees';
import { RpcClientError } from './rpc-client';
import { isRevert, revertedError, type ErrorDecoder } from './revert';
import { chooseFees, records, resolveFrom, signAndBroadcast, type SendContext } from './send';
import { amountOf } from './views';

/** Gas assumed when the node cannot estimate for a reason other than a revert. */
const FALLBACK_GAS = 100_000n;
const UINT256_MAX = (1n << 256n) - 1n;

export type PreparedCall = { quote: CallQuoteT; to: string; value: bigint; data: string; gasLimit: bigint; fee: FeeTier; maxFee: bigint };

const bad = (m: string) => new BuError('BAD_INPUT', m);

function wei(v: string | undefined, what: string): bigint | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^\d{1,78}$/.test(v)) throw bad(`${what} must be a whole number of wei, as decimal digits.`);
  const n = BigInt(v);
  if (n > UINT256_MAX) throw bad(`${what} does not fit in 256 bits.`);
  return n;
}

function callData(v: unknown): string {
  if (typeof v !== 'string' || !/^0x(?:[0-9a-fA-F]{2})*$/.test(v)) throw bad('The call data must be 0x followed by whole bytes of hex.');
  if ((v.length - 2) / 2 > MAX_CALL_DATA_BYTES) throw bad(`The call data is ${(v.length - 2) / 2} bytes; at most ${MAX_CALL_DATA_BYTES} are accepted.`);
  return v.toLowerCase();
}

type Gas = { gasLimit: bigint; guessed: boolean };

/** Gas for the call; CALL_REVERTED when the node says it would revert. */
async function gasFor(ctx: SendContext, tx: { from: string; to: string; value: bigint; data: string }, given: bigint | undefined, canPayValue: boolean, errors?: ErrorDecoder): Promise<Gas> {
  const rethrow = (e: unknown): never => {
    throw isRevert(e) ? revertedError(e, errors) : e;
  };
  const hex = (n: bigint) => `0x${n.toString(16)}`;
  if (given !== undefined) {
    if (canPayValue) await ctx.rpc.call('eth_call', [{ from: tx.from, to: tx.to, value: hex(tx.value), data: tx.data, gas: hex(given) }, 'latest']).catch(rethrow);
    return { gasLimit: given, guessed: false };
  }
  const override = canPayValue ? undefined : { [tx.from]: { balance: hex(tx.value + 10n ** 30n) } };
  try {
    return { gasLimit: await estimateGas(ctx.rpc, tx, override), guessed: false };
  } catch (e) {
    if (isRevert(e)) throw revertedError(e, errors);
    if (e instanceof RpcClientError && e.kind === 'RPC_ERROR' && (!canPayValue || /insufficient funds/i.test(e.rpcMessage ?? ''))) return { gasLimit: FALLBACK_GAS, guessed: true };
    throw e;
  }
}

export async function prepareCall(ctx: SendContext, input: CallInputT, errors?: ErrorDecoder): Promise<PreparedCall> {
  if (typeof input !== 'object' || input === null) throw bad('A contract call needs at least a contract address and call data.');
  const n = ctx.network;
  const from = resolveFrom(ctx.accounts, input.from);
  if (input.to === undefined || input.to === null) throw bad('Say which contract to call: contract deployment is not supported.');
  const to = parseAddress(input.to, 'The contract address');
  if (isZeroAddress(to)) throw new BuError('BAD_ADDRESS', 'That is the zero address: there is no contract there.');
  const data = callData(input.data);
  const value = wei(input.value, 'The value') ?? 0n;
  const givenGas = wei(input.gasLimit, 'The gas limit');
  if (givenGas !== undefined && givenGas < 21_000n) throw bad('A transaction needs at least 21000 gas.');
  const [fees, bal, code] = await Promise.all([suggestFees(ctx.rpc), readBalances(ctx.rpc, { account: from, tokens: [] }), ctx.rpc.call<string>('eth_getCode', [to, 'latest'])]);
  const { tier, fee } = chooseFees(fees, input);
  const gas = await gasFor(ctx, { from, to, value, data }, givenGas, bal.native >= value, errors);
  const maxFee = gas.gasLimit * fee.maxFeePerGas;
  const sufficient = bal.native >= value + maxFee;
  const sym = n.symbol;
  const warnings: string[] = [];
  if (typeof code !== 'string' || code === '0x' || code === '0x0') warnings.push(`There is no contract at ${to} on ${n.name}: the data would be sent to a plain account.`);
  if (data === '0x') warnings.push('The call carries no data.');
  if (gas.guessed) warnings.push(`The network could not estimate the gas; ${gas.gasLimit} is a guess.`);
  if (fee.maxFeePerGas < fees.baseFee) warnings.push('The max fee is below the current base fee: the transaction waits until fees drop.');
  if (ctx.accounts.list().find((a) => a.address === from)?.kind === 'watch') warnings.push('This account is watch-only: it cannot sign.');
  if (!sufficient) {
    warnings.push(`Not enough ${sym}: the call can cost up to ${amountOf(value + maxFee, n.decimals, sym, true).formatted} and the balance is ${amountOf(bal.native, n.decimals, sym, true).formatted}.`);
  }
  const s = (t: FeeTier) => ({ maxFeePerGas: t.maxFeePerGas.toString(), maxPriorityFeePerGas: t.maxPriorityFeePerGas.toString() });
  const quote: CallQuoteT = {
    from,
    to,
    network: { id: n.id, name: n.name, chainId: n.chainId, symbol: sym },
    value: amountOf(value, n.decimals, sym, true),
    dataLength: (data.length - 2) / 2,
    selector: data.length >= 10 ? data.slice(0, 10) : null,
    gasLimit: gas.gasLimit.toString(),
    baseFee: fees.baseFee.toString(),
    tiers: { slow: s(fees.slow), normal: s(fees.normal), fast: s(fees.fast) },
    tier,
    fee: s(fee),
    maxFee: amountOf(maxFee, n.decimals, sym, true),
    total: `at most ${amountOf(value + maxFee, n.decimals, sym, true).formatted}`,
    sufficient,
    warnings,
  };
  return { quote, to, value, data, gasLimit: gas.gasLimit, fee, maxFee };
}

/** Signs and broadcasts a prepared call; returns the sender's pending activity record. */
export async function sendCallPrepared(ctx: SendContext, p: PreparedCall): Promise<ActivityRecord> {
  const q = p.quote;
  if (!q.sufficient) throw new BuError('INSUFFICIENT_FUNDS', q.warnings.find((w) => w.startsWith('Not enough')) ?? 'The balance does not cover the value and the fee.');
  const { hash, nonce } = await signAndBroadcast(ctx, q.from, { to: p.to, value: p.value, data: p.data, gasLimit: p.gasLimit, fee: p.fee });
  const rs = records(ctx, { hash, from: q.from, recipient: p.to, value: p.value, token: null, nonce, fee: p.maxFee, replacement: null });
  ctx.log.upsert(ctx.network.id, rs);
  return rs[0]!;
}
