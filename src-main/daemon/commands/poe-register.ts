/**
 * @module daemon/commands/poe-register
 * `bitunicom node register --role primary|sealer --stake AMOUNT --data DIR --rpc URL`: register
 * the keys of a POE node's DIR (node-keys.json, commands/poe-node-dir.ts) in the staking
 * contract, so an observer node starts taking part. For each key: `PoeStaking.register(role,
 * blsPubkey, pop)` (core/chain/staking.ts encodeRegister; the PoP from core/crypto
 * blsPopProve over the key's own address) sent from the key's own address with AMOUNT tokens
 * as the value, signed here, through any node's JSON-RPC (--rpc), then its receipt awaited.
 * The address must hold the stake plus the fee; the contract's revert reason is printed if it
 * refuses. The validator set of height h is read at h − lookback, so the node joins that many
 * blocks after the registration's block.
 */
import { join } from 'node:path';
import { Contract, JsonRpcProvider, Network, Wallet, formatEther, parseEther } from 'ethers';
import { UsageError, type CommandSpec } from '../args';
import type { CommandContext } from '../context';
import { NODE_KEYS_FILE, nodeGenesis } from './poe-node-dir';
import { roleOption } from './poe-options';

const GAS_LIMIT = 400_000n;

function stakeOption(ctx: CommandContext): bigint {
  const v = ctx.values.stake;
  if (typeof v !== 'string') throw new UsageError('--stake AMOUNT is required (tokens, e.g. 100)');
  if (!/^\d+(\.\d{1,18})?$/.test(v)) throw new UsageError(`--stake must be an amount of tokens such as 100 or 2.5 (got "${v}")`);
  return parseEther(v);
}

async function runRegister(ctx: CommandContext): Promise<number> {
  const { io, values } = ctx;
  const role = roleOption(values);
  const stake = stakeOption(ctx);
  if (typeof values.data !== 'string') throw new UsageError('--data DIR is required: the node whose keys to register');
  const rpc = values.rpc;
  if (typeof rpc !== 'string' || !/^https?:\/\/\S+$/.test(rpc)) throw new UsageError('--rpc URL is required: a node\'s JSON-RPC, e.g. http://127.0.0.1:8545');
  const seal = await import('../../core/seal');
  const chain = await import('../../core/chain');
  const crypto = await import('../../core/crypto');
  const { BuError } = await import('../../core/base');
  const stored = seal.loadDevnetValidators(join(ctx.dataDir, NODE_KEYS_FILE));
  const keys = stored ? (role === 'primary' ? stored.primaries : stored.sealers) : [];
  if (keys.length === 0) throw new BuError('BAD_INPUT', `${ctx.dataDir} has no ${role} keys (${NODE_KEYS_FILE}): run bitunicom node --role ${role} --data DIR first.`);
  const genesis = nodeGenesis(ctx.dataDir, undefined);
  const sp = chain.stakingParams(genesis);
  if (!sp) throw new BuError('BAD_INPUT', 'This network has no POE staking contract.');
  const min = role === 'primary' ? sp.minPrimaryStake : sp.minSealerStake;
  if (stake < min) throw new BuError('BAD_INPUT', `A ${role} stakes at least ${formatEther(min)} tokens (asked: ${formatEther(stake)}).`);
  const lookback = seal.poeParams(genesis as never).lookback;
  let chainId: bigint;
  try {
    chainId = BigInt(await new JsonRpcProvider(rpc).send('eth_chainId', []));
  } catch (e) {
    throw new BuError('NETWORK', `No JSON-RPC answers at ${rpc} (${(e as Error).message.split('\n')[0]}).`);
  }
  const want = BigInt((genesis.config as { chainId?: number }).chainId ?? 0);
  if (chainId !== want) throw new BuError('BAD_INPUT', `${rpc} serves chain id ${chainId}, not this node's network (${want}).`);
  const provider = new JsonRpcProvider(rpc, Network.from(chainId), { staticNetwork: Network.from(chainId), pollingInterval: 250 });
  const staking = new Contract(sp.stakingAddress, chain.POE_STAKING_ABI as never, provider);
  const results: Record<string, unknown>[] = [];
  try {
    for (const k of keys) {
      const wallet = new Wallet(`0x${Buffer.from(k.ethPrivateKey!).toString('hex')}`, provider);
      const [status] = (await staking.getFunction('staker')(k.address)) as [bigint];
      if (Number(status) !== 0) throw new BuError('BAD_INPUT', `${k.address} is already ${Number(status) === 1 ? 'registered' : 'exiting'} in the staking contract.`);
      const balance = await provider.getBalance(k.address);
      const fee = await provider.getFeeData();
      const maxFee = fee.maxFeePerGas ?? 2_000_000_000n;
      if (balance < stake + GAS_LIMIT * maxFee) {
        throw new BuError('BAD_INPUT', `${k.address} holds ${formatEther(balance)} tokens: it needs the stake (${formatEther(stake)}) plus the fee; send it tokens first.`);
      }
      const data = chain.encodeRegister(role, k.blsPublic, crypto.blsPopProve(k.blsSecret, k.address));
      const req = { to: sp.stakingAddress, value: stake, data, gasLimit: GAS_LIMIT };
      try {
        await provider.call({ ...req, from: k.address });
      } catch (e) {
        const reason = chain.decodeStakingError(String((e as { data?: string }).data ?? '')) ?? (e as Error).message.split('\n')[0];
        throw new BuError('BAD_INPUT', `The staking contract refuses ${k.address}: ${reason}`);
      }
      const tx = await wallet.sendTransaction(req);
      const receipt = await tx.wait(1, 120_000);
      if (!receipt || receipt.status !== 1) throw new BuError('INTERNAL', `The registration of ${k.address} (tx ${tx.hash}) failed in block #${receipt?.blockNumber ?? '?'}.`);
      const r = { address: k.address, role, stakeWei: stake.toString(), tx: tx.hash, block: receipt.blockNumber, activeFrom: receipt.blockNumber + lookback };
      results.push(r);
      if (!ctx.json) {
        io.out(`Registered ${k.address} as a ${role} with ${formatEther(stake)} tokens: tx ${tx.hash} in block #${r.block}; it takes part from block #${r.activeFrom}.`);
      }
    }
  } finally {
    provider.destroy();
  }
  if (ctx.json) io.out(JSON.stringify({ registered: results }));
  return 0;
}

export const poeRegisterCommand: CommandSpec = {
  name: 'node register',
  group: 'POE network',
  summary: "Register a POE node's keys in the staking contract (stake from each key's own address).",
  options: {
    role: { type: 'string', value: 'ROLE', description: 'primary or sealer: which keys of DIR to register (required)' },
    stake: { type: 'string', value: 'AMOUNT', description: 'tokens to stake per key, at least the role minimum (required)' },
    rpc: { type: 'string', value: 'URL', description: "a node's JSON-RPC, e.g. the RPC line of bitunicom devnet (required)" },
  },
  details:
    "--data DIR (required) is the node's directory (node-keys.json, genesis.json). Each key's address\n" +
    'pays its stake and the fee, so send it tokens first. The node takes part once the set it\n' +
    "reads (lookback blocks behind the head) lists the key; a running node prints 'Registered:' then.",
  run: runRegister,
};
