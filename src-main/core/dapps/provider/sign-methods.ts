/**
 * @module dapps/provider/sign-methods
 * Signatures a dapp asks for, each a pending request the user approves:
 *   personal_sign [message, address]          EIP-191 version 0x45 (personal-message.ts)
 *   eth_signTypedData_v4 [address, typedData] EIP-712 (typed-data.ts)
 * The address must be one this dapp was given (else PERMISSION_DENIED, EIP-1193 4100) and
 * have a key (else WATCH_ONLY). On approval the checks run again — the account still
 * connected, and for typed data the same network as when the request arrived — so a request
 * left open while the user disconnected the account or switched chains cannot be signed.
 * The dapp receives the 65-byte r‖s‖v signature as 0x-hex.
 */
import { BuError } from '../../base';
import { address, list } from './params';
import { readPersonalMessage } from './personal-message';
import { requireManifest } from './permissions';
import { describeTypedData, readTypedData } from './typed-data';
import { addressText, clean, row } from './display';
import type { MethodAnswer, MethodContext } from './types';

/** The connected account `raw` names, with a key to sign. */
export function signingAccount(ctx: MethodContext, raw: unknown, what: string): string {
  const a = address(raw, what);
  if (!ctx.connected().includes(a)) {
    throw new BuError('PERMISSION_DENIED', `${a} is not connected to ${ctx.info.name}: the dapp must ask to connect to it first (eth_requestAccounts).`);
  }
  if (ctx.wallet.accounts().find((x) => x.address === a)?.watchOnly) throw new BuError('WATCH_ONLY', `${addressText(ctx.wallet, a)} is watch-only: it has no key to sign with.`);
  return a;
}

/** At approval: the account still connected and, when `sameChain`, the network unchanged. */
export function recheck(ctx: MethodContext, account: string, sameChain: boolean): void {
  if (!ctx.connected().includes(account)) throw new BuError('PERMISSION_DENIED', `${account} was disconnected from ${ctx.info.name} while the request waited.`);
  const now = ctx.wallet.network();
  if (sameChain && now.chainId !== ctx.network.chainId) {
    throw new BuError('WRONG_NETWORK', `The wallet switched from ${ctx.network.name} to ${now.name} while the request waited: the dapp must ask again.`);
  }
}

export const SIGN_METHODS: Record<string, (ctx: MethodContext, params: unknown) => Promise<MethodAnswer>> = {
  personal_sign: async (ctx, p) => {
    requireManifest(ctx.info, 'sign');
    const [message, who] = list(p, 'personal_sign', 3, 2); // a third "password" parameter (old web3) is ignored
    if (typeof who !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(who)) {
      throw new BuError('BAD_INPUT', 'personal_sign takes [message, address]: the address comes second (EIP-1474 order, as MetaMask).');
    }
    const account = signingAccount(ctx, who, 'The signing account');
    const m = readPersonalMessage(message, ctx.info.origin);
    const request = ctx.pend(
      { kind: 'personal-sign', title: `${ctx.info.name} asks you to sign a message`, account, rows: [row('Account', addressText(ctx.wallet, account), { mono: true }), ...m.rows], warnings: m.warnings },
      async () => {
        recheck(ctx, account, false);
        return ctx.wallet.signPersonal(account, m.bytes);
      },
    );
    return { kind: 'pending', request };
  },
  eth_signTypedData_v4: async (ctx, p) => {
    requireManifest(ctx.info, 'sign');
    const [who, raw] = list(p, 'eth_signTypedData_v4', 2, 2);
    const account = signingAccount(ctx, who, 'The signing account');
    const typed = readTypedData(raw, ctx.network);
    const d = describeTypedData(ctx.wallet, typed, ctx.network);
    const request = ctx.pend(
      { kind: 'typed-data', title: `${ctx.info.name} asks you to sign ${clean(d.typed.primaryType, 64)}`, account, rows: [row('Account', addressText(ctx.wallet, account), { mono: true }), ...d.rows], warnings: d.warnings },
      async () => {
        recheck(ctx, account, true);
        return ctx.wallet.signTypedData(account, typed);
      },
    );
    return { kind: 'pending', request };
  },
};
