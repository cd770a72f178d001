/**
 * @module seal/types
 * Who takes part: the validator set read from the staking contract (core/chain staking.ts)
 * and the keys a node holds.
 */
export type Role = 1 | 2; // 1 = primary, 2 = sealer (PoeStaking's roles)

export type Validator = {
  /** Lower-case 0x address (registers, receives rewards). */
  address: `0x${string}`;
  /** Position in its role's list, in registration order. */
  index: number;
  role: Role;
  publicKey: Uint8Array;
  stake: bigint;
};

export type ValidatorSet = {
  primaries: Validator[];
  sealers: Validator[];
  totalPrimaryStake: bigint;
  totalSealerStake: bigint;
};

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
