/**
 * @module dapps/provider/account-methods
 * Connecting a dapp to accounts. eth_accounts (EIP-1474) answers only the accounts this dapp
 * was given — [] before it connects. eth_requestAccounts (EIP-1102) answers them at once when
 * connected, else queues a 'connect' request whose choices are the wallet's visible accounts;
 * the dapp gets only those the user picks. wallet_requestPermissions({eth_accounts: {}})
 * (EIP-2255) always asks (it is how a dapp lets the user change the accounts) and answers the
 * permission objects; wallet_getPermissions lists them; wallet_revokePermissions (MetaMask's
 * extension of EIP-2255) drops the grant without asking. A second connect while one waits is
 * BUSY, like MetaMask's -32002 "request already pending".
 */
import { BuError } from '../../base';
import { MAX_GRANTED_ACCOUNTS } from './grants';
import { abilities, accountsCapability, eip2255, requireManifest } from './permissions';
import { address, bad, list } from './params';
import { row } from './display';
import type { Decision, MethodAnswer, MethodContext } from './types';

function connect(ctx: MethodContext, method: 'eth_requestAccounts' | 'wallet_requestPermissions'): MethodAnswer {
  if (ctx.waiting('connect')) throw new BuError('BUSY', `${ctx.info.name} already asked to connect: answer that request first.`);
  const visible = ctx.wallet.accounts().filter((a) => !a.hidden);
  if (visible.length === 0) throw new BuError('NOT_FOUND', 'The wallet has no visible account to connect.');
  const choices = visible.map((a) => ({ address: a.address, name: a.watchOnly ? `${a.name} (watch-only)` : a.name }));
  const current = ctx.connected();
  const rows = [
    row('Dapp', `${ctx.info.name} ${ctx.info.version}`),
    row('Origin', ctx.info.origin, { mono: true }),
    row('Network', `${ctx.network.name} (chain ${ctx.network.chainId})`),
    row('It will be able to', abilities(ctx.info)),
  ];
  if (current.length > 0) rows.push(row('Connected now', current.map((a) => ctx.wallet.nameOf(a) ?? a).join(', ')));
  const request = ctx.pend({ kind: 'connect', title: `${ctx.info.name} wants to connect`, account: null, choices, rows }, async (d: Decision) => {
    const chosen = [...new Set((d.accounts ?? []).map((a) => address(a, 'A chosen account')))];
    if (chosen.length === 0) throw bad('Choose at least one account to connect (or reject the request).');
    if (chosen.length > MAX_GRANTED_ACCOUNTS) throw bad(`At most ${MAX_GRANTED_ACCOUNTS} accounts can be connected.`);
    const offered = new Set(choices.map((c) => c.address));
    const existing = new Set(ctx.wallet.accounts().map((a) => a.address));
    for (const a of chosen) {
      if (!offered.has(a)) throw bad(`${a} was not one of the accounts offered to ${ctx.info.name}.`);
      if (!existing.has(a)) throw new BuError('NOT_FOUND', `${a} is no longer in the wallet.`);
    }
    ctx.setAccounts(chosen);
    return method === 'eth_requestAccounts' ? chosen : eip2255(ctx.info.origin, chosen, ctx.grantedAt() ?? Date.now());
  });
  return { kind: 'pending', request };
}

export const ACCOUNT_METHODS: Record<string, (ctx: MethodContext, params: unknown) => Promise<MethodAnswer>> = {
  eth_accounts: async (ctx, p) => {
    list(p, 'eth_accounts', 0);
    return { kind: 'result', result: ctx.info.permissions.includes('accounts') ? ctx.connected() : [] };
  },
  eth_requestAccounts: async (ctx, p) => {
    list(p, 'eth_requestAccounts', 0);
    requireManifest(ctx.info, 'accounts');
    const now = ctx.connected();
    return now.length > 0 ? { kind: 'result', result: now } : connect(ctx, 'eth_requestAccounts');
  },
  wallet_requestPermissions: async (ctx, p) => {
    accountsCapability(p, 'wallet_requestPermissions');
    requireManifest(ctx.info, 'accounts');
    return connect(ctx, 'wallet_requestPermissions');
  },
  wallet_getPermissions: async (ctx, p) => {
    list(p, 'wallet_getPermissions', 0);
    return { kind: 'result', result: eip2255(ctx.info.origin, ctx.connected(), ctx.grantedAt() ?? 0) };
  },
  wallet_revokePermissions: async (ctx, p) => {
    accountsCapability(p, 'wallet_revokePermissions');
    ctx.setAccounts([]);
    return { kind: 'result', result: null };
  },
};
