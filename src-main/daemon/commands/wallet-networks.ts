/**
 * @module daemon/commands/wallet-networks
 *   bitunicom wallet networks                              list (the selected one starred)
 *   bitunicom wallet networks add --name N --rpc URL [--chain-id ID] [--symbol S] [--explorer URL]
 *   bitunicom wallet networks edit N [--name N] [--rpc URL] [--symbol S] [--explorer URL|none]
 *   bitunicom wallet networks remove N | use N | check [N]
 *   bitunicom wallet tokens [add ADDRESS | remove ADDRESS] [--network N]
 * N is a network id or name (case-insensitive). `add` checks the chain id against the RPC
 * server (given or not, the node reads it); `check` reaches the RPC now, bounded in time.
 */
import { BridgeError } from '../../../src-preload/contract';
import { UsageError, type CommandSpec } from '../args';
import { formatNetwork, formatNetworks, formatTokens, tokenLabel } from '../format-wallet';
import { oneLine } from '../format';
import { print, withDaemon } from './common';
import { parseAddressArg, parseChainId } from './wallet-args';
import { NETWORK_OPTION, selectedNetwork, stringOption, WALLET_GROUP } from './wallet-common';

const NAME = 'wallet networks';
export const NETWORK_ACTIONS = ['add', 'edit', 'remove', 'use', 'check'] as const;
type Action = (typeof NETWORK_ACTIONS)[number];
const FIELD_OPTIONS = ['name', 'rpc', 'chain-id', 'symbol', 'explorer'] as const;

/** The action and its network argument, checking which options go with it; pure. */
export function parseNetworksArgs(args: readonly string[], values: Record<string, unknown>): { action: Action | null; ref: string | null } {
  const [word, ref, extra] = args;
  const given = FIELD_OPTIONS.filter((o) => values[o] !== undefined);
  if (word === undefined) {
    if (given.length) throw new UsageError(`--${given[0]} goes with add or edit`, NAME);
    return { action: null, ref: null };
  }
  if (!(NETWORK_ACTIONS as readonly string[]).includes(word)) throw new UsageError(`unknown action "${word}" (one of ${NETWORK_ACTIONS.join(', ')})`, NAME);
  const action = word as Action;
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`, NAME);
  if (action === 'add') {
    if (ref !== undefined) throw new UsageError(`unexpected argument "${ref}" (add takes --name N --rpc URL)`, NAME);
    if (typeof values.name !== 'string' || typeof values.rpc !== 'string') throw new UsageError('add needs --name N and --rpc URL', NAME);
    return { action, ref: null };
  }
  if (ref === undefined && action !== 'check') throw new UsageError(`missing argument: ${NAME} ${action} N`, NAME);
  if (action === 'edit') {
    if (values['chain-id'] !== undefined) throw new UsageError('the chain id of a network cannot change: remove it and add it again', NAME);
    if (!given.length) throw new UsageError('edit needs at least one of --name, --rpc, --symbol, --explorer', NAME);
  } else if (given.length) throw new UsageError(`--${given[0]} does not go with ${action}`, NAME);
  return { action, ref: ref ?? null };
}

export const walletNetworksCommand: CommandSpec = {
  name: NAME,
  group: WALLET_GROUP,
  summary: 'List networks; add one by RPC URL, edit, remove, use (select) or check one.',
  synopsis: '[add|edit|remove|use|check] [N]',
  maxArgs: 3,
  options: {
    name: { type: 'string', value: 'N', description: 'add/edit: the network name' },
    rpc: { type: 'string', value: 'URL', description: 'add/edit: its JSON-RPC URL (http or https)' },
    'chain-id': { type: 'string', value: 'ID', description: 'add: the chain id you expect (checked against the RPC server)' },
    symbol: { type: 'string', value: 'S', description: 'add/edit: the native currency symbol (default ETH)' },
    explorer: { type: 'string', value: 'URL', description: 'add/edit: block explorer URL (edit: none removes it)' },
  },
  details: 'N is a network id or name (case-insensitive). --json prints the network(s), or the check result.',
  async run(ctx) {
    const { action, ref } = parseNetworksArgs(ctx.args, ctx.values);
    const s = (o: string) => stringOption(ctx, o);
    await withDaemon(ctx, async (caller) => {
      if (action === null) {
        const list = await caller.call('wallet.networks', {});
        return print(ctx, list, () => formatNetworks(list));
      }
      if (action === 'add') {
        const chainId = parseChainId(ctx.values['chain-id'], NAME);
        const n = await caller.call('wallet.addNetwork', {
          name: s('name')!,
          rpcUrl: s('rpc')!,
          ...(chainId !== undefined ? { chainId } : {}),
          ...(s('symbol') !== undefined ? { symbol: s('symbol')! } : {}),
          ...(s('explorer') !== undefined ? { explorerUrl: s('explorer')! } : {}),
        });
        return print(ctx, n, () => `Added: ${formatNetwork(n)}\nUse it with --network ${oneLine(n.id)}, or select it: bitunicom wallet networks use ${oneLine(n.id)}`);
      }
      const target = await selectedNetwork(caller, ref ?? undefined);
      if (action === 'edit') {
        const ex = s('explorer');
        const n = await caller.call('wallet.editNetwork', {
          id: target.id,
          ...(s('name') !== undefined ? { name: s('name')! } : {}),
          ...(s('rpc') !== undefined ? { rpcUrl: s('rpc')! } : {}),
          ...(s('symbol') !== undefined ? { symbol: s('symbol')! } : {}),
          ...(ex !== undefined ? { explorerUrl: ex.trim().toLowerCase() === 'none' ? null : ex } : {}),
        });
        return print(ctx, n, () => `Edited: ${formatNetwork(n)}`);
      }
      if (action === 'remove') {
        if (target.builtin) throw new BridgeError('BAD_INPUT', `${oneLine(target.name)} is built in and cannot be removed`);
        const r = await caller.call('wallet.removeNetwork', { id: target.id });
        return print(ctx, { ...r, id: target.id }, () => `Removed: ${oneLine(target.name)} [${oneLine(target.id)}] (its history in this app goes with it)`);
      }
      if (action === 'use') {
        const n = await caller.call('wallet.selectNetwork', { id: target.id });
        return print(ctx, n, () => `Selected: ${formatNetwork(n)}`);
      }
      const st = await caller.call('wallet.networkState', { id: target.id });
      print(ctx, st, () =>
        st.state === 'ok'
          ? `${oneLine(target.name)}: reachable, block #${st.blockNumber ?? '?'}${st.latencyMs === null ? '' : `, ${Math.round(st.latencyMs)} ms`}`
          : `${oneLine(target.name)}: ${st.state}${st.message ? ` — ${oneLine(st.message)}` : ''}`,
      );
      if (st.state !== 'ok') throw new BridgeError(st.state === 'unreachable' ? 'RPC_UNREACHABLE' : 'CHAIN_ID_MISMATCH', st.message ?? oneLine(target.rpcUrl));
    });
  },
};

