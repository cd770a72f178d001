/**
 * @module daemon/commands/wallet-accounts
 *   bitunicom wallet accounts [--all]                 list (hidden ones too with --all)
 *   bitunicom wallet accounts add [--name N]          the next HD account (m/44'/60'/0'/0/i)
 *   bitunicom wallet accounts rename A --name N | hide A | show A | remove A
 *   bitunicom wallet accounts import-key [--name N]   the private key from stdin or a hidden prompt
 *   bitunicom wallet accounts import-keystore FILE [--keystore-password-file F] [--name N]
 *   bitunicom wallet accounts watch ADDRESS [--name N]
 * A account is an address or a name. Secrets never come from argv (visible in `ps`).
 */
import type { WalletAccountT } from '../../../src-preload/contract';
import { UsageError, type CommandSpec } from '../args';
import type { Caller } from '../client';
import type { CommandContext } from '../context';
import { formatAccount, formatAccounts } from '../format-wallet';
import { promptHidden, readStdin, readTextFile, stripLineEnd } from '../inputs';
import { print, withDaemon } from './common';
import { parseAddressArg, resolveAccount } from './wallet-args';
import { stringOption, WALLET_GROUP } from './wallet-common';

const NAME = 'wallet accounts';

export const ACCOUNT_ACTIONS = ['add', 'rename', 'hide', 'show', 'remove', 'import-key', 'import-keystore', 'watch'] as const;
type Action = (typeof ACCOUNT_ACTIONS)[number];

/** Which actions take one positional argument (the rest take none). */
const TAKES_ARG: Record<Action, string | null> = {
  add: null,
  rename: 'A',
  hide: 'A',
  show: 'A',
  remove: 'A',
  'import-key': null,
  'import-keystore': 'FILE',
  watch: 'ADDRESS',
};

/** `[action, arg]` from the positionals, checking the option combinations; pure. */
export function parseAccountsArgs(args: readonly string[], values: Record<string, unknown>): { action: Action | null; arg: string | null } {
  const [word, arg, extra] = args;
  if (word === undefined) {
    if (values.name !== undefined) throw new UsageError('--name goes with add, rename, import-key, import-keystore or watch', NAME);
    return { action: null, arg: null };
  }
  if (!(ACCOUNT_ACTIONS as readonly string[]).includes(word)) throw new UsageError(`unknown action "${word}" (one of ${ACCOUNT_ACTIONS.join(', ')})`, NAME);
  const action = word as Action;
  const want = TAKES_ARG[action];
  if (want && arg === undefined) throw new UsageError(`missing argument: ${NAME} ${action} ${want}`, NAME);
  if ((!want && arg !== undefined) || extra !== undefined) throw new UsageError(`unexpected argument "${want ? extra : arg}"`, NAME);
  if (action === 'rename' && typeof values.name !== 'string') throw new UsageError('rename needs --name N', NAME);
  if (values.name !== undefined && ['hide', 'show', 'remove'].includes(action)) throw new UsageError(`--name does not go with ${action}`, NAME);
  if (values['keystore-password-file'] !== undefined && action !== 'import-keystore') throw new UsageError('--keystore-password-file goes with import-keystore', NAME);
  if (values.all !== undefined) throw new UsageError('--all goes with the list (no action)', NAME);
  return { action, arg: arg ?? null };
}

async function readPrivateKey(ctx: CommandContext): Promise<string> {
  const raw = ctx.io.stdin.isTTY && ctx.io.stdin.setRawMode ? await promptHidden(ctx.io, 'Private key (hidden): ') : await readStdin(ctx.io, 1024);
  const key = raw.trim();
  if (!key) throw new UsageError('no private key given (pipe it on stdin, or run on a terminal to type it)', NAME);
  return key;
}

