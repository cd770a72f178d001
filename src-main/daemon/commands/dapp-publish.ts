/**
 * @module daemon/commands/dapp-publish
 * `bitunicom dapp publish <file.bud> [--account A] [--network N] [--registry ADDRESS]
 * [--fee-approve] [--yes] [--json]`: lists a signed bundle in the on-chain DappRegistry.
 *
 * 1. The .bud is verified as an installer would (container, every chunk, manifest, author
 *    signature: core/dapps/package `verifyBundle`); nothing is sent for a bundle a store
 *    would refuse.
 * 2. The chain is read (dapp-publish-chain.ts): the registry, its fee token and fee, the app's
 *    listing, the account's token balance and allowance; `publish` is dry-run with eth_call so
 *    a refusal (VersionNotIncreasing, NotAuthor, AppDelisted, …) is put in words before any
 *    transaction or prompt.
 * 3. The node prices the transactions (`wallet.quoteCall`) and the plan is shown; on a
 *    terminal the user types 'yes', without one --yes is required (confirm.ts).
 * 4. When the allowance is short, an ERC-20 `approve(registry, fee)` (EIP-20) goes first —
 *    from a script (--yes) only with --fee-approve, so a script never grants a token
 *    allowance it did not ask for — and its receipt is awaited; then `publish(appId, name,
 *    category, version, contentHash, authorKey, "")`, signed in the node (`wallet.sendCall`,
 *    EIP-1559), and its receipt. The account defaults to the wallet account whose address is
 *    the bundle's author key's (the registry's author of a listed app is the first publisher).
 */
import { resolve } from 'node:path';
import { computeAddress } from 'ethers';
import { BridgeError, type CallQuoteT, type WalletAccountT } from '../../../src-preload/contract';
import { contentHashHex, verifyBundle } from '../../core/dapps/package';
import { packVersion, REGISTRY_TOPICS, registryInterface, unpackVersion } from '../../core/dapps/registry';
import { amountOf, RpcClient } from '../../core/wallet';
import { UsageError, type OptionSpec } from '../args';
import type { Caller } from '../client';
import type { CommandContext } from '../context';
import { oneLine } from '../format';
import { print, withDaemon } from './common';
import { dryRunPublish, ERC20, readPublishState, refusalSentence, registryAddress, waitReceipt, type PublishState, type Receipt } from './dapp-publish-chain';
import { readBud } from './dapp-keys';
import { resolveAccount } from './wallet-args';
import { ACCOUNT_OPTION, confirmed, NETWORK_OPTION, planConfirm, selectedNetwork, stringOption, YES_OPTION } from './wallet-common';

const NAME = 'dapp publish';

export const PUBLISH_OPTIONS: Record<string, OptionSpec> = {
  ...ACCOUNT_OPTION,
  ...NETWORK_OPTION,
  registry: { type: 'string', value: 'ADDRESS', description: 'the DappRegistry contract (default: the one in the devnet genesis)' },
  'fee-approve': { type: 'boolean', description: 'with --yes: also send the token approve for the fee when the allowance is short' },
  ...YES_OPTION,
};

