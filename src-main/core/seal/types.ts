/**
 * @module seal/types
 * Who takes part: the validator set read from the staking contract (core/chain staking.ts)
 * and the keys a node holds.
 */
import type { Validator, ValidatorRole, ValidatorSet } from '../chain';

/** The staking contract's view (core/chain staking.ts): one definition for reader and engine. */
export type { Validator, ValidatorSet };
export type Role = ValidatorRole; // 1 = primary, 2 = sealer (PoeStaking's roles)

/** A participant key this node holds: BLS for consensus, secp256k1 for its own transactions. */
export type PoeKey = {
  address: `0x${string}`;
  blsSecret: Uint8Array;
  blsPublic: Uint8Array;
  /** For evidence transactions; optional for sealers that never report. */
  ethPrivateKey?: Uint8Array;
};

export function byAddress(set: Validator[]): Map<string, Validator> {
  return new Map(set.map((v) => [v.address.toLowerCase(), v]));
}
