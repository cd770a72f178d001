/**
 * The BLS verification precompile at 0x…0B15: 176-byte input pubkey ‖ sig ‖ digest, 32-byte
 * 1/0 output, flat 50,000 gas, any malformed input → 0 (never a failure of the call), too
 * little gas → the standard out-of-gas result (all gas used), seen both directly and from
 * contract code through STATICCALL in an @ethereumjs/vm EVM (Cancun).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createCustomCommon, Hardfork, Mainnet } from '@ethereumjs/common';
import { EVMError } from '@ethereumjs/evm';
import { concatBytes, createAccount, createAddressFromString, hexToBytes } from '@ethereumjs/util';
import { createVM, type VM } from '@ethereumjs/vm';
import { blsKeyFromSeed, blsSign, keccak256 } from '../crypto';
import { BLS_VERIFY_ADDRESS, BLS_VERIFY_GAS, blsVerifyInput, blsVerifyPrecompile } from './bls-precompile';

const utf8 = (s: string) => new TextEncoder().encode(s);
const key = blsKeyFromSeed(keccak256(utf8('bls precompile test key')));
const other = blsKeyFromSeed(keccak256(utf8('bls precompile test other key')));
const digest = keccak256(utf8('a POE digest'));
const sig = blsSign(key.secretKey, digest);
const input = concatBytes(key.publicKey, sig, digest);
const ONE = (() => {
  const b = new Uint8Array(32);
  b[31] = 1;
  return b;
})();
const ZERO = new Uint8Array(32);

describe('blsVerifyInput', () => {
  it('accepts the signature for its key and digest', () => {
    expect(input).toHaveLength(176);
    expect(blsVerifyInput(input)).toBe(true);
  });

  it('refuses a changed digest, another key, a flipped signature bit and every wrong length', () => {
    expect(blsVerifyInput(concatBytes(key.publicKey, sig, keccak256(utf8('another digest'))))).toBe(false);
    expect(blsVerifyInput(concatBytes(other.publicKey, sig, digest))).toBe(false);
    const flipped = input.slice();
    flipped[100]! ^= 1;
    expect(blsVerifyInput(flipped)).toBe(false);
    for (const n of [0, 1, 175, 177, 352]) expect(blsVerifyInput(new Uint8Array(n).fill(0xab))).toBe(false);
    expect(blsVerifyInput(input.subarray(0, 175))).toBe(false);
    expect(blsVerifyInput(concatBytes(input, new Uint8Array(1)))).toBe(false);
  });

  it('refuses undecodable points instead of throwing', () => {
    expect(blsVerifyInput(new Uint8Array(176))).toBe(false); // zero bytes: not a valid compressed point
    expect(blsVerifyInput(concatBytes(new Uint8Array(48).fill(0xff), sig, digest))).toBe(false);
    expect(blsVerifyInput(concatBytes(key.publicKey, new Uint8Array(96).fill(0xff), digest))).toBe(false);
    // the point at infinity as the public key (0xc0 ‖ zeros) with the infinity signature
    const infPk = new Uint8Array(48);
    infPk[0] = 0xc0;
    const infSig = new Uint8Array(96);
    infSig[0] = 0xc0;
    expect(blsVerifyInput(concatBytes(infPk, infSig, digest))).toBe(false);
  });
});

describe('blsVerifyPrecompile in the EVM', () => {
  let vm: VM;
  const caller = createAddressFromString('0x00000000000000000000000000000000000ca11e');
  const probe = createAddressFromString('0x0000000000000000000000000000000000000bbb');
  const at = createAddressFromString(BLS_VERIFY_ADDRESS);

  beforeAll(async () => {
    const common = createCustomCommon({ chainId: 16981 }, Mainnet, { hardfork: Hardfork.Cancun });
    vm = await createVM({ common, evmOpts: { customPrecompiles: [blsVerifyPrecompile()] } });
    await vm.stateManager.putAccount(caller, createAccount({ balance: 10n ** 18n }));
    // probe: CALLDATACOPY the input, STATICCALL 0x0b15 with the gas in the first 32 calldata
    // bytes and the rest as input, return success flag ‖ output (64 bytes)
    // 0x20 CALLDATASIZE SUB  0x20 0x00 CALLDATACOPY          copy input to memory 0
    // 0x20 0x20 (ret 32..64)  0x20 CALLDATASIZE SUB 0x00 (args)  0x0b15  0x00 CALLDATALOAD (gas)  STATICCALL
    // 0x00 MSTORE  0x40 0x00 RETURN
    const code = hexToBytes(
      '0x60203603602060003760206020602036036000610b15600035fa60005260406000f3' as `0x${string}`,
    );
    await vm.stateManager.putCode(probe, code);
  });

  const direct = (data: Uint8Array, gasLimit: bigint) => vm.evm.runCall({ caller, to: at, data, gasLimit });
  const viaProbe = async (data: Uint8Array, gas: bigint) => {
    const gasWord = hexToBytes(`0x${gas.toString(16).padStart(64, '0')}` as `0x${string}`);
    const res = await vm.evm.runCall({ caller, to: probe, data: concatBytes(gasWord, data), gasLimit: 1_000_000n });
    expect(res.execResult.exceptionError).toBeUndefined(); // the caller itself never fails
    const out = res.execResult.returnValue;
    return { success: out[31] === 1, output: out.slice(32, 64) };
  };

  it('costs 50,000 gas and answers 1 for a valid signature, 0 for an invalid one', async () => {
    const ok = await direct(input, 100_000n);
    expect(ok.execResult.exceptionError).toBeUndefined();
    expect(ok.execResult.executionGasUsed).toBe(BLS_VERIFY_GAS);
    expect(ok.execResult.returnValue).toEqual(ONE);
    const bad = await direct(concatBytes(other.publicKey, sig, digest), 100_000n);
    expect(bad.execResult.exceptionError).toBeUndefined();
    expect(bad.execResult.executionGasUsed).toBe(50_000n);
    expect(bad.execResult.returnValue).toEqual(ZERO);
  });

  it('answers 0 for a malformed input, still charging 50,000', async () => {
    for (const data of [new Uint8Array(0), input.subarray(0, 175), concatBytes(input, Uint8Array.of(0))]) {
      const res = await direct(data, 60_000n);
      expect(res.execResult.exceptionError).toBeUndefined();
      expect(res.execResult.executionGasUsed).toBe(50_000n);
      expect(res.execResult.returnValue).toEqual(ZERO);
    }
  });

  it('runs out of gas with less than 50,000: all gas used, no output', async () => {
    const res = await direct(input, 49_999n);
    expect(res.execResult.exceptionError).toBeInstanceOf(EVMError);
    expect(res.execResult.exceptionError?.error).toBe(EVMError.errorMessages.OUT_OF_GAS);
    expect(res.execResult.executionGasUsed).toBe(49_999n);
    expect(res.execResult.returnValue).toHaveLength(0);
  });

  it('works through STATICCALL from contract code; out of gas fails only the inner call', async () => {
    expect(await viaProbe(input, 50_000n)).toEqual({ success: true, output: ONE });
    expect(await viaProbe(concatBytes(key.publicKey, sig, keccak256(utf8('x'))), 50_000n)).toEqual({ success: true, output: ZERO });
    expect(await viaProbe(input.subarray(0, 100), 50_000n)).toEqual({ success: true, output: ZERO });
    // 49,999 gas: the STATICCALL returns 0 (failure) and the probe goes on
    expect((await viaProbe(input, 49_999n)).success).toBe(false);
  });

  it('is absent from an EVM that was not given it (a call there is a plain empty account)', async () => {
    const common = createCustomCommon({ chainId: 16981 }, Mainnet, { hardfork: Hardfork.Cancun });
    const plain = await createVM({ common });
    const res = await plain.evm.runCall({ caller, to: at, data: input, gasLimit: 100_000n });
    expect(res.execResult.exceptionError).toBeUndefined();
    expect(res.execResult.returnValue).toHaveLength(0);
    expect(res.execResult.executionGasUsed).toBe(0n);
  });
});
