/**
 * @module daemon/commands/wallet-common
 * What the `bitunicom wallet …` commands share: their options (`--account`, `--network`,
 * `--yes`), the lookups of a network or account the user named (through `wallet.networks` and
 * `wallet.accounts`), and the confirmation step of commands that move money.
 */
import type { WalletAccountT, WalletNetworkT } from '../../../src-preload/contract';
import { UsageError, type OptionSpec } from '../args';
import type { Caller } from '../client';
import { askTyped, confirmPlan, type ConfirmPlan } from '../confirm';
import type { CommandContext } from '../context';
import { resolveAccount, resolveNetwork } from './wallet-args';

export const WALLET_GROUP = 'Wallet';

export const ACCOUNT_OPTION: Record<string, OptionSpec> = {
  account: { type: 'string', value: 'A', description: 'the account: its address or name (default: the first visible one)' },
};
export const NETWORK_OPTION: Record<string, OptionSpec> = {
  network: { type: 'string', value: 'N', description: 'the network: its id or name (default: the selected one)' },
};
export const YES_OPTION: Record<string, OptionSpec> = {
  yes: { type: 'boolean', short: 'y', description: 'do not ask for confirmation (required when stdin is not a terminal)' },
};

export function stringOption(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.values[name];
  return typeof v === 'string' ? v : undefined;
}

/** The network named by `--network` (or the given ref), else undefined (the node's selected one). */
export async function networkOf(caller: Caller, ref: string | undefined): Promise<WalletNetworkT | undefined> {
  if (ref === undefined) return undefined;
  return resolveNetwork(ref, await caller.call('wallet.networks', {}));
}

export async function selectedNetwork(caller: Caller, ref: string | undefined): Promise<WalletNetworkT> {
  const list = await caller.call('wallet.networks', {});
  if (ref !== undefined) return resolveNetwork(ref, list);
  const sel = list.find((n) => n.selected) ?? list[0];
  if (!sel) throw new UsageError('the wallet has no network');
  return sel;
}

/** The account named by `--account` (hidden ones too), else undefined (the node's default). */
export async function accountOf(caller: Caller, ref: string | undefined): Promise<WalletAccountT | undefined> {
  if (ref === undefined) return undefined;
  return resolveAccount(ref, await caller.call('wallet.accounts', { includeHidden: true }));
}

/**
 * How a money-moving step is confirmed, decided before anything is asked of the node: `--yes`
 * goes on; on a terminal the user is asked; without one it is a usage error at once (a script
 * never hangs on a prompt and never sends by accident).
 */
export function planConfirm(ctx: CommandContext, what: string): ConfirmPlan {
  const plan = confirmPlan({ yes: ctx.values.yes === true, tty: ctx.io.stdin.isTTY === true });
  if (plan === 'refuse') throw new UsageError(`${what} needs a confirmation and stdin is not a terminal: add --yes`);
  return plan;
}

/** Shows the lines on stderr and asks for 'yes' when the plan says so; false when declined. */
export async function confirmed(ctx: CommandContext, plan: ConfirmPlan, lines: readonly string[]): Promise<boolean> {
  if (plan === 'go') return true;
  return askTyped(ctx.io, lines, 'yes');
}
