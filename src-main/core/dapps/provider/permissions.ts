/**
 * @module dapps/provider/permissions
 * Two layers of permission. The dapp's manifest declares what it may ever ask for
 * ('accounts' to connect, 'sign' for personal_sign and typed data, 'transact' for
 * eth_sendTransaction; core/dapps/package/manifest.ts) — a method outside them is
 * PERMISSION_DENIED (EIP-1193 4100) naming the missing manifest permission. The user then
 * grants accounts at run time: the EIP-2255 `eth_accounts` permission
 * (https://eips.ethereum.org/EIPS/eip-2255), shaped here as wallet_getPermissions returns it:
 * { invoker: the dapp's origin, parentCapability: 'eth_accounts', caveats:
 * [{ type: 'restrictReturnedAccounts', value: [accounts] }], date }.
 */
import type { DappPermissionT } from '../../../../src-preload/contract';
import { BuError } from '../../base';
import { bad, isObj, list } from './params';
import type { DappInfo } from './types';

export type Eip2255Permission = {
  invoker: string;
  parentCapability: 'eth_accounts';
  caveats: { type: 'restrictReturnedAccounts'; value: string[] }[];
  date: number;
};

const WHY: Record<DappPermissionT, string> = {
  accounts: 'ask to connect to your accounts',
  sign: 'ask you to sign messages',
  transact: 'ask you to send transactions',
  'p2p-channel': 'open channels to your friends',
  storage: 'store data',
  notifications: 'show notifications',
};

/** PERMISSION_DENIED unless the manifest declares `permission`. */
export function requireManifest(info: DappInfo, permission: DappPermissionT): void {
  if (info.permissions.includes(permission)) return;
  throw new BuError('PERMISSION_DENIED', `${info.name} cannot ${WHY[permission]}: its manifest does not declare the "${permission}" permission.`);
}

/** What the connect dialog says the dapp will be able to do. */
export function abilities(info: DappInfo): string {
  const can = ['see the addresses of the accounts you choose'];
  if (info.permissions.includes('sign')) can.push('ask you to sign messages');
  if (info.permissions.includes('transact')) can.push('ask you to send transactions');
  return `${can.join(', ')} (each signature and transaction still needs your approval)`;
}

export function eip2255(origin: string, accounts: string[], date: number): Eip2255Permission[] {
  if (accounts.length === 0) return [];
  return [{ invoker: origin, parentCapability: 'eth_accounts', caveats: [{ type: 'restrictReturnedAccounts', value: [...accounts] }], date }];
}

/** The single `{ eth_accounts: {} }` object of wallet_requestPermissions / wallet_revokePermissions. */
export function accountsCapability(params: unknown, method: string): void {
  const [p] = list(params, method, 1, 1);
  if (!isObj(p)) throw bad(`${method} takes [{ eth_accounts: {} }].`);
  const keys = Object.keys(p);
  if (keys.length !== 1 || keys[0] !== 'eth_accounts') {
    throw bad(`${method}: this wallet knows only the eth_accounts permission, not ${keys.map((k) => `"${k.slice(0, 40)}"`).join(', ') || 'an empty request'}.`);
  }
  if (!isObj(p.eth_accounts)) throw bad(`${method}: eth_accounts must be an object ({}).`);
}
