/**
 * @module daemon/commands/wallet-send
 *   bitunicom wallet send --to ADDRESS|FRIEND --amount X [--token ADDRESS] [--account A]
 *                         [--network N] [--fee slow|normal|fast] [--max-fee GWEI] [--yes]
 *   bitunicom wallet speed-up HASH [--yes]     bitunicom wallet cancel HASH [--yes]
 * `send` prices the transfer with `wallet.quote` (recipient, balance, gas, EIP-1559 fee
 * tiers), shows the quote and asks for 'yes' on a terminal, then `wallet.send`. FRIEND is a
 * contact's name or identity address: the node pays the wallet address from the friend's
 * signed profile. Replacement re-sends a pending transaction with the same nonce and a
 * higher fee (speed-up: the same transfer; cancel: 0 to yourself).
 */
import { BridgeError, type ActivityItemT, type SendInputT } from '../../../src-preload/contract';
import { UsageError, type CommandSpec } from '../args';
import type { Caller } from '../client';
import type { CommandContext } from '../context';
import { formatActivityItem, formatQuote, formatSent } from '../format-wallet';
import { print, withDaemon } from './common';
import { gweiToWei, parseAddressArg, parseAmount, parseHash, parseTier, resolveRecipient } from './wallet-args';
import { accountOf, ACCOUNT_OPTION, confirmed, networkOf, NETWORK_OPTION, planConfirm, stringOption, WALLET_GROUP, YES_OPTION } from './wallet-common';

const SEND = 'wallet send';

/** The parts of the send input that need no node: checked before anything is asked. */
export function parseSendOptions(values: Record<string, unknown>): { to: string; amount: string; token?: string; tier?: 'slow' | 'normal' | 'fast'; maxFeePerGas?: string } {
  if (typeof values.to !== 'string' || !values.to.trim()) throw new UsageError('--to ADDRESS|FRIEND is required', SEND);
  if (values.amount === undefined) throw new UsageError('--amount X is required', SEND);
  const amount = parseAmount(values.amount, 'amount', SEND);
  const tier = parseTier(values.fee, SEND);
  const maxFeePerGas = values['max-fee'] === undefined ? undefined : gweiToWei(values['max-fee'], 'max-fee', SEND);
  const token = values.token === undefined ? undefined : parseAddressArg(values.token, '--token', SEND);
  return { to: values.to.trim(), amount, ...(token ? { token } : {}), ...(tier ? { tier } : {}), ...(maxFeePerGas ? { maxFeePerGas } : {}) };
}

async function sendInput(ctx: CommandContext, caller: Caller): Promise<{ input: SendInputT; fromName?: string }> {
  const o = parseSendOptions(ctx.values);
  const [account, network, contacts] = await Promise.all([
    accountOf(caller, stringOption(ctx, 'account')),
    networkOf(caller, stringOption(ctx, 'network')),
    caller.call('contacts.list', {}).catch(() => []),
  ]);
  const recipient = resolveRecipient(o.to, contacts);
  const input: SendInputT = {
    ...recipient,
    amount: o.amount,
    ...(account ? { from: account.address } : {}),
    ...(network ? { networkId: network.id } : {}),
    ...(o.token ? { token: o.token } : {}),
    ...(o.tier ? { tier: o.tier } : {}),
    ...(o.maxFeePerGas ? { maxFeePerGas: o.maxFeePerGas } : {}),
  };
  return { input, ...(account ? { fromName: account.name } : {}) };
}

