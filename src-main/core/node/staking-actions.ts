/**
 * @module node/staking-actions
 * The user's own POE registration (seed 003 pledge): become a sealer by locking tokens in
 * PoeStaking, leave (the stake unbonds), and take the stake back once the unbonding delay
 * has passed. Each is an EIP-1559 transaction from the wallet's first account (the address
 * the sealer key belongs to), signed here in the main process with the unlocked key and put
 * into the local chain's pool; the key never leaves this process. `stakeInfo` reads the
 * contract's `staker(address)` at the head.
 */
import { createFeeMarket1559Tx } from '@ethereumjs/tx';
import { bytesToHex, createAddressFromString, hexToBytes } from '@ethereumjs/util';
import { BuError } from '../base';
import { blsPopProve } from '../crypto';
import { encodeRegister, encodeRequestExit, encodeWithdraw, stakingInterface, stakingParams, type ChainService } from '../chain';

export type StakeInfo = {
  status: 'none' | 'active' | 'exiting';
  stakeWei: string;
  minStakeWei: string;
  /** Block from which an exited stake can be withdrawn (null unless exiting). */
  withdrawableAt: string | null;
  head: string;
  /** Blocks an exited stake stays locked. */
  unbondingBlocks: number;
};

const GAS_LIMIT = 400_000n;
const TIP = 1_000_000_000n;

function staking(service: ChainService) {
  const p = stakingParams(service.ledger.genesis);
  if (!p) throw new BuError('BAD_INPUT', 'This chain has no POE staking contract.');
  return p;
}

export async function stakeInfo(service: ChainService, address: string): Promise<StakeInfo> {
  const p = staking(service);
  const head = service.ledger.head.header;
  const vm = await service.ledger.vmAt(head);
  const res = await vm.evm.runCall({
    to: createAddressFromString(p.stakingAddress),
    data: hexToBytes(stakingInterface.encodeFunctionData('staker', [address]) as `0x${string}`),
    gasLimit: 1_000_000n,
  });
  if (res.execResult.exceptionError) throw new BuError('INTERNAL', `staker() failed: ${res.execResult.exceptionError.error}`);
  const [status, , stake, , withdrawableAt] = stakingInterface.decodeFunctionResult('staker', bytesToHex(res.execResult.returnValue)) as unknown as [bigint, bigint, bigint, string, bigint];
  const st = Number(status) === 1 ? 'active' : Number(status) === 2 ? 'exiting' : 'none';
  return { status: st, stakeWei: stake.toString(), minStakeWei: p.minSealerStake.toString(), withdrawableAt: st === 'exiting' ? withdrawableAt.toString() : null, head: head.number.toString(), unbondingBlocks: Number(p.unbondingBlocks) };
}

export type StakeAction = { action: 'register'; stakeWei?: bigint } | { action: 'exit' } | { action: 'withdraw' };

/** Sends the action's transaction; resolves to its hash once the pool accepted it (on disk). */
export async function sendStakeAction(
  service: ChainService,
  wallet: { privateKey: Uint8Array; address: string },
  sealer: { publicKey: Uint8Array; secretKey: Uint8Array },
  a: StakeAction,
): Promise<string> {
  const p = staking(service);
  const info = await stakeInfo(service, wallet.address);
  let data: `0x${string}`;
  let value = 0n;
  if (a.action === 'register') {
    if (info.status !== 'none') throw new BuError('BAD_INPUT', info.status === 'active' ? 'You are already registered as a sealer.' : 'Your previous stake is still unbonding; withdraw it first.');
    value = a.stakeWei ?? p.minSealerStake;
    if (value < p.minSealerStake) throw new BuError('BAD_INPUT', `A sealer stakes at least ${p.minSealerStake} wei.`);
    data = encodeRegister('sealer', sealer.publicKey, blsPopProve(sealer.secretKey, wallet.address));
  } else if (a.action === 'exit') {
    if (info.status !== 'active') throw new BuError('BAD_INPUT', 'You are not an active sealer.');
    data = encodeRequestExit();
  } else {
    if (info.status !== 'exiting') throw new BuError('BAD_INPUT', 'There is no stake to withdraw.');
    if (BigInt(info.head) < BigInt(info.withdrawableAt!)) throw new BuError('BAD_INPUT', `The stake unbonds until block ${info.withdrawableAt} (now ${info.head}).`);
    data = encodeWithdraw();
  }
  const ledger = service.ledger;
  const head = ledger.head.header;
  const baseFee = head.calcNextBaseFee();
  const from = createAddressFromString(wallet.address);
  const account = await ledger.stateAt(head).getAccount(from);
  if ((account?.balance ?? 0n) < value + GAS_LIMIT * (baseFee * 2n + TIP)) throw new BuError('BAD_INPUT', 'Not enough tokens for the stake and the transaction fee.');
  const tx = createFeeMarket1559Tx(
    {
      chainId: ledger.chainId,
      nonce: await service.mempool.pendingNonce(from),
      maxFeePerGas: baseFee * 2n + TIP,
      maxPriorityFeePerGas: TIP,
      gasLimit: GAS_LIMIT,
      to: createAddressFromString(p.stakingAddress),
      value,
      data: hexToBytes(data),
    },
    { common: ledger.commonAt(head.number + 1n, head.timestamp + 1n) },
  ).sign(wallet.privateKey);
  return service.mempool.add(tx.serialize());
}
