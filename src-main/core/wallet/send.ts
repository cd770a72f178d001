/**
 * @module wallet/send
 * Quote, send and replace (EIP-1559 type-2 transactions, EIP-2718 envelopes; ERC-20 via
 * EIP-20 `transfer`). `quote` checks everything a send would (recipient checksum, token on this
 * network, amount in the token's decimals, balance for amount + gasLimit × maxFeePerGas) and
 * prices it; `send` repeats the quote, reserves a nonce (NonceTracker), signs in this process,
 * broadcasts, and only then records the pending transaction. A failed broadcast gives the
 * nonce back — except on a timeout, where the node may have it: then it is tracked like a sent
 * one, and the refresh settles it (mined, or dropped once the nonce passes).
 * `replace` re-signs a pending transaction with the same nonce and fees raised by at least
 * the replacement bump (speed-up: same transfer; cancel: a 0-value transfer to oneself).
 */
import { Transaction } from 'ethers';
import type { SendInputT, SendQuoteT } from '../../../src-preload/contract';
import { BuError, isBuError, parseUnits } from '../base';
import type { WalletAccounts } from './accounts';
import type { ActivityLog, ActivityRecord } from './activity';
import { isZeroAddress, parseAddress } from './address';
import { readBalances } from './balances';
import { encodeTransfer, readTokenInfo, type TokenInfo } from './erc20';
import { estimateGas, replacementFees, suggestFees, type FeeTier } from './fees';
import type { Network } from './networks';
import type { NonceTracker } from './nonces';
import { RpcClientError, type RpcClient } from './rpc-client';
import type { TokenList } from './tokens';
import { amountOf } from './views';

export type SendContext = {
  network: Network;
  rpc: RpcClient;
  accounts: WalletAccounts;
  tracker: NonceTracker;
  log: ActivityLog;
  tokens: TokenList;
  /** The wallet address of a friend's signed profile (null: unknown friend or none shared). */
  friendWallet(identity: string): { address: string; name: string } | null;
};

export type Prepared = { quote: SendQuoteT; to: string; value: bigint; data: string; token: TokenInfo | null; recipient: string; amount: bigint; gasLimit: bigint; fee: FeeTier; maxFee: bigint };

const bad = (m: string) => new BuError('BAD_INPUT', m);

export function resolveFrom(accounts: WalletAccounts, from: string | undefined): string {
  const list = accounts.list();
  if (from === undefined) {
    const first = list.find((a) => !a.hidden) ?? list[0];
    if (!first) throw new BuError('NOT_FOUND', 'The wallet has no account.');
    return first.address;
  }
  const a = parseAddress(from, 'The account');
  if (!list.some((x) => x.address === a)) throw new BuError('NOT_FOUND', `${a} is not one of your accounts.`);
  return a;
}

async function tokenOf(ctx: SendContext, address: string): Promise<TokenInfo> {
  const known = ctx.tokens.find(ctx.network.id, address);
  if (known) return known;
  try {
    return await readTokenInfo(ctx.rpc, address);
  } catch (e) {
    if (isBuError(e) && e.code === 'BAD_INPUT') throw new BuError('WRONG_NETWORK', `${e.message.replace(/\.$/, '')} (network ${ctx.network.name}).`);
    throw e;
  }
}

function recipientOf(ctx: SendContext, input: SendInputT): { address: string; friend: { address: string; name: string } | null } {
  if ((input.to === undefined) === (input.friend === undefined)) throw bad('Say whom to pay: an address or a friend (one of them).');
  if (input.friend !== undefined) {
    const f = ctx.friendWallet(input.friend);
    if (!f) throw new BuError('NO_WALLET_ADDRESS', 'This friend has not shared a wallet address yet: it arrives with their profile once their app is online.');
    return { address: parseAddress(f.address, 'The friend\'s wallet address'), friend: { address: parseAddress(input.friend, 'The friend'), name: f.name } };
  }
  const to = parseAddress(input.to!, 'The recipient address');
  if (isZeroAddress(to)) throw new BuError('BAD_ADDRESS', 'That is the zero address: money sent there is lost for good.');
  return { address: to, friend: null };
}

