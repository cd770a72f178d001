/**
 * @module dapps/provider/tx-method
 * eth_sendTransaction (EIP-1474; signed as an EIP-1559 type-2 transaction, EIP-2718
 * envelope): `from` must be an account this dapp was given, `to` is required (deploying
 * contracts from a dapp is not offered), a `chainId` other than the selected chain is
 * WRONG_NETWORK. The dapp's gas limit is kept as a hint; its nonce and fee fields are ignored
 * — the wallet owns nonces and prices fees with its own EIP-1559 tiers (as Rabby does; MetaMask
 * shows "site suggested" fees). The call data is decoded (calldata.ts) and the call quoted
 * (gas, max fee, whether the balance covers value + fee) before the user sees it; a call that
 * would revert is refused there (CALL_REVERTED, the reason in words) without a dialog. On approval
 * the account and network are checked again and the transaction is signed with exactly the
 * quoted gas and fees; the dapp receives the transaction hash.
 */
import type { PendingRequestT } from '../../../../src-preload/contract';
import { BuError } from '../../base';
import { decodeCall } from './calldata';
import { addressText, amountText, row } from './display';
import { bad, chainIdOf, list, txObject } from './params';
import { requireManifest } from './permissions';
import { recheck, signingAccount } from './sign-methods';
import type { MethodAnswer, MethodContext } from './types';

const amount = (value: bigint, decimals: number, symbol: string) => ({ amount: value.toString(), formatted: amountText(value, decimals, symbol), symbol, decimals });

export async function sendTransaction(ctx: MethodContext, params: unknown): Promise<MethodAnswer> {
  requireManifest(ctx.info, 'transact');
  const [raw] = list(params, 'eth_sendTransaction', 1, 1);
  const tx = txObject(raw, 'eth_sendTransaction');
  if (tx.from === undefined) throw bad('eth_sendTransaction needs a "from" address: one of the accounts this dapp was given.');
  const from = signingAccount(ctx, tx.from, 'The sending account');
  if (tx.to === undefined) throw bad('Deploying contracts from a dapp is not supported: the transaction needs a "to" address.');
  const to = tx.to as string;
  if (tx.chainId !== undefined && chainIdOf(tx.chainId) !== ctx.network.chainId) {
    throw new BuError('WRONG_NETWORK', `The transaction is for chain ${chainIdOf(tx.chainId) ?? String(tx.chainId)}, but the wallet is on ${ctx.network.name} (chain ${ctx.network.chainId}).`);
  }
  const data = ((tx.data ?? tx.input ?? '0x') as string).toLowerCase();
  const value = tx.value === undefined ? 0n : BigInt(tx.value as string);
  const gasHint = tx.gas === undefined ? undefined : BigInt(tx.gas as string);
  const n = ctx.network;
  const [decoded, quote] = await Promise.all([decodeCall(ctx.wallet, to, data), ctx.wallet.quoteCall({ from, networkId: n.id, to, data, value, ...(gasHint !== undefined ? { gasLimit: gasHint } : {}) })]);
  const toName = ctx.wallet.nameOf(to);
  const rows = [
    row('From', addressText(ctx.wallet, from), { mono: true }),
    row('To', addressText(ctx.wallet, to), { mono: true }),
    row('Action', decoded.summary),
    row('Value', amountText(value, n.decimals, n.symbol)),
  ];
  if (decoded.functionName !== null) rows.push(row('Function', decoded.functionName));
  else if (decoded.selector !== null) rows.push(row('Function', `unknown (selector ${decoded.selector})`, { mono: true, warn: true }));
  for (const a of decoded.args) rows.push(row(a.name, a.value, a.type === 'address' || a.type.startsWith('bytes') ? { mono: true } : {}));
  rows.push(row('Network fee', `at most ${amountText(quote.maxFee, n.decimals, n.symbol)}`));
  rows.push(row('Total', `at most ${amountText(value + quote.maxFee, n.decimals, n.symbol)}`, quote.sufficient ? {} : { warn: true }));
  const call: NonNullable<PendingRequestT['call']> = {
    to,
    toName,
    functionName: decoded.functionName,
    selector: decoded.selector,
    args: decoded.args,
    value: amount(value, n.decimals, n.symbol),
    maxFee: amount(quote.maxFee, n.decimals, n.symbol),
    sufficient: quote.sufficient,
  };
  const warnings = [...decoded.warnings, ...quote.warnings];
  const request = ctx.pend({ kind: 'transaction', title: `${ctx.info.name}: ${decoded.summary}`, account: from, rows, call, warnings }, async () => {
    recheck(ctx, from, true);
    return ctx.wallet.sendCall({ from, networkId: n.id, to, data, value, gasLimit: quote.gasLimit, maxFeePerGas: quote.maxFeePerGas, maxPriorityFeePerGas: quote.maxPriorityFeePerGas });
  });
  return { kind: 'pending', request };
}