async function keystorePassword(ctx: CommandContext): Promise<string> {
  const file = stringOption(ctx, 'keystore-password-file');
  if (file !== undefined) return stripLineEnd(await readTextFile(file, 'keystore password file', 4096, ctx.io.cwd));
  if (ctx.io.stdin.isTTY && ctx.io.stdin.setRawMode) return promptHidden(ctx.io, "The keystore's password (hidden): ");
  throw new UsageError("the keystore's password is needed: pass --keystore-password-file FILE (or run on a terminal)", NAME);
}

async function act(ctx: CommandContext, caller: Caller, action: Action, arg: string | null): Promise<{ value: unknown; text: string }> {
  const name = stringOption(ctx, 'name');
  const named = name === undefined ? {} : { name };
  const mine = async () => resolveAccount(arg!, await caller.call('wallet.accounts', { includeHidden: true }));
  let a: WalletAccountT;
  switch (action) {
    case 'add':
      a = await caller.call('wallet.addAccount', named);
      return { value: a, text: `Added: ${formatAccount(a)}` };
    case 'rename':
      a = await caller.call('wallet.renameAccount', { address: (await mine()).address, name: name! });
      return { value: a, text: `Renamed: ${formatAccount(a)}` };
    case 'hide':
    case 'show':
      a = await caller.call('wallet.setHidden', { address: (await mine()).address, hidden: action === 'hide' });
      return { value: a, text: `${action === 'hide' ? 'Hidden' : 'Shown'}: ${formatAccount(a)}` };
    case 'remove': {
      const gone = await mine();
      const r = await caller.call('wallet.removeAccount', { address: gone.address });
      return { value: { ...r, address: gone.address }, text: `Removed: ${formatAccount(gone)}` };
    }
    case 'import-key': {
      a = await caller.call('wallet.importPrivateKey', { privateKey: await readPrivateKey(ctx), ...named });
      return { value: a, text: `Imported: ${formatAccount(a)}` };
    }
    case 'import-keystore': {
      const keystore = await readTextFile(arg!, 'keystore file', 64 * 1024, ctx.io.cwd);
      a = await caller.call('wallet.importKeystore', { keystore, keystorePassword: await keystorePassword(ctx), ...named });
      return { value: a, text: `Imported: ${formatAccount(a)}` };
    }
    case 'watch':
      a = await caller.call('wallet.addWatch', { address: parseAddressArg(arg, 'ADDRESS', NAME), ...named });
      return { value: a, text: `Watching: ${formatAccount(a)}` };
  }
}

export const walletAccountsCommand: CommandSpec = {
  name: NAME,
  group: WALLET_GROUP,
  summary: 'List your wallet accounts; add, rename, hide, show, remove, import or watch one.',
  synopsis: '[ACTION [A|FILE|ADDRESS]]',
  maxArgs: 3,
  options: {
    all: { type: 'boolean', description: 'list hidden accounts too' },
    name: { type: 'string', value: 'N', description: 'the account name (add, rename, import-key, import-keystore, watch)' },
    'keystore-password-file': { type: 'string', value: 'FILE', description: "import-keystore: read the keystore's password from FILE (else a hidden prompt)" },
  },
  details:
    'ACTION: add | rename A | hide A | show A | remove A | import-key | import-keystore FILE | watch ADDRESS\n' +
    'A is an account address or name. add derives the next account from your recovery phrase.\n' +
    'import-key reads the private key from stdin (or a hidden prompt on a terminal), never from\n' +
    'the command line. remove works on imported and watch-only accounts; hide the others.\n' +
    '--json prints the account(s) as the bridge gives them.',
  async run(ctx) {
    const { action, arg } = parseAccountsArgs(ctx.args, ctx.values);
    await withDaemon(ctx, async (caller) => {
      if (action === null) {
        const list = await caller.call('wallet.accounts', { includeHidden: ctx.values.all === true });
        return print(ctx, list, () => formatAccounts(list));
      }
      const r = await act(ctx, caller, action, arg);
      print(ctx, r.value, () => r.text);
    });
  },
};
