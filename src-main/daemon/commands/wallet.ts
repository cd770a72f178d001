/**
 * @module daemon/commands/wallet
 * `bitunicom wallet …`: the wallet of the running node over the same bridge as the UI
 * (src-preload/contract/wallet.ts). This file has the read-side commands and the export:
 *   wallet balance [--account A] [--network N] [--token ADDRESS]
 *   wallet history [--account A] [--network N] [--limit K]
 *   wallet receive [--account A] [--network N] [--amount X] [--token ADDRESS]
 *   wallet export --account A --out FILE
 * and `WALLET_COMMANDS`, the whole group for the command table (accounts, networks and
 * tokens in wallet-accounts.ts / wallet-networks.ts, sending in wallet-send.ts).
 * A network that cannot be reached is an error (exit 1) after a bounded wait, never a hang.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { BridgeError, type WalletBalancesT } from '../../../src-preload/contract';
import { intOption, UsageError, type CommandSpec } from '../args';
import { oneLine } from '../format';
import { formatBalances, formatHistory, formatReceive } from '../format-wallet';
import { PASSWORD_FILE_OPTION, requirePassword } from '../inputs';
import { print, withDaemon } from './common';
import { walletAccountsCommand } from './wallet-accounts';
import { parseAddressArg, parseAmount } from './wallet-args';
import { accountOf, ACCOUNT_OPTION, NETWORK_OPTION, selectedNetwork, stringOption, WALLET_GROUP } from './wallet-common';
import { walletNetworksCommand, walletTokensCommand } from './wallet-networks';
import { walletCancelCommand, walletSendCommand, walletSpeedUpCommand } from './wallet-send';

/** Keeps only the token asked for; NOT_FOUND when the network does not follow it. */
export function onlyToken(b: WalletBalancesT, token: string | undefined): WalletBalancesT {
  if (token === undefined) return b;
  const t = b.tokens.find((x) => x.address.toLowerCase() === token.toLowerCase());
  if (!t) throw new BridgeError('NOT_FOUND', `${token} is not followed on this network (add it: bitunicom wallet tokens add ${token})`);
  return { ...b, native: null, tokens: [t] };
}

export const walletBalanceCommand: CommandSpec = {
  name: 'wallet balance',
  group: WALLET_GROUP,
  summary: 'Show the balances of an account: the native token and the ERC-20 tokens followed.',
  options: {
    ...ACCOUNT_OPTION,
    ...NETWORK_OPTION,
    token: { type: 'string', value: 'ADDRESS', description: 'only this ERC-20 token (one the network follows)' },
  },
  details:
    'Text shows the amounts formatted with each token’s decimals; --json prints the balances with\n' +
    'amounts in base units (wei). An unreachable network is an error (exit 1).',
  async run(ctx) {
    const token = ctx.values.token === undefined ? undefined : parseAddressArg(ctx.values.token, '--token', 'wallet balance');
    await withDaemon(ctx, async (caller) => {
      const [account, network] = await Promise.all([accountOf(caller, stringOption(ctx, 'account')), selectedNetwork(caller, stringOption(ctx, 'network'))]);
      const b = await caller.call('wallet.balances', { networkId: network.id, ...(account ? { account: account.address } : {}) });
      if (b.state !== 'ok') {
        if (ctx.json) print(ctx, b, () => '');
        const code = b.state === 'unreachable' ? 'RPC_UNREACHABLE' : 'CHAIN_ID_MISMATCH';
        throw new BridgeError(code, `${oneLine(network.name)} at ${oneLine(network.rpcUrl)}${b.message ? `: ${b.message}` : ''}`);
      }
      const shown = onlyToken(b, token);
      print(ctx, shown, () => formatBalances(shown, network.name));
    });
  },
};

