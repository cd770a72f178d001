/**
 * @module dapps/provider/provider
 * `DappProvider`: the node side of every installed dapp's EIP-1193 provider
 * (https://eips.ethereum.org/EIPS/eip-1193). The host UI forwards a frame's `request` with the
 * app id of the frame it came from; `request` answers a result, or a `PendingRequest` for the
 * confirm dialog; only `decide` (the host UI, on the user's click) runs an approval.
 *
 * Routing: read-only methods (read-methods.ts) → accounts and EIP-2255 permissions
 * (account-methods.ts) → signatures (sign-methods.ts) → eth_sendTransaction (tx-method.ts) →
 * chain switching (chain-methods.ts) → `bitunicom_*` extension methods; anything else is
 * UNSUPPORTED_METHOD (4200). A dapp that is not installed is NOT_INSTALLED.
 *
 * Events ('event', the contract's ProviderEvent): accountsChanged when the dapp's accounts are
 * granted, revoked, or removed from the wallet; chainChanged (0x-hex) to every dapp seen since
 * start when the wallet's selected chain changes; disconnect (4900) when the provider closes
 * (the wallet locks). 'pending' fires for each new request waiting for the user.
 */
import type { DappConnectionT, PendingRequestT, ProviderAnswerT, ProviderEventT } from '../../../../src-preload/contract';
import { BuError, TypedEmitter } from '../../base';
import { ACCOUNT_METHODS } from './account-methods';
import { CHAIN_METHODS } from './chain-methods';
import { Grants } from './grants';
import { hexChainId } from './params';
import { PendingQueue } from './pending';
import { requireManifest } from './permissions';
import { READ_METHODS, readMethod } from './read-methods';
import { SIGN_METHODS } from './sign-methods';
import { sendTransaction } from './tx-method';
import type { DappDirectory, DappInfo, Decision, MethodAnswer, MethodContext, ProviderExtension, ProviderWallet, SettingsStore } from './types';

export type DappProviderOptions = {
  wallet: ProviderWallet;
  directory: DappDirectory;
  settings: SettingsStore;
  extensions?: ProviderExtension[];
  now?: () => number;
};

export type DappProviderEvents = { pending: PendingRequestT; event: ProviderEventT; connections: { appId: string } };

type Builtin = (ctx: MethodContext, params: unknown) => Promise<MethodAnswer>;
const BUILTIN: Record<string, Builtin> = { ...ACCOUNT_METHODS, ...SIGN_METHODS, ...CHAIN_METHODS, eth_sendTransaction: sendTransaction };

export class DappProvider extends TypedEmitter<DappProviderEvents> {
  private readonly grants: Grants;
  private readonly queue: PendingQueue;
  private readonly extensions: ProviderExtension[] = [];
  /** Dapps that made a request since start: they get chainChanged. */
  private readonly seen = new Set<string>();
  private chainId: number;
  private readonly unsubscribe: () => void;
  private closed = false;

  constructor(private readonly o: DappProviderOptions) {
    super();
    this.grants = new Grants(o.settings);
    this.queue = new PendingQueue(o.now);
    for (const e of o.extensions ?? []) this.addExtension(e);
    this.chainId = o.wallet.network().chainId;
    this.unsubscribe = o.wallet.onChange((kind) => (kind === 'networks' ? this.networksChanged() : this.accountsChanged()));
  }

  /** Adds `bitunicom_*` methods (dapp P2P channels); names must not clash. */
  addExtension(e: ProviderExtension): void {
    for (const m of Object.keys(e.methods)) {
      if (!m.startsWith('bitunicom_')) throw new BuError('BAD_INPUT', `Extension methods must start with bitunicom_, not "${m}".`);
      if (this.extensions.some((x) => Object.hasOwn(x.methods, m))) throw new BuError('BAD_INPUT', `The provider method ${m} is registered twice.`);
    }
    this.extensions.push(e);
  }

  /** An EIP-1193 request from the frame of `appId`. */
  async request(appId: string, method: string, params?: unknown): Promise<ProviderAnswerT> {
    this.open();
    const info = this.info(appId);
    this.seen.add(appId);
    if (Object.hasOwn(READ_METHODS, method)) return { kind: 'result', result: await readMethod(this.o.wallet, method, params) };
    const ctx = this.context(appId, info);
    const builtin = Object.hasOwn(BUILTIN, method) ? BUILTIN[method] : undefined;
    if (builtin) return builtin(ctx, params);
    const ext = this.extensions.find((e) => Object.hasOwn(e.methods, method))?.methods[method];
    if (ext) {
      if (ext.permission) requireManifest(info, ext.permission);
      return ext.handle(ctx, params);
    }
    throw new BuError('UNSUPPORTED_METHOD', `The wallet does not support ${method.slice(0, 64)}.`);
  }

