/**
 * @module daemon/commands/dapp-publish-chain
 * What `bitunicom dapp publish` reads from the chain, over the selected network's JSON-RPC
 * (reads need no key, so the CLI makes them itself; every transaction goes through the node):
 * where the DappRegistry is (`--registry`, else the profile's devnet genesis, which lists the
 * contracts it deployed), its fee token and `publishFee`, the app's listing (`getApp`), the
 * account's token balance and allowance for the registry, a dry run of `publish` (eth_call)
 * whose revert is decoded with the registry's custom errors and the token's EIP-6093 errors
 * and put in words, and the wait for a receipt. ABI: core/dapps/registry/abi.ts (Solidity ABI
 * specification); the registry's rules: resources/contracts/README.md "DappRegistry".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Interface } from 'ethers';
import { BridgeError, type WalletNetworkT } from '../../../src-preload/contract';
import { registryInterface, unpackVersion } from '../../core/dapps/registry';
import { decodeRevert, isRevert, parseAddress, readTokenInfo, RpcClient, type TokenInfo } from '../../core/wallet';
import { UsageError } from '../args';

export const ERC20 = new Interface([
  'function allowance(address owner, address spender) view returns (uint256)',
  'function balanceOf(address account) view returns (uint256)',
  'function approve(address spender, uint256 value) returns (bool)',
  'error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)',
  'error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)',
  'error ERC20InvalidSender(address sender)',
  'error ERC20InvalidReceiver(address receiver)',
]);

/** The registry's custom errors and the fee token's, for decoding a revert of `publish`. */
const PUBLISH_ERRORS = { parseError: (data: string) => registryInterface.parseError(data) ?? ERC20.parseError(data) };

export type AppListing = { author: string; name: string; latestVersion: bigint; versionCount: number; delisted: boolean };

export type PublishState = {
  registry: string;
  token: TokenInfo;
  fee: bigint;
  balance: bigint;
  allowance: bigint;
  /** null: the app id is not listed yet (this publish makes the sender its author). */
  app: AppListing | null;
};

/** The DappRegistry's address: `--registry`, or the one the profile's devnet genesis deployed. */
export function registryAddress(dataDir: string, network: WalletNetworkT, given: string | undefined): string {
  if (given !== undefined) return parseAddress(given, 'The --registry address');
  const usage = `the network ${network.name} has no known dapp registry: give --registry ADDRESS`;
  if (!network.builtin) throw new UsageError(usage, 'dapp publish');
  let g: { config?: { chainId?: unknown }; bitunicom?: { contracts?: { artifact?: unknown; address?: unknown }[] } };
  try {
    g = JSON.parse(readFileSync(join(dataDir, 'chain', 'genesis.json'), 'utf8')) as typeof g;
  } catch {
    throw new UsageError(`${usage} (the profile has no devnet genesis yet)`, 'dapp publish');
  }
  const entry = g.bitunicom?.contracts?.find((c) => c.artifact === 'DappRegistry');
  if (Number(g.config?.chainId) !== network.chainId || typeof entry?.address !== 'string') throw new UsageError(usage, 'dapp publish');
  return parseAddress(entry.address, 'The devnet registry address');
}

async function view(rpc: RpcClient, to: string, iface: Interface, fn: string, args: unknown[]): Promise<unknown[]> {
  const data = iface.encodeFunctionData(fn, args);
  return Array.from(iface.decodeFunctionResult(fn, await rpc.call<string>('eth_call', [{ to, data }, 'latest'])));
}

/** The fee, the token, the account's balance and allowance, and the app's current listing. */
export async function readPublishState(rpc: RpcClient, registry: string, appId: string, from: string): Promise<PublishState> {
  const code = await rpc.call<string>('eth_getCode', [registry, 'latest']);
  if (code === '0x' || code === '0x0') throw new BridgeError('NOT_FOUND', `There is no contract at ${registry} on this network: it is not the dapp registry.`);
  const [[tokenAddress], [fee], [app]] = (await Promise.all([
    view(rpc, registry, registryInterface, 'token', []),
    view(rpc, registry, registryInterface, 'publishFee', []),
    view(rpc, registry, registryInterface, 'getApp', [appId]),
  ])) as [[string], [bigint], [{ author: string; name: string; latestVersion: bigint; versionCount: bigint; delisted: boolean }]];
  const token = await readTokenInfo(rpc, tokenAddress);
  const [[balance], [allowance]] = (await Promise.all([view(rpc, token.address, ERC20, 'balanceOf', [from]), view(rpc, token.address, ERC20, 'allowance', [from, registry])])) as [[bigint], [bigint]];
  const listed = !/^0x0{40}$/i.test(app.author);
  return {
    registry,
    token,
    fee,
    balance,
    allowance,
    app: listed ? { author: parseAddress(app.author), name: app.name, latestVersion: app.latestVersion, versionCount: Number(app.versionCount), delisted: app.delisted } : null,
  };
}

