/**
 * @module daemon/commands/devnet
 * `bitunicom devnet reset [--yes]`: erase the embedded devnet (every block, balance and
 * transaction) and start it over from a new genesis (`devnet.reset` with `{confirm: true}`).
 * Asks for the word "reset" on a terminal; without one it needs --yes (daemon/confirm).
 * Works through the running node, or without one (the next start creates the new genesis).
 */
import type { NodeStatusT } from '../../../src-preload/contract';
import { UsageError, type CommandSpec } from '../args';
import { askTyped, confirmPlan } from '../confirm';
import { oneLine } from '../format';
import { formatReset } from '../format-chain';
import { print, withDaemonOrLocal } from './common';

export const RESET_WORD = 'reset';

/** What the prompt says will be lost, naming the network and its height when known. */
export function resetWarning(s: Pick<NodeStatusT, 'chain'> | null): string[] {
  const c = s?.chain;
  const which = c ? ` (${oneLine(c.network)}, chain id ${c.chainId}, now at block #${c.head.number})` : '';
  return [
    `This erases every block, balance and transaction of the local devnet${which} and creates its genesis again.`,
    'Contracts deployed on it are gone; your wallet gets only its starting funds back. Your account, chats and contacts are kept.',
  ];
}

export const devnetResetCommand: CommandSpec = {
  name: 'devnet reset',
  group: 'Chain',
  summary: 'Erase the local devnet (every block, balance, transaction) and start it over from a new genesis.',
  options: { yes: { type: 'boolean', short: 'y', description: 'do not ask (required when stdin is not a terminal)' } },
  details: `On a terminal it asks you to type '${RESET_WORD}'. Prints the new genesis block (--json: the node status).`,
  async run(ctx) {
    const plan = confirmPlan({ yes: ctx.values.yes === true, tty: ctx.io.stdin.isTTY === true });
    if (plan === 'refuse') throw new UsageError('devnet reset erases the whole local chain and cannot ask here (stdin is not a terminal): add --yes');
    return withDaemonOrLocal(ctx, async (caller) => {
      if (plan === 'ask') {
        const before = await caller.call('node.status', {}).catch(() => null);
        if (!(await askTyped(ctx.io, resetWarning(before), RESET_WORD))) {
          ctx.io.err('Cancelled: nothing was erased.');
          return 1;
        }
      }
      const s = await caller.call('devnet.reset', { confirm: true });
      print(ctx, s, () => formatReset(s));
      return 0;
    });
  },
};
