/**
 * @module chain/staking-params
 * The chain's part of a genesis `bitunicom.poe` section (issue 9, shared POE brief "Staking
 * contract"): where PoeStaking lives and its constructor parameters — the minimum stake of
 * each role and the unbonding period. The consensus constants in the same section (lookback,
 * targets, rewards, minSeals, …) are read by core/seal (seal/params.ts). Amounts are decimal
 * strings of wei in JSON and bigints here. Documented in resources/contracts/README.md.
 */
import { getAddress } from 'ethers';
import { BuError } from '../base';

export type StakingParams = {
  /** Checksummed address of PoeStaking. */
  stakingAddress: string;
  minPrimaryStake: bigint;
  minSealerStake: bigint;
  unbondingBlocks: bigint;
};

/** The devnet's staking contract address. */
export const POE_STAKING_ADDRESS = '0x0000000000000000000000000000000000005EA1';

const bad = (what: string): never => {
  throw new BuError('BAD_INPUT', `The genesis "bitunicom.poe" section: ${what}.`);
};

function wei(v: unknown, what: string): bigint {
  if (typeof v !== 'string' || !/^\d{1,78}$/.test(v)) bad(`${what} must be a decimal string of wei`);
  return BigInt(v as string);
}

/** Check and type the staking fields of a `bitunicom.poe` section; BAD_INPUT names the first bad one. */
export function parseStakingSection(raw: unknown): StakingParams {
  if (!raw || typeof raw !== 'object') bad('not an object');
  const s = raw as Record<string, unknown>;
  let stakingAddress = '';
  try {
    stakingAddress = getAddress(String(s.stakingAddress ?? POE_STAKING_ADDRESS));
  } catch {
    bad('stakingAddress is not an address');
  }
  const unbonding = s.unbondingBlocks;
  if (typeof unbonding !== 'number' || !Number.isSafeInteger(unbonding) || unbonding < 0) bad('unbondingBlocks must be an integer ≥ 0');
  return {
    stakingAddress,
    minPrimaryStake: wei(s.minPrimaryStake, 'minPrimaryStake'),
    minSealerStake: wei(s.minSealerStake, 'minSealerStake'),
    unbondingBlocks: BigInt(unbonding as number),
  };
}

/** The staking parameters of a genesis, or null when it has no `bitunicom.poe` section. */
export function stakingParams(genesis: unknown): StakingParams | null {
  const raw = (genesis as { bitunicom?: { poe?: unknown } } | null)?.bitunicom?.poe;
  return raw === undefined ? null : parseStakingSection(raw);
}