  /** The user's answer: approve runs the request (its value is what the dapp gets); reject is USER_REJECTED. */
  async decide(id: string, approve: boolean, d: Decision = {}): Promise<{ kind: 'result'; result: unknown }> {
    this.open();
    const e = this.queue.take(id);
    if (!approve) throw new BuError('USER_REJECTED', `You declined the request from ${e.request.appName}.`);
    if (!this.o.directory.installedInfo(e.request.appId)) throw new BuError('NOT_INSTALLED', `${e.request.appName} was uninstalled while the request waited.`);
    const result = await e.approve(d);
    return { kind: 'result', result: result ?? null };
  }

  pending(): PendingRequestT[] {
    return this.queue.list();
  }

  connections(): DappConnectionT[] {
    const ids = new Set(this.grants.apps());
    for (const e of this.extensions) for (const id of e.channelApps?.() ?? []) ids.add(id);
    return [...ids].sort().map((id) => this.connection(id));
  }

  connection(appId: string): DappConnectionT {
    const g = this.grants.get(appId);
    const accounts = this.live(g?.accounts ?? []);
    return {
      appId,
      name: this.o.directory.installedInfo(appId)?.name ?? 'Uninstalled dapp',
      accounts,
      permissions: g && accounts.length > 0 ? [{ parentCapability: 'eth_accounts', grantedAt: g.grantedAt }] : [],
      channelFriends: this.extensions.flatMap((e) => e.channelFriends?.(appId) ?? []),
    };
  }

  /** Revoke a dapp's accounts (EIP-2255), one friend's channel grant, or everything (also its waiting requests). */
  revoke(appId: string, what: 'accounts' | 'channel' | 'all', friend?: string): DappConnectionT {
    if (what !== 'channel') this.setAccounts(appId, []);
    if (what !== 'accounts') for (const e of this.extensions) e.revokeChannel?.(appId, what === 'all' ? undefined : friend);
    if (what === 'all') this.queue.clear(appId);
    this.emit('connections', { appId });
    return this.connection(appId);
  }

  /** Stops: waiting requests are dropped and every dapp seen gets disconnect. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    this.queue.clear();
    for (const appId of this.seen) this.emit('event', { appId, event: 'disconnect', data: { code: 4900, message: 'The wallet is locked.' } });
    this.removeAll();
  }

  private open(): void {
    if (this.closed) throw new BuError('LOCKED', 'The wallet is locked: unlock it to use dapps.');
  }

  private info(appId: string): DappInfo {
    const info = this.o.directory.installedInfo(appId);
    if (!info) throw new BuError('NOT_INSTALLED', `The dapp ${appId} is not installed.`);
    return info;
  }

  private context(appId: string, info: DappInfo): MethodContext {
    const network = this.o.wallet.network();
    return {
      appId,
      info,
      wallet: this.o.wallet,
      network,
      connected: () => this.live(this.grants.accounts(appId)),
      setAccounts: (accounts) => this.setAccounts(appId, accounts),
      waiting: (kind) => this.queue.has(appId, kind),
      grantedAt: () => this.grants.get(appId)?.grantedAt ?? null,
      pend: (draft, approve) => {
        const request = this.queue.add(
          {
            appId,
            appName: info.name,
            origin: info.origin,
            kind: draft.kind,
            title: draft.title,
            chain: { chainId: network.chainId, name: network.name },
            account: draft.account,
            choices: draft.choices ?? [],
            friends: draft.friends ?? [],
            rows: draft.rows,
            call: draft.call ?? null,
            warnings: draft.warnings ?? [],
          },
          approve,
        );
        this.emit('pending', request);
        return request;
      },
    };
  }

  /** The accounts that still exist in the wallet. */
  private live(accounts: string[]): string[] {
    const have = new Set(this.o.wallet.accounts().map((a) => a.address));
    return accounts.filter((a) => have.has(a));
  }

  private setAccounts(appId: string, accounts: string[]): void {
    const before = this.live(this.grants.accounts(appId));
    this.grants.set(appId, accounts, (this.o.now ?? Date.now)());
    const after = this.live(this.grants.accounts(appId));
    if (before.join() !== after.join()) {
      this.emit('event', { appId, event: 'accountsChanged', data: after });
      this.emit('connections', { appId });
    }
  }

  private accountsChanged(): void {
    for (const appId of this.grants.apps()) {
      const granted = this.grants.accounts(appId);
      const live = this.live(granted);
      if (live.length === granted.length) continue;
      this.grants.set(appId, live, this.grants.get(appId)?.grantedAt);
      this.emit('event', { appId, event: 'accountsChanged', data: live });
      this.emit('connections', { appId });
    }
  }

  private networksChanged(): void {
    const now = this.o.wallet.network().chainId;
    if (now === this.chainId) return;
    this.chainId = now;
    for (const appId of new Set([...this.seen, ...this.grants.apps()])) this.emit('event', { appId, event: 'chainChanged', data: hexChainId(now) });
  }
}
