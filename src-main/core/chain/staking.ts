/**
 * @module chain/staking
 * Reads the POE validator set from the PoeStaking contract (resources/contracts/PoeStaking.sol;
 * issue 9, shared POE brief "Staking contract") and encodes its calls for the CLI and wallet.
 *
 * `readValidatorSet(ledger, header)` runs `validators()` in a scratch VM at the header's state
 * (consensus calls it with the block at max(0, h − lookback) to get the set for height h) and
 * caches the answer per block hash: the state of a block never changes, so the cache cannot go
 * stale. The shape is core/seal's `ValidatorSet` (seal/types.ts): lower-case addresses,
 * roles 1 (primary) / 2 (sealer), and `index` = the position in its role's list, both lists in
 * registration order (the order `validators()` returns).
 *
 * The ABI below is the contract's, written out (a test compares it with the compiled
 * artifact), so reading the set needs no resource files.
 */
import type { BlockHeader } from '@ethereumjs/block';
import { bytesToHex, createAddressFromString, hexToBytes } from '@ethereumjs/util';
import { Interface, getAddress } from 'ethers';
import { BuError } from '../base';
import type { Ledger } from './ledger';
import { POE_STAKING_ADDRESS, stakingParams } from './staking-params';

/** PoeStaking's roles: 1 primary, 2 sealer. */
export type ValidatorRole = 1 | 2;
export const ROLE_PRIMARY = 1;
export const ROLE_SEALER = 2;

export type Validator = {
  /** Lower-case 0x address. */
  address: `0x${string}`;
  /** Position in its role's list (registration order). */
  index: number;
  role: ValidatorRole;
  /** BLS12-381 G1, 48 bytes compressed. */
  publicKey: Uint8Array;
  stake: bigint;
};

export type ValidatorSet = {
  primaries: Validator[];
  sealers: Validator[];
  totalPrimaryStake: bigint;
  totalSealerStake: bigint;
};

export type EquivocationReport = {
  offender: string;
  /** 3 PROPOSAL, 5 PREVOTE, 6 PRECOMMIT. */
  kind: number;
  height: bigint;
  round: number;
  dataA: Uint8Array;
  sigA: Uint8Array;
  dataB: Uint8Array;
  sigB: Uint8Array;
};

/** The staking contract's ABI (human-readable; matches the compiled artifact). */
export const POE_STAKING_ABI = [
  'constructor(uint256 minPrimary, uint256 minSealer, uint256 unbonding, address[] addrs, uint8[] roles, bytes[] pubkeys, uint256[] stakes) payable',
  'function register(uint8 role, bytes blsPubkey, bytes pop) payable',
  'function topUp() payable',
  'function requestExit()',
  'function withdraw()',
  'function reportEquivocation(address offender, uint8 kind, uint64 height, uint32 round, bytes32 dataA, bytes sigA, bytes32 dataB, bytes sigB)',
  'function validators() view returns (address[] addrs, uint8[] roles, bytes[] pubkeys, uint256[] stakes)',
  'function params() view returns (uint256, uint256, uint256)',
  'function staker(address who) view returns (uint8 status, uint8 role, uint256 stake, bytes pubkey, uint256 withdrawableAt)',
  'function ROLE_PRIMARY() view returns (uint8)',
  'function ROLE_SEALER() view returns (uint8)',
  'function BLS_VERIFY() view returns (address)',
  'function BURN() view returns (address)',
  'event Registered(address indexed who, uint8 role, bytes pubkey, uint256 stake)',
  'event ToppedUp(address indexed who, uint256 amount, uint256 stake)',
  'event ExitRequested(address indexed who, uint256 stake, uint256 withdrawableAt)',
  'event Withdrawn(address indexed who, uint256 amount)',
  'event Slashed(address indexed who, address reporter, uint256 amount)',
  'error BadRole(uint8 role)',
  'error BadPubkeyLength(uint256 length)',
  'error BadSignatureLength(uint256 length)',
  'error StakeTooLow(uint256 given, uint256 minimum)',
  'error AlreadyRegistered(address who)',
  'error PubkeyTaken(address owner)',
  'error PubkeySlashed()',
  'error BadProofOfPossession()',
  'error NotActive(address who)',
  'error NotExiting(address who)',
  'error StillUnbonding(uint256 withdrawableAt)',
  'error NotEquivocationKind(uint8 kind)',
  'error SameData()',
  'error NothingToSlash(address offender)',
  'error BadSignature(uint8 which)',
  'error TransferFailed(address to, uint256 amount)',
  'error LengthMismatch()',
  'error WrongValue(uint256 given, uint256 expected)',
  'error ReentrancyGuardReentrantCall()',
] as const;

export const stakingInterface = new Interface(POE_STAKING_ABI);