/** A registry or token refusal of `publish` in words, starting with the error's name. */
export function refusalSentence(name: string | null, args: readonly unknown[], fallback: string, fmtTokens: (n: bigint) => string): string {
  const n = (k: number) => (typeof args[k] === 'bigint' ? (args[k] as bigint) : 0n);
  const s = (k: number) => String(args[k]);
  switch (name) {
    case 'VersionNotIncreasing':
      return `VersionNotIncreasing: the registry already lists version ${unpackVersion(n(1))} of this app; a new version must be greater (this bundle is ${unpackVersion(n(2))}).`;
    case 'NotAuthor':
      return `NotAuthor: app ${s(0)} belongs to ${s(1)}; only that account can publish its versions.`;
    case 'AppDelisted':
      return `AppDelisted: the registry's owner delisted app ${s(0)}; no new versions can be published.`;
    case 'InvalidAuthorKey':
      return 'InvalidAuthorKey: the author key is not a 33-byte compressed secp256k1 key.';
    case 'InvalidName':
      return 'InvalidName: the name must be 1 to 64 bytes.';
    case 'FieldTooLong':
      return 'FieldTooLong: the category or manifest URI is longer than the registry allows.';
    case 'InvalidVersion':
      return 'InvalidVersion: the version must be above 0.0.0 and fit in 48 bits.';
    case 'InvalidContentHash':
    case 'InvalidAppId':
      return `${name}: the registry refuses a zero ${name === 'InvalidAppId' ? 'app id' : 'content hash'}.`;
    case 'ERC20InsufficientBalance':
      return `ERC20InsufficientBalance: publishing costs ${fmtTokens(n(2))} and the account holds ${fmtTokens(n(1))}.`;
    case 'ERC20InsufficientAllowance':
      return `ERC20InsufficientAllowance: the registry may take ${fmtTokens(n(1))} of the account's tokens, and the fee is ${fmtTokens(n(2))}.`;
    default:
      return fallback;
  }
}

export type DryRun = { ok: true } | { ok: false; errorName: string | null; args: unknown[]; text: string };

/** `publish` as an eth_call from the sender: ok, or the decoded revert when it would fail. */
export async function dryRunPublish(rpc: RpcClient, from: string, registry: string, data: string): Promise<DryRun> {
  try {
    await rpc.call('eth_call', [{ from, to: registry, data }, 'latest']);
    return { ok: true };
  } catch (e) {
    if (!isRevert(e)) throw e;
    const raw = (typeof e.rpcData === 'object' && e.rpcData !== null ? (e.rpcData as { data?: unknown }).data : e.rpcData) as unknown;
    const d = decodeRevert(typeof raw === 'string' ? raw : '0x', PUBLISH_ERRORS);
    return { ok: false, errorName: d.errorName, args: d.args, text: d.text };
  }
}

export type Receipt = { status: bigint; blockNumber: bigint; gasUsed: bigint; effectiveGasPrice: bigint; logs: { address: string; topics: string[]; data: string }[] };

/** Polls for the receipt of `hash` (every 300 ms, up to `timeoutMs`). */
export async function waitReceipt(rpc: RpcClient, hash: string, timeoutMs = 120_000): Promise<Receipt> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const r = await rpc.call<Record<string, unknown> | null>('eth_getTransactionReceipt', [hash]);
    if (r && typeof r.blockNumber === 'string') {
      return {
        status: BigInt(r.status as string),
        blockNumber: BigInt(r.blockNumber),
        gasUsed: BigInt(r.gasUsed as string),
        effectiveGasPrice: BigInt((r.effectiveGasPrice as string | undefined) ?? '0x0'),
        logs: (r.logs as Receipt['logs'] | undefined) ?? [],
      };
    }
    if (Date.now() > end) throw new BridgeError('NETWORK', `transaction ${hash} was not mined within ${Math.round(timeoutMs / 1000)} s; it may still be (see: bitunicom wallet history)`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
