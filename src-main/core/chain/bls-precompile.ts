/**
 * @module chain/bls-precompile
 * POE's BLS signature check as an EVM precompile (issue 9, shared POE brief "Staking
 * contract"), so the staking contract can verify proofs of possession and equivocation
 * evidence on chain.
 *
 * Address `0x0000000000000000000000000000000000000B15`. Input
 * `pubkey(48, compressed G1) ‖ signature(96, compressed G2) ‖ digest(32)` = 176 bytes;
 * output 32 bytes, `…01` if the signature verifies under the key for the 32-byte digest
 * (ciphersuite BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_, draft-irtf-cfrg-bls-signature-05),
 * `…00` otherwise — including any other input length and undecodable points, so a malformed
 * input never makes the caller revert by itself. Gas: a flat 50,000 (about one pairing check,
 * as EIP-2537 prices a two-pair pairing at 70,300 with the hash to curve on top here); with
 * less gas the call fails like any precompile out of gas (all gas consumed, EVMError
 * "out of gas"), the standard ExecResult shape of @ethereumjs/evm's own precompiles.
 */
import { EVMError, type CustomPrecompile, type ExecResult, type PrecompileInput } from '@ethereumjs/evm';
import { blsVerify } from '../crypto';

export const BLS_VERIFY_ADDRESS = '0x0000000000000000000000000000000000000b15';
export const BLS_VERIFY_GAS = 50_000n;
export const BLS_VERIFY_INPUT_LENGTH = 48 + 96 + 32;

const VALID = (() => {
  const out = new Uint8Array(32);
  out[31] = 1;
  return out;
})();

/** The precompile's pure function (exported for tests and callers outside an EVM). */
export function blsVerifyInput(data: Uint8Array): boolean {
  if (data.length !== BLS_VERIFY_INPUT_LENGTH) return false;
  const publicKey = data.subarray(0, 48);
  const signature = data.subarray(48, 144);
  const digest = data.subarray(144, 176);
  try {
    return blsVerify(publicKey, digest, signature);
  } catch {
    return false; // blsVerify promises not to throw; a precompile must never throw either way
  }
}

function run(input: PrecompileInput): ExecResult {
  if (input.gasLimit < BLS_VERIFY_GAS) {
    return {
      returnValue: new Uint8Array(0),
      executionGasUsed: input.gasLimit,
      exceptionError: new EVMError(EVMError.errorMessages.OUT_OF_GAS),
    };
  }
  return {
    executionGasUsed: BLS_VERIFY_GAS,
    returnValue: blsVerifyInput(input.data) ? VALID.slice() : new Uint8Array(32),
  };
}

/** The precompile for `createVM({ evmOpts: { customPrecompiles: [blsVerifyPrecompile()] } })`. */
export function blsVerifyPrecompile(): CustomPrecompile {
  return { address: BLS_VERIFY_ADDRESS, function: run };
}