export const walletSendCommand: CommandSpec = {
  name: SEND,
  group: WALLET_GROUP,
  summary: 'Send native tokens or an ERC-20 to an address or a friend, after showing the fee and total.',
  options: {
    to: { type: 'string', value: 'ADDRESS|FRIEND', description: 'a wallet address, or a contact (name or identity address)' },
    amount: { type: 'string', value: 'X', description: 'how much, in the token’s units (1.5)' },
    token: { type: 'string', value: 'ADDRESS', description: 'an ERC-20 contract (default: the network’s native token)' },
    ...ACCOUNT_OPTION,
    ...NETWORK_OPTION,
    fee: { type: 'string', value: 'TIER', description: 'slow | normal (default) | fast, from the network’s recent fees' },
    'max-fee': { type: 'string', value: 'GWEI', description: 'the most to pay per gas, in gwei (overrides --fee)' },
    ...YES_OPTION,
  },
  details:
    "On a terminal the quote is shown on stderr and you type 'yes' to send; without a terminal\n" +
    '--yes is required. --json prints the pending transaction (amounts in base units).',
  async run(ctx) {
    parseSendOptions(ctx.values);
    const plan = planConfirm(ctx, 'wallet send');
    return withDaemon(ctx, async (caller) => {
      const { input, fromName } = await sendInput(ctx, caller);
      const q = await caller.call('wallet.quote', input);
      const lines = formatQuote(q, fromName ?? (await caller.call('wallet.accounts', { includeHidden: true })).find((a) => a.address === q.from)?.name);
      if (!q.sufficient) {
        if (!ctx.json) for (const l of lines) ctx.io.err(l);
        throw new BridgeError('INSUFFICIENT_FUNDS', q.warnings.find((w) => /^Not enough/.test(w)) ?? 'the balance does not cover the amount and the fee');
      }
      if (!(await confirmed(ctx, plan, lines))) {
        ctx.io.err('Cancelled: nothing was sent.');
        return 1;
      }
      // The exact fee the user saw, so a fee move between quote and send cannot raise it.
      const sent = await caller.call('wallet.send', { ...input, maxFeePerGas: q.fee.maxFeePerGas, maxPriorityFeePerGas: q.fee.maxPriorityFeePerGas, gasLimit: q.gasLimit, confirm: true });
      print(ctx, sent, () => formatSent(sent));
      return 0;
    });
  },
};

/** Our activity item with this hash on any network (for the prompt), or null. */
async function findItem(caller: Caller, hash: string): Promise<ActivityItemT | null> {
  const h = hash.toLowerCase();
  for (const n of await caller.call('wallet.networks', {})) {
    const hit = (await caller.call('wallet.activity', { networkId: n.id, limit: 500 }).catch(() => [])).find((i) => i.hash.toLowerCase() === h && i.direction !== 'in');
    if (hit) return hit;
  }
  return null;
}

function replaceCommand(action: 'speed-up' | 'cancel'): CommandSpec {
  const name = `wallet ${action}`;
  return {
    name,
    group: WALLET_GROUP,
    summary:
      action === 'speed-up'
        ? 'Re-send a pending transaction of yours with a higher fee (same nonce, same transfer).'
        : 'Cancel a pending transaction of yours: a 0-value send to yourself with the same nonce and a higher fee.',
    synopsis: 'HASH',
    minArgs: 1,
    maxArgs: 1,
    options: { ...YES_OPTION },
    details: "On a terminal you type 'yes' first; without one --yes is required. --json prints the replacement transaction.",
    async run(ctx) {
      const hash = parseHash(ctx.args[0], name);
      const plan = planConfirm(ctx, name);
      return withDaemon(ctx, async (caller) => {
        if (plan === 'ask') {
          const item = await findItem(caller, hash);
          if (item && !item.replaceable) throw new BridgeError('NOT_FOUND', `that transaction is ${item.status}, not pending: nothing to replace`);
          const what = action === 'speed-up' ? 'Speed up (same transfer, higher fee):' : 'Cancel (send 0 to yourself with the same nonce, higher fee):';
          const lines = [what, item ? `  ${formatActivityItem(item)}` : `  ${hash}`, 'The fee of the replacement is higher than the original’s; one of the two will be mined.'];
          if (!(await confirmed(ctx, plan, lines))) {
            ctx.io.err('Cancelled: nothing was sent.');
            return 1;
          }
        }
        const r = await caller.call('wallet.replace', { hash, action, confirm: true });
        print(ctx, r, () => formatSent(r, action === 'speed-up' ? 'Sped up' : 'Cancelling'));
        return 0;
      });
    },
  };
}

export const walletSpeedUpCommand = replaceCommand('speed-up');
export const walletCancelCommand = replaceCommand('cancel');