const ROLE_CODE = { primary: ROLE_PRIMARY, sealer: ROLE_SEALER } as const;
const READ_GAS = 100_000_000n;
const CACHE_SIZE = 64;

type Hex = `0x${string}`;
const hex = (b: Uint8Array): Hex => bytesToHex(b) as Hex;

// ---- calldata ------------------------------------------------------------------------

/** `register(role, pubkey, pop)`; send with the stake as the transaction's value. */
export function encodeRegister(role: ValidatorRole | 'primary' | 'sealer', publicKey: Uint8Array, pop: Uint8Array): Hex {
  const code = typeof role === 'number' ? role : ROLE_CODE[role];
  return stakingInterface.encodeFunctionData('register', [code, hex(publicKey), hex(pop)]) as Hex;
}

export function encodeTopUp(): Hex {
  return stakingInterface.encodeFunctionData('topUp') as Hex;
}

export function encodeRequestExit(): Hex {
  return stakingInterface.encodeFunctionData('requestExit') as Hex;
}

export function encodeWithdraw(): Hex {
  return stakingInterface.encodeFunctionData('withdraw') as Hex;
}

export function encodeReportEquivocation(r: EquivocationReport): Hex {
  return stakingInterface.encodeFunctionData('reportEquivocation', [
    getAddress(r.offender),
    r.kind,
    r.height,
    r.round,
    hex(r.dataA),
    hex(r.sigA),
    hex(r.dataB),
    hex(r.sigB),
  ]) as Hex;
}

/** A revert from the staking contract as `Name(arg, …)` (custom errors), or null if not one. */
export function decodeStakingError(returnData: Uint8Array | string): string | null {
  const data = typeof returnData === 'string' ? returnData : hex(returnData);
  if (data.length < 10) return null;
  try {
    const err = stakingInterface.parseError(data);
    return err ? `${err.name}(${err.args.map(String).join(', ')})` : null;
  } catch {
    return null;
  }
}

// ---- reading the set ---------------------------------------------------------------------

/** Decode `validators()`'s return data into the two role lists. */
export function decodeValidators(returnData: Uint8Array): ValidatorSet {
  const [addrs, roles, pubkeys, stakes] = stakingInterface.decodeFunctionResult('validators', hex(returnData)) as unknown as [
    string[],
    bigint[],
    string[],
    bigint[],
  ];
  const set: ValidatorSet = { primaries: [], sealers: [], totalPrimaryStake: 0n, totalSealerStake: 0n };
  addrs.forEach((address, i) => {
    const role = Number(roles[i]);
    if (role !== ROLE_PRIMARY && role !== ROLE_SEALER) throw new BuError('INTERNAL', `The staking contract lists ${address} with unknown role ${roles[i]}.`);
    const list = role === ROLE_PRIMARY ? set.primaries : set.sealers;
    const v: Validator = { address: address.toLowerCase() as Hex, index: list.length, role, publicKey: hexToBytes(pubkeys[i] as Hex), stake: stakes[i]! };
    list.push(v);
    if (role === ROLE_PRIMARY) set.totalPrimaryStake += v.stake;
    else set.totalSealerStake += v.stake;
  });
  return set;
}

const caches = new WeakMap<Ledger, Map<string, Promise<ValidatorSet>>>();

/** The active validator set in the state of `header` (cached per block hash). */
export function readValidatorSet(ledger: Ledger, header: BlockHeader): Promise<ValidatorSet> {
  let cache = caches.get(ledger);
  if (!cache) caches.set(ledger, (cache = new Map()));
  const key = bytesToHex(header.hash());
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key); // move to the most recent end
    cache.set(key, hit);
    return hit;
  }
  const pending = callValidators(ledger, header);
  cache.set(key, pending);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  pending.catch(() => {
    if (cache.get(key) === pending) cache.delete(key);
  });
  return pending;
}

async function callValidators(ledger: Ledger, header: BlockHeader): Promise<ValidatorSet> {
  const address = createAddressFromString(stakingParams(ledger.genesis)?.stakingAddress ?? POE_STAKING_ADDRESS);
  const vm = await ledger.vmAt(header);
  const code = await vm.stateManager.getCode(address);
  if (code.length === 0) {
    throw new BuError('BAD_INPUT', `There is no staking contract at ${address.toString()} in block ${header.number}.`);
  }
  // a scratch VM: runCall bumping the zero address's nonce there is never stored
  const res = await vm.evm.runCall({
    to: address,
    data: hexToBytes(stakingInterface.encodeFunctionData('validators') as Hex),
    gasLimit: READ_GAS,
  });
  if (res.execResult.exceptionError) {
    throw new BuError('INTERNAL', `validators() failed in block ${header.number}: ${res.execResult.exceptionError.error}.`);
  }
  return decodeValidators(res.execResult.returnValue);
}
