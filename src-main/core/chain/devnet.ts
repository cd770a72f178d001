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
 * When the template has a `bitunicom.poe` section (staking-params.ts), the POE staking contract
 * (resources/contracts/PoeStaking.sol) is deployed the same way at the section's
 * `stakingAddress` with the initial validator set given by the caller (primaries first, then
 * sealers, in the order given): its constructor runs with `msg.value` = the sum of the
 * stakes, and the contract's balance, code and storage go into the alloc, so the stakes
 * exist from block 0. The constructor does not check proofs of possession (the genesis is
 * trusted), and its runtime code does not depend on the address it was created at, so it
 * is placed at the fixed address unchanged.
 *
 * The result is a plain geth genesis (extra fields are ignored by geth and anvil), stored
 * beside the ledger so `devnet reset` and other tools reproduce the same chain.
 */
import { Interface } from 'ethers';
import { createCommonFromGethGenesis } from '@ethereumjs/common';
import {
  bigIntToHex,
  bytesToHex,
  createAccount,
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
import { parseStakingSection, type StakingParams } from './staking-params';

export type DevnetSection = {
  network: string;
  blockIntervalSec: number;
  prefundWei: string;
  contracts: { artifact: string; deployer: string; args: unknown[]; address?: string }[];
  wallet?: string;
  /** POE: the staking fields (staking-params.ts) and the consensus constants (core/seal/params.ts). */
  poe?: Record<string, unknown>;
};

/** One member of the POE validator set at genesis. */
export type PoeGenesisValidator = { address: string; publicKey: Uint8Array; stake: bigint };

/** The validator set at genesis (registration order: primaries, then sealers). */
export type PoeGenesisSet = { primaries: PoeGenesisValidator[]; sealers: PoeGenesisValidator[] };

export type MaterializeOptions = {
  /** The initial POE validator set; empty when omitted. Needs a `bitunicom.poe` section. */
  poe?: PoeGenesisSet;
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
  options: MaterializeOptions = {},
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
  if (section.poe !== undefined) {
    await deployStaking(genesis, parseStakingSection(section.poe), options.poe ?? { primaries: [], sealers: [] }, loadArtifact);
  } else if (options.poe) {
    throw new BuError('BAD_INPUT', 'A POE validator set was given, but the devnet template has no "bitunicom.poe" section.');
  }
  return genesis;
}

const ROLE_PRIMARY = 1;
const ROLE_SEALER = 2;

async function deployStaking(
  genesis: DevnetGenesis,
  poe: StakingParams,
  set: PoeGenesisSet,
  loadArtifact: (name: string) => ContractArtifact,
): Promise<void> {
  const members = [
    ...set.primaries.map((v) => ({ ...v, role: ROLE_PRIMARY })),
    ...set.sealers.map((v) => ({ ...v, role: ROLE_SEALER })),
  ];
  const total = members.reduce((sum, v) => sum + v.stake, 0n);
  const args = [
    poe.minPrimaryStake,
    poe.minSealerStake,
    poe.unbondingBlocks,
    members.map((v) => createAddressFromString(v.address).toString()),
    members.map((v) => v.role),
    members.map((v) => bytesToHex(v.publicKey)),
    members.map((v) => v.stake),
  ];
  // a scratch deployer holding exactly the stakes; the code is then moved to stakingAddress
  const deployer = createAddressFromString(poe.stakingAddress);
  const { code, storage, balance } = await runConstructor(genesis, deployer, loadArtifact('PoeStaking'), args, total);
  const at = poe.stakingAddress.toLowerCase();
  if (genesis.alloc[at] !== undefined) throw new BuError('BAD_INPUT', `The POE staking address ${poe.stakingAddress} is already in the genesis alloc.`);
  genesis.alloc[at] = { balance: bigIntToHex(balance), code: bytesToHex(code), storage, nonce: '0x1' };
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
  value = 0n,
): Promise<{ address: Address; code: Uint8Array; storage: Record<string, string>; balance: bigint }> {
  const common = createCommonFromGethGenesis(genesis, { chain: 'devnet-genesis' });
  const vm = await createVM({ common });
  if (value > 0n) await vm.stateManager.putAccount(deployer, createAccount({ balance: value }));
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
  const result = await vm.evm.runCall({ caller: deployer, data, value, gasLimit: 30_000_000n });
  if (result.execResult.exceptionError) {
    const reason = revertReason(iface, result.execResult.returnValue) ?? result.execResult.exceptionError.error;
    throw new BuError('INTERNAL', `The genesis contract ${artifact.contractName} failed to deploy: ${reason}`);
  }
  if (!result.createdAddress?.equals(address)) throw new BuError('INTERNAL', 'The genesis contract landed at an unexpected address.');
  const code = await vm.stateManager.getCode(address);
  const storage: Record<string, string> = {};
  for (const k of [...keys].sort()) {
    const v = await vm.stateManager.getStorage(address, hexToBytes(k as `0x${string}`));
    if (v.length > 0) storage[k] = bytesToHex(setLengthLeft(v, 32));
  }
  const balance = (await vm.stateManager.getAccount(address))?.balance ?? 0n;
  return { address, code, storage, balance };
}

/** A custom error or Error(string) as `Name(arg, …)`, or null. */
function revertReason(iface: Interface, data: Uint8Array): string | null {
  if (data.length < 4) return null;
  try {
    const err = iface.parseError(bytesToHex(data));
    return err ? `${err.name}(${err.args.map(String).join(', ')})` : null;
  } catch {
    return null;
  }
}

function bigIntToBytes32(v: bigint): Uint8Array {
  return hexToBytes(`0x${v.toString(16).padStart(64, '0')}` as `0x${string}`);
}