export const walletHistoryCommand: CommandSpec = {
  name: 'wallet history',
  group: WALLET_GROUP,
  summary: 'List the transactions of your accounts on a network (pending, confirmed, failed…).',
  options: {
    ...ACCOUNT_OPTION,
    ...NETWORK_OPTION,
    limit: { type: 'string', value: 'K', description: 'at most K entries, newest first (1–500, default 100)' },
  },
  details: 'Without --account: every account of the wallet. --json prints the activity items (amounts in base units).',
  async run(ctx) {
    const limit = intOption(ctx.values, 'limit', 1, 500);
    await withDaemon(ctx, async (caller) => {
      const [account, network] = await Promise.all([accountOf(caller, stringOption(ctx, 'account')), selectedNetwork(caller, stringOption(ctx, 'network'))]);
      const list = await caller.call('wallet.activity', { networkId: network.id, ...(account ? { account: account.address } : {}), ...(limit ? { limit } : {}) });
      print(ctx, list, () => formatHistory(list));
    });
  },
};

export const walletReceiveCommand: CommandSpec = {
  name: 'wallet receive',
  group: WALLET_GROUP,
  summary: 'Show your address and an EIP-681 payment link (ethereum:…) to share.',
  options: {
    ...ACCOUNT_OPTION,
    ...NETWORK_OPTION,
    amount: { type: 'string', value: 'X', description: 'ask for this amount (in the token’s units)' },
    token: { type: 'string', value: 'ADDRESS', description: 'ask for an ERC-20 token (one the network follows)' },
  },
  async run(ctx) {
    const amount = ctx.values.amount === undefined ? undefined : parseAmount(ctx.values.amount, 'amount', 'wallet receive');
    const token = ctx.values.token === undefined ? undefined : parseAddressArg(ctx.values.token, '--token', 'wallet receive');
    await withDaemon(ctx, async (caller) => {
      const [account, network] = await Promise.all([accountOf(caller, stringOption(ctx, 'account')), selectedNetwork(caller, stringOption(ctx, 'network'))]);
      const r = await caller.call('wallet.receive', {
        networkId: network.id,
        ...(account ? { account: account.address } : {}),
        ...(amount !== undefined ? { amount } : {}),
        ...(token !== undefined ? { token } : {}),
      });
      print(ctx, r, () => formatReceive(r));
    });
  },
};

export const walletExportCommand: CommandSpec = {
  name: 'wallet export',
  group: WALLET_GROUP,
  summary: 'Write one account’s key as a keystore V3 file, encrypted with your profile password.',
  options: {
    ...ACCOUNT_OPTION,
    out: { type: 'string', value: 'FILE', description: 'the file to write (mode 0600; never overwritten)' },
    ...PASSWORD_FILE_OPTION,
  },
  details:
    'The profile password comes from BITUNICOM_PASSWORD, --password-file, or a hidden prompt.\n' +
    'ethers, MetaMask and `cast wallet` can decrypt the file with that password.',
  async run(ctx) {
    const ref = stringOption(ctx, 'account');
    const out = stringOption(ctx, 'out');
    if (ref === undefined) throw new UsageError('--account A is required', 'wallet export');
    if (out === undefined) throw new UsageError('--out FILE is required', 'wallet export');
    const file = resolve(ctx.io.cwd, out);
    await withDaemon(ctx, async (caller) => {
      const account = (await accountOf(caller, ref))!;
      const password = await requirePassword(ctx.io, ctx.values, 'Profile password: ');
      const r = await caller.call('wallet.exportKeystore', { address: account.address, password });
      try {
        await writeFile(file, `${r.keystore}\n`, { flag: 'wx', mode: 0o600 });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new UsageError(code === 'EEXIST' ? `${file} already exists; choose another --out` : `cannot write ${file} (${code ?? 'error'})`, 'wallet export');
      }
      print(ctx, { file, address: account.address, filename: r.filename }, () => `Keystore of ${account.address} written to ${file}`);
    });
  },
};

/** The `wallet` group, in the order `bitunicom wallet --help` lists it. */
export const WALLET_COMMANDS: readonly CommandSpec[] = [
  walletAccountsCommand,
  walletNetworksCommand,
  walletTokensCommand,
  walletBalanceCommand,
  walletSendCommand,
  walletHistoryCommand,
  walletSpeedUpCommand,
  walletCancelCommand,
  walletReceiveCommand,
  walletExportCommand,
];
