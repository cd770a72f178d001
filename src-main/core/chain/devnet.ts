/**
 * @module chain/devnet
 * Turns the devnet template (`resources/chain/devnet-genesis.json`: a geth genesis plus a
 * `bitunicom` section) into this user's genesis: the wallet's first account
 * (m/44'/60'/0'/0/0) gets `prefundWei`, and each listed contract is *deployed into the
 * genesis alloc* — its constructor runs once here in an EVM and the resulting runtime code
 * and storage become alloc entries, as geth genesis files carry predeploys. The contract's
 * address is CREATE(deployer, 0) (EIP-161 nonce rules aside, the same address a normal
 * deployment by that deployer would get). Storage keys are collected from the SSTOREs the
 * constructor executes, since the trie only keeps hashed keys.
 *
 * The result is a plain geth genesis (extra fields are ignored by geth and anvil), stored
 * beside the ledger so `devnet reset` and other tools reproduce the same chain.
 */
import { Interface } from 'ethers';
import { createCommonFromGethGenesis } from '@ethereumjs/common';
import {
  bigIntToHex,
  bytesToHex,
  createAddressFromString,
  generateAddress,
  hexToBytes,
  setLengthLeft,
  type Address,
} from '@ethereumjs/util';
import { createVM } from '@ethereumjs/vm';
import { BuError } from '../base';
import type { ContractArtifact } from './artifacts';
import { parseGenesis, type GethGenesis } from './genesis';

export type DevnetSection = {
  network: string;
  blockIntervalSec: number;
  prefundWei: string;
  contracts: { artifact: string; deployer: string; args: unknown[]; address?: string }[];
  wallet?: string;
};

export type DevnetGenesis = GethGenesis & { bitunicom: DevnetSection };

export function devnetSection(g: GethGenesis): DevnetSection | null {
  const s = (g as Partial<DevnetGenesis>).bitunicom;
  return s && typeof s === 'object' && typeof s.network === 'string' ? s : null;
}

/**
 * Build the user's devnet genesis from the template.
 * @param loadArtifact resolves an artifact name to its compiled contract.
 */
export async function materializeDevnet(
  templateText: string,
  wallet: string,
  loadArtifact: (name: string) => ContractArtifact,
  nowMs = Date.now(),
): Promise<DevnetGenesis> {
  const template = parseGenesis(templateText) as DevnetGenesis;
  const section = devnetSection(template);
  if (!section) throw new BuError('INTERNAL', 'The devnet template has no "bitunicom" section.');
  const walletAddr = createAddressFromString(wallet).toString();
  const alloc: GethGenesis['alloc'] = { ...template.alloc };
  alloc[walletAddr] = { balance: bigIntToHex(BigInt(section.prefundWei)) };
  const genesis: DevnetGenesis = {
    ...template,
    timestamp: bigIntToHex(BigInt(Math.floor(nowMs / 1000))),
    alloc,
    bitunicom: { ...section, wallet: walletAddr, contracts: [] },
  };
  for (const c of section.contracts) {
    const artifact = loadArtifact(c.artifact);
    const args = c.args.map((a) => substitute(a, walletAddr));
    const deployer = createAddressFromString(c.deployer);
    const { address, code, storage } = await runConstructor(genesis, deployer, artifact, args);
    alloc[address.toString()] = { balance: '0x0', code: bytesToHex(code), storage, nonce: '0x1' };
    genesis.bitunicom.contracts.push({ ...c, address: address.toString() });
  }
  return genesis;
}

function substitute(arg: unknown, wallet: string): unknown {
  if (arg === '$WALLET') return wallet;
  if (Array.isArray(arg)) return arg.map((a) => substitute(a, wallet));
  return arg;
}

async function runConstructor(
  genesis: GethGenesis,
  deployer: Address,
  artifact: ContractArtifact,
  args: unknown[],
): Promise<{ address: Address; code: Uint8Array; storage: Record<string, string> }> {
  const common = createCommonFromGethGenesis(genesis, { chain: 'devnet-genesis' });
  const vm = await createVM({ common });
  const iface = new Interface(artifact.abi as never);
  const data = hexToBytes(`0x${artifact.bytecode.replace(/^0x/, '')}${iface.encodeDeploy(args).slice(2)}` as `0x${string}`);
  const address = createAddressFromString(bytesToHex(generateAddress(deployer.bytes, new Uint8Array())));
  const keys = new Set<string>();
  vm.evm.events!.on('step', (step, next) => {
    if (step.opcode.name === 'SSTORE' && step.address.equals(address)) {
      keys.add(bytesToHex(setLengthLeft(bigIntToBytes32(step.stack[step.stack.length - 1]!), 32)));
    }
    next?.();
  });
  const result = await vm.evm.runCall({ caller: deployer, data, gasLimit: 30_000_000n });
  if (result.execResult.exceptionError) {
    throw new BuError('INTERNAL', `The genesis contract ${artifact.contractName} failed to deploy: ${result.execResult.exceptionError.error}`);
  }
  if (!result.createdAddress?.equals(address)) throw new BuError('INTERNAL', 'The genesis contract landed at an unexpected address.');
  const code = await vm.stateManager.getCode(address);
  const storage: Record<string, string> = {};
  for (const k of [...keys].sort()) {
    const v = await vm.stateManager.getStorage(address, hexToBytes(k as `0x${string}`));
    if (v.length > 0) storage[k] = bytesToHex(setLengthLeft(v, 32));
  }
  return { address, code, storage };
}

function bigIntToBytes32(v: bigint): Uint8Array {
  return hexToBytes(`0x${v.toString(16).padStart(64, '0')}` as `0x${string}`);
}