/** The fee fields a send or a contract call may give. */
export type FeeChoice = Pick<SendInputT, 'tier' | 'maxFeePerGas' | 'maxPriorityFeePerGas'>;

/** The named tier, or the caller's own max fee (and tip) in wei per gas. */
export function chooseFees(tiers: { slow: FeeTier; normal: FeeTier; fast: FeeTier }, input: FeeChoice): { tier: SendQuoteT['tier']; fee: FeeTier } {
  const named = tiers[input.tier ?? 'normal'];
  if (input.maxFeePerGas === undefined) {
    if (input.maxPriorityFeePerGas !== undefined) throw bad('Give a max fee together with the priority fee.');
    return { tier: input.tier ?? 'normal', fee: named };
  }
  const maxFeePerGas = BigInt(input.maxFeePerGas);
  if (maxFeePerGas === 0n) throw bad('The max fee must be more than 0.');
  const tip = input.maxPriorityFeePerGas === undefined ? (named.maxPriorityFeePerGas < maxFeePerGas ? named.maxPriorityFeePerGas : maxFeePerGas) : BigInt(input.maxPriorityFeePerGas);
  if (tip > maxFeePerGas) throw bad('The priority fee cannot be more than the max fee.');
  return { tier: 'custom', fee: { maxFeePerGas, maxPriorityFeePerGas: tip } };
}

export async function prepareSend(ctx: SendContext, input: SendInputT): Promise<Prepared> {
  const n = ctx.network;
  const from = resolveFrom(ctx.accounts, input.from);
  const { address: recipient, friend } = recipientOf(ctx, input);
  const token = input.token === undefined ? null : await tokenOf(ctx, parseAddress(input.token, 'The token address'));
  const decimals = token ? token.decimals : n.decimals;
  const amount = parseUnits(input.amount, decimals);
  if (amount === 0n) throw bad('Enter an amount greater than 0.');
  const value = token ? 0n : amount;
  const to = token ? token.address : recipient;
  const data = token ? encodeTransfer(recipient, amount) : '0x';
  const [fees, bal] = await Promise.all([suggestFees(ctx.rpc), readBalances(ctx.rpc, { account: from, tokens: token ? [token.address] : [] })]);
  const tokenBal = token ? bal.tokens[0] : undefined;
  if (tokenBal && 'error' in tokenBal) throw new BuError(tokenBal.error.code, tokenBal.error.message);
  const enoughAsset = token ? (tokenBal as { balance: bigint }).balance >= amount : bal.native >= value;
  const { tier, fee } = chooseFees(fees, input);
  let gasLimit: bigint;
  if (input.gasLimit !== undefined) gasLimit = BigInt(input.gasLimit);
  else if (!enoughAsset) gasLimit = token ? 65_000n : 21_000n; // an estimate would only revert
  else {
    try {
      gasLimit = await estimateGas(ctx.rpc, { from, to, value, data });
    } catch (e) {
      if (e instanceof RpcClientError && e.kind === 'RPC_ERROR') {
        if (/insufficient funds/i.test(e.rpcMessage ?? '')) gasLimit = token ? 65_000n : 21_000n;
        else throw bad(`The network refuses this transfer: ${e.rpcMessage ?? e.message}`);
      } else throw e;
    }
  }
  if (gasLimit < 21_000n) throw bad('A transaction needs at least 21000 gas.');
  const maxFee = gasLimit * fee.maxFeePerGas;
  const sufficient = enoughAsset && bal.native >= value + maxFee;
  const warnings: string[] = [];
  if (recipient === from) warnings.push('You are sending to the same account it comes from.');
  if (fee.maxFeePerGas < fees.baseFee) warnings.push('The max fee is below the current base fee: the transaction waits until fees drop.');
  if (ctx.accounts.list().find((a) => a.address === from)?.kind === 'watch') warnings.push('This account is watch-only: it cannot sign.');
  if (!enoughAsset) warnings.push(`Not enough ${token ? token.symbol : n.symbol}: the balance is ${amountOf(token ? (tokenBal as { balance: bigint }).balance : bal.native, decimals, token ? token.symbol : n.symbol, true).formatted}.`);
  else if (!sufficient) warnings.push(`Not enough ${n.symbol} for the network fee: it can cost up to ${amountOf(maxFee, n.decimals, n.symbol, true).formatted}.`);
  const amt = amountOf(amount, decimals, token ? token.symbol : n.symbol, true);
  const maxFeeAmt = amountOf(maxFee, n.decimals, n.symbol, true);
  const total = token ? `${amt.formatted} + at most ${maxFeeAmt.formatted} fee` : `at most ${amountOf(amount + maxFee, n.decimals, n.symbol, true).formatted}`;
  const s = (t: FeeTier) => ({ maxFeePerGas: t.maxFeePerGas.toString(), maxPriorityFeePerGas: t.maxPriorityFeePerGas.toString() });
  const quote: SendQuoteT = {
    from,
    to: recipient,
    friend,
    network: { id: n.id, name: n.name, chainId: n.chainId, symbol: n.symbol },
    token: token && { ...token },
    amount: amt,
    gasLimit: gasLimit.toString(),
    baseFee: fees.baseFee.toString(),
    tiers: { slow: s(fees.slow), normal: s(fees.normal), fast: s(fees.fast) },
    tier,
    fee: s(fee),
    maxFee: maxFeeAmt,
    total,
    sufficient,
    warnings,
  };
  return { quote, to, value, data, token, recipient, amount, gasLimit, fee, maxFee };
}