const TOKENS = 'wallet tokens';

export const walletTokensCommand: CommandSpec = {
  name: TOKENS,
  group: WALLET_GROUP,
  summary: 'List the ERC-20 tokens followed on a network; add one by contract address, or remove it.',
  synopsis: '[add|remove ADDRESS]',
  maxArgs: 2,
  options: { ...NETWORK_OPTION },
  details: 'add reads the symbol, name and decimals from the contract. --json prints the token(s).',
  async run(ctx) {
    const [action, addr] = ctx.args;
    if (action !== undefined && action !== 'add' && action !== 'remove') throw new UsageError(`unknown action "${action}" (add or remove)`, TOKENS);
    if (action !== undefined && addr === undefined) throw new UsageError(`missing argument: ${TOKENS} ${action} ADDRESS`, TOKENS);
    const address = addr === undefined ? undefined : parseAddressArg(addr, 'ADDRESS', TOKENS);
    await withDaemon(ctx, async (caller) => {
      const net = await selectedNetwork(caller, stringOption(ctx, 'network'));
      const networkId = net.id;
      if (action === 'add') {
        const t = await caller.call('wallet.addToken', { address: address!, networkId });
        return print(ctx, t, () => `Following on ${oneLine(net.name)}: ${tokenLabel(t)}, ${t.decimals} decimals`);
      }
      if (action === 'remove') {
        const r = await caller.call('wallet.removeToken', { address: address!, networkId });
        return print(ctx, { ...r, address }, () => `No longer following ${address} on ${oneLine(net.name)}`);
      }
      const list = await caller.call('wallet.tokens', { networkId });
      print(ctx, list, () => formatTokens(list, net.name));
    });
  },
};
