/**
 * @module seal/rewards
 * POE's rewards, minted as EIP-4895 withdrawals in the block after the one they reward, so
 * every wallet and tool sees them as ordinary balance changes (and eth_getBlockByNumber
 * lists them). Block h+1 pays, from block h's certificate (its poeBody.lastCert): h's
 * proposer, each sealer in the certificate, each primary whose precommit it aggregates.
 * Everyone derives the same list from the same certificate, so a block whose withdrawals
 * differ is invalid. Withdrawal index = height · 65536 + position: unique and increasing
 * without any state.
 */
import type { Block } from '@ethereumjs/block';
import { createAddressFromString, type WithdrawalData } from '@ethereumjs/util';
import { bitsGet, type Certificate } from './codec';
import type { HeightContext } from './context';

export function rewardWithdrawals(parentCtx: HeightContext, cert: Certificate, parent: Block): WithdrawalData[] {
  const r = parentCtx.params.rewards;
  const out: WithdrawalData[] = [];
  const base = cert.height * 65536n;
  const push = (address: string, validatorIndex: number, amount: bigint) => {
    if (amount > 0n) out.push({ index: base + BigInt(out.length), validatorIndex: BigInt(validatorIndex), address: createAddressFromString(address), amount });
  };
  const proposer = parentCtx.primaries.get(parent.header.coinbase.toString().toLowerCase());
  if (proposer) push(proposer.address, proposer.index, r.proposerGwei);
  for (const s of cert.seals) {
    const v = parentCtx.sealers.get(s.sealer);
    if (v) push(v.address, v.index, r.sealerGwei);
  }
  parentCtx.set.primaries.forEach((v, i) => {
    if (bitsGet(cert.precommitBits, i)) push(v.address, v.index, r.voterGwei);
  });
  return out;
}

export function sameWithdrawals(block: Block, expected: WithdrawalData[]): boolean {
  const got = block.withdrawals ?? [];
  if (got.length !== expected.length) return false;
  return got.every((w, i) => {
    const e = expected[i]!;
    return w.index === e.index && w.validatorIndex === e.validatorIndex && w.amount === e.amount && w.address.toString() === e.address.toString();
  });
}
