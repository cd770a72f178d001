/**
 * @module renderer/features/wallet/send-input
 * The Send form's values → the bridge's SendInput (or the first problem, in words): a typed
 * address or a friend (whose address the node takes from their signed profile), native or a
 * token, the amount checked against its decimals, the fee tier or a custom max fee typed in
 * gwei and sent in wei. Pure: unit-tested.
 */
import type { SendInputT } from '../../../src-preload/contract';
import { addressProblem, amountProblem, gweiToWei, maxFeeProblem } from './wallet-format';

export type Tier = 'slow' | 'normal' | 'fast';

export type SendForm = {
  mode: 'address' | 'friend';
  to: string;
  friend: string;
  token: string;
  amount: string;
  tier: Tier;
  maxFeeGwei: string;
};

export type Problems = Partial<Record<'to' | 'friend' | 'amount' | 'maxFee', string>>;

export function sendProblems(f: SendForm, unit: { decimals: number; symbol: string }): Problems {
  const p: Problems = {};
  if (f.mode === 'address') {
    const a = addressProblem(f.to);
    if (a) p.to = a;
  } else if (!f.friend) p.friend = 'Choose a friend.';
  const amount = amountProblem(f.amount, unit.decimals, unit.symbol);
  if (amount) p.amount = amount;
  const fee = maxFeeProblem(f.maxFeeGwei);
  if (fee) p.maxFee = fee;
  return p;
}

/** The SendInput for wallet.quote / wallet.send (call only when sendProblems is empty). */
export function toSendInput(f: SendForm, from: string, networkId: string): SendInputT {
  const input: SendInputT = { from, networkId, amount: f.amount.trim(), tier: f.tier };
  if (f.mode === 'address') input.to = f.to.trim();
  else input.friend = f.friend;
  if (f.token) input.token = f.token;
  const wei = f.maxFeeGwei.trim() ? gweiToWei(f.maxFeeGwei) : null;
  if (wei) input.maxFeePerGas = wei;
  return input;
}