const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}`;

/** --account, else the wallet account that is the bundle's author, else the first visible one. */
function pickAccount(accounts: readonly WalletAccountT[], ref: string | undefined, authorAddress: string): WalletAccountT {
  const a = ref !== undefined ? resolveAccount(ref, accounts) : (accounts.find((x) => x.address.toLowerCase() === authorAddress.toLowerCase()) ?? accounts.find((x) => !x.hidden) ?? accounts[0]);
  if (!a) throw new BridgeError('NOT_FOUND', 'the wallet has no account');
  if (a.kind === 'watch') throw new BridgeError('WATCH_ONLY', `${a.address} is watch-only: it cannot sign the publish transaction`);
  return a;
}

function sufficient(q: CallQuoteT, what: string): CallQuoteT {
  if (!q.sufficient) throw new BridgeError('INSUFFICIENT_FUNDS', `${what}: ${q.warnings.find((w) => w.startsWith('Not enough')) ?? 'the balance does not cover the network fee'}`);
  return q;
}

async function sendAndWait(caller: Caller, rpc: RpcClient, q: CallQuoteT, input: { from: string; networkId: string; to: string; data: string }, what: string): Promise<{ hash: string; receipt: Receipt }> {
  const sent = await caller.call('wallet.sendCall', { ...input, gasLimit: q.gasLimit, maxFeePerGas: q.fee.maxFeePerGas, maxPriorityFeePerGas: q.fee.maxPriorityFeePerGas, confirm: true });
  const receipt = await waitReceipt(rpc, sent.hash);
  if (receipt.status !== 1n) throw new BridgeError('CALL_REVERTED', `the ${what} transaction ${sent.hash} was mined in block ${receipt.blockNumber} but failed (reverted)`);
  return { hash: sent.hash, receipt };
}

function planLines(o: { m: { name: string; version: string; appId: string }; category: string; contentHash: string; authorKey: string; account: WalletAccountT; network: { name: string; chainId: number }; st: PublishState; tokens: (n: bigint) => string; approveQ: CallQuoteT | null; publishQ: CallQuoteT | null }): string[] {
  const { st, tokens } = o;
  const listing = st.app ? `update: the registry lists ${unpackVersion(st.app.latestVersion)} (${st.app.versionCount} version${st.app.versionCount === 1 ? '' : 's'})` : 'new app: this account becomes its author';
  const steps = o.approveQ
    ? [
        `  step 1        approve: let the registry take ${tokens(st.fee)} (allowance now ${tokens(st.allowance)}); network fee at most ${o.approveQ.maxFee.formatted}`,
        '  step 2        publish: its network fee is quoted once the approve is mined',
      ]
    : [`  network fee   at most ${o.publishQ!.maxFee.formatted} (gas limit ${o.publishQ!.gasLimit})`];
  return [
    `Publish ${oneLine(o.m.name)} ${o.m.version} to the dapp registry ${st.registry} on ${o.network.name} (chain id ${o.network.chainId}):`,
    `  app id        ${o.m.appId}`,
    `  content hash  ${o.contentHash}`,
    `  author key    ${o.authorKey}`,
    `  category      ${o.category}`,
    `  listing       ${listing}`,
    `  account       ${oneLine(o.account.name)} ${o.account.address}`,
    `  publish fee   ${tokens(st.fee)} (the account holds ${tokens(st.balance)})`,
    ...steps,
  ];
}

export async function runPublish(ctx: CommandContext): Promise<number> {
  const plan = planConfirm(ctx, NAME);
  const feeApprove = ctx.values['fee-approve'] === true;
  const budPath = resolve(ctx.io.cwd, ctx.args[0]!);
  const v = verifyBundle(await readBud(budPath));
  const m = v.manifest;
  const authorKey = hex(v.signature.authorKey);
  const contentHash = contentHashHex(v);
  const category = m.categories[0]!;
  const data = registryInterface.encodeFunctionData('publish', [m.appId, m.name, category, packVersion(m.version), contentHash, authorKey, '']);
  return withDaemon(ctx, async (caller) => {
    const network = await selectedNetwork(caller, stringOption(ctx, 'network'));
    const account = pickAccount(await caller.call('wallet.accounts', { includeHidden: true }), stringOption(ctx, 'account'), computeAddress(authorKey));
    const from = account.address;
    const registry = registryAddress(ctx.dataDir, network, stringOption(ctx, 'registry'));
    const rpc = new RpcClient(network.rpcUrl, { timeoutMs: 10_000 });
    const st = await readPublishState(rpc, registry, m.appId, from);
    const tokens = (n: bigint) => amountOf(n, st.token.decimals, st.token.symbol, true).formatted;
    const needsApprove = st.allowance < st.fee;
    const dry = await dryRunPublish(rpc, from, registry, data);
    if (!dry.ok && !(needsApprove && dry.errorName === 'ERC20InsufficientAllowance')) {
      throw new BridgeError('CALL_REVERTED', refusalSentence(dry.errorName, dry.args, `publishing would revert with ${dry.text}`, tokens));
    }
    if (st.balance < st.fee) throw new BridgeError('INSUFFICIENT_FUNDS', `publishing costs ${tokens(st.fee)} and ${from} holds ${tokens(st.balance)}`);
    if (needsApprove && plan === 'go' && !feeApprove) {
      throw new UsageError(`the registry may take ${tokens(st.allowance)} of ${from}'s tokens and the fee is ${tokens(st.fee)}: add --fee-approve to approve it first`, NAME);
    }
    const base = { from, networkId: network.id };
    const approve = { ...base, to: st.token.address, data: ERC20.encodeFunctionData('approve', [registry, st.fee]) };
    const publish = { ...base, to: registry, data };
    const approveQ = needsApprove ? sufficient(await caller.call('wallet.quoteCall', approve), 'the approve') : null;
    const publishQ = needsApprove ? null : sufficient(await caller.call('wallet.quoteCall', publish), 'the publish');
    const lines = planLines({ m, category, contentHash, authorKey, account, network, st, tokens, approveQ, publishQ });
    if (plan === 'go' && !ctx.json) for (const l of lines) ctx.io.err(l);
    if (!(await confirmed(ctx, plan, lines))) {
      ctx.io.err('Cancelled: nothing was sent.');
      return 1;
    }
    let approveTx: string | null = null;
    if (approveQ) {
      approveTx = (await sendAndWait(caller, rpc, approveQ, approve, 'approve')).hash;
      if (!ctx.json) ctx.io.err(`Approved ${tokens(st.fee)} for the registry (transaction ${approveTx}).`);
    }
    const q = publishQ ?? sufficient(await caller.call('wallet.quoteCall', publish), 'the publish');
    if (!publishQ && !ctx.json) ctx.io.err(`Publishing: network fee at most ${q.maxFee.formatted} (gas limit ${q.gasLimit}).`);
    const { hash, receipt } = await sendAndWait(caller, rpc, q, publish, 'publish');
    // The author's node holds and seeds the bundle from now on, so peers can fetch it by its hash.
    const seeded = await caller.call('dapps.seedBundle', { path: budPath }).then(
      () => true,
      (e: unknown) => (ctx.io.err(`Warning: the node does not seed the bundle (${e instanceof Error ? e.message : String(e)}); peers cannot download it from this node.`), false),
    );
    const log = receipt.logs.find((l) => l.address.toLowerCase() === registry.toLowerCase() && l.topics[0] === REGISTRY_TOPICS.Published);
    const feePaid = log ? (registryInterface.parseLog(log)!.args.getValue('feePaid') as bigint) : st.fee;
    const networkFee = amountOf(receipt.gasUsed * receipt.effectiveGasPrice, network.decimals, network.symbol, true);
    const out = {
      ok: true,
      name: m.name,
      version: m.version,
      appId: m.appId,
      contentHash,
      authorKey,
      category,
      account: from,
      network: { id: network.id, name: network.name, chainId: network.chainId },
      registry,
      approveTx,
      txHash: hash,
      blockNumber: receipt.blockNumber.toString(),
      gasUsed: receipt.gasUsed.toString(),
      feePaid: amountOf(feePaid, st.token.decimals, st.token.symbol, true),
      networkFee,
      seeded,
    };
    print(ctx, out, () =>
      [
        `Published ${oneLine(m.name)} ${m.version} in block ${out.blockNumber} (transaction ${hash})`,
        `  app id        ${m.appId}`,
        `  content hash  ${contentHash}`,
        `  fee paid      ${out.feePaid.formatted}; network fee ${networkFee.formatted} (${out.gasUsed} gas)`,
        ...(seeded ? ['  seeding       this node serves the bundle to peers by its content hash'] : []),
      ].join('\n'),
    );
    return 0;
  });
}