/** Node error texts (geth, anvil, ours) → the error a user can act on. */
function sendError(e: unknown, n: Network): unknown {
  if (!(e instanceof RpcClientError) || e.kind !== 'RPC_ERROR') return e;
  const m = e.rpcMessage ?? e.message;
  if (/insufficient funds/i.test(m)) return new BuError('INSUFFICIENT_FUNDS', `${n.name} refused it: the balance does not cover amount + fee.`, { cause: e });
  if (/underpriced|fee cap less than block base fee|max fee per gas less than block base fee/i.test(m)) return new BuError('BAD_INPUT', `The fee is too low for ${n.name} right now (${m}).`, { cause: e });
  if (/nonce too low|already known/i.test(m)) return new BuError('RPC_ERROR', `${n.name} already has a transaction with this nonce; try again (${m}).`, { cause: e });
  return e;
}

async function broadcast(ctx: SendContext, raw: string): Promise<string> {
  const hash = Transaction.from(raw).hash!;
  try {
    const got = await ctx.rpc.call<string>('eth_sendRawTransaction', [raw]);
    if (typeof got === 'string' && got.toLowerCase() !== hash.toLowerCase()) throw new RpcClientError('RPC_BAD_RESPONSE', ctx.rpc.host, `The RPC at ${ctx.rpc.host} answered with another transaction hash.`);
    return hash;
  } catch (e) {
    if (e instanceof RpcClientError && e.kind === 'RPC_UNREACHABLE' && e.why === 'timeout') return hash; // it may have arrived: track it
    throw sendError(e, ctx.network);
  }
}

export function records(ctx: SendContext, p: { hash: string; from: string; recipient: string; value: bigint; token: TokenInfo | null; nonce: bigint; fee: bigint; replacement: ActivityRecord['replacement'] }): ActivityRecord[] {
  const mine = new Set(ctx.accounts.list().map((a) => a.address));
  const base: ActivityRecord = {
    hash: p.hash,
    chainId: ctx.network.chainId,
    account: p.from,
    direction: p.recipient === p.from ? 'self' : 'out',
    from: p.from,
    to: p.recipient,
    value: p.value.toString(),
    token: p.token,
    nonce: p.nonce.toString(),
    status: 'pending',
    blockNumber: null,
    at: Date.now(),
    fee: p.fee.toString(),
    replacement: p.replacement,
    ours: true,
  };
  const out = [base];
  if (p.recipient !== p.from && mine.has(p.recipient)) out.push({ ...base, account: p.recipient, direction: 'in', fee: null });
  return out;
}

