/**
 * @module bench/chain-sign-worker
 * Signs a slice of the benchmark's transactions offline (ethers `Wallet.signTransaction`,
 * EIP-1559 type 2 with an EIP-155 chain id) in a worker thread, so presigning 100,000
 * transactions uses every core before any node is measured.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Wallet } from 'ethers';
import type { TxSpec } from './chain-load';

const { keys, chainId, jobs } = workerData as { keys: string[]; chainId: bigint; jobs: TxSpec[] };
const wallets = keys.map((k) => new Wallet(k));
const raws: string[] = [];
for (const j of jobs) {
  raws.push(
    await wallets[j.sender]!.signTransaction({
      type: 2,
      chainId,
      nonce: j.nonce,
      to: j.to,
      value: j.value,
      data: j.data,
      gasLimit: j.gasLimit,
      maxFeePerGas: j.maxFeePerGas,
      maxPriorityFeePerGas: j.maxPriorityFeePerGas,
    }),
  );
}
parentPort!.postMessage(raws);