/**
 * Reserves a nonce, signs an EIP-1559 transaction from `from` and broadcasts it; the nonce is
 * given back when signing or the broadcast fails, and tracked as pending once it went out.
 */
export async function signAndBroadcast(ctx: SendContext, from: string, tx: { to: string; value: bigint; data: string; gasLimit: bigint; fee: FeeTier }): Promise<{ hash: string; nonce: bigint }> {
  const signer = ctx.accounts.signer(from);
  const chainId = BigInt(ctx.network.chainId);
  const nonce = await ctx.tracker.next(ctx.rpc, chainId, from);
  let raw: string;
  let hash: string;
  try {
    raw = signer.signTransaction({ chainId, nonce, to: tx.to, value: tx.value, data: tx.data, gasLimit: tx.gasLimit, maxFeePerGas: tx.fee.maxFeePerGas, maxPriorityFeePerGas: tx.fee.maxPriorityFeePerGas });
    hash = await broadcast(ctx, raw);
  } catch (e) {
    ctx.tracker.release(chainId, from, nonce);
    throw e;
  }
  ctx.tracker.confirm(raw);
  return { hash, nonce };
}

/** Signs and broadcasts a prepared send; returns the sender's pending activity record. */
export async function sendPrepared(ctx: SendContext, p: Prepared): Promise<ActivityRecord> {
  const q = p.quote;
  if (!q.sufficient) throw new BuError('INSUFFICIENT_FUNDS', q.warnings.find((w) => w.startsWith('Not enough')) ?? 'The balance does not cover the amount and the fee.');
  const { hash, nonce } = await signAndBroadcast(ctx, q.from, { to: p.to, value: p.value, data: p.data, gasLimit: p.gasLimit, fee: p.fee });
  const rs = records(ctx, { hash, from: q.from, recipient: p.recipient, value: p.amount, token: p.token, nonce, fee: p.maxFee, replacement: null });
  ctx.log.upsert(ctx.network.id, rs);
  return rs[0]!;
}

/** Speeds up (same transfer) or cancels (0 to oneself) our pending transaction `hash`. */
export async function replaceTx(ctx: SendContext, hash: string, action: 'speed-up' | 'cancel'): Promise<ActivityRecord> {
  const chainId = BigInt(ctx.network.chainId);
  const h = hash.toLowerCase();
  const pending = ctx.accounts.list().flatMap((a) => ctx.tracker.pending(chainId, a.address)).find((x) => x.hash.toLowerCase() === h);
  if (!pending) throw new BuError('NOT_FOUND', 'That transaction is not pending any more (or was not sent from this app).');
  const old = Transaction.from(pending.raw);
  const fresh = await suggestFees(ctx.rpc);
  const fee = replacementFees({ maxFeePerGas: pending.maxFeePerGas, maxPriorityFeePerGas: pending.maxPriorityFeePerGas }, action === 'speed-up' ? fresh.fast : fresh.normal);
  const from = parseAddress(pending.from, 'The sender');
  const tx = action === 'speed-up' ? { to: old.to, value: old.value, data: old.data, gasLimit: old.gasLimit } : { to: from, value: 0n, data: '0x', gasLimit: 21_000n };
  const raw = ctx.accounts.signer(from).signTransaction({ chainId, nonce: pending.nonce, ...tx, maxFeePerGas: fee.maxFeePerGas, maxPriorityFeePerGas: fee.maxPriorityFeePerGas });
  const newHash = await broadcast(ctx, raw);
  ctx.tracker.markReplaced(pending.hash, raw);
  const before = ctx.log.byHash(ctx.network.id, pending.hash).find((r) => r.account === from);
  const rs =
    action === 'speed-up' && before
      ? [{ ...before, hash: newHash, at: Date.now(), fee: (tx.gasLimit * fee.maxFeePerGas).toString(), replacement: 'speed-up' as const, status: 'pending' as const }]
      : records(ctx, { hash: newHash, from, recipient: from, value: 0n, token: null, nonce: pending.nonce, fee: tx.gasLimit * fee.maxFeePerGas, replacement: action });
  ctx.log.upsert(ctx.network.id, rs);
  return rs[0]!;
}
