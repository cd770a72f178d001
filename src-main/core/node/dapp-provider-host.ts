/**
 * @module node/dapp-provider-host
 * The node's dapp provider (core/dapps/provider, EIP-1193): one `DappProvider` per unlocked
 * wallet, made on the first provider call after unlock and closed when the account locks
 * (its waiting requests dropped, `disconnect` sent to the dapps it served). Its grants live in
 * the encrypted store's key-value table; installed dapps come from the dapp store host
 * (`node.dapps.installedInfo`, node/dapp-host). Events become `dapps.pending`,
 * `dapps.providerEvent` and `dapps.changed` {kind: 'connections'}; an uninstalled dapp loses
 * every grant. Extensions (dapp P2P channels) join through `onOpen`.
 */
import { devnetSection } from '../chain';
import { DappProvider, walletForProvider, type DappDirectory } from '../dapps';
import type { WalletService } from '../wallet';
import type { NodeCore } from './node';
import { KNOWN_ERRORS } from './wallet-handlers';

/** What the provider uses of the dapp store host (node/dapp-host): who is installed, and uninstalls. */
type StoreHost = DappDirectory & { on?(event: 'uninstalled', listener: (e: { appId: string }) => void): () => void };

export class DappProviderHost {
  private current: { wallet: WalletService; provider: DappProvider; offs: (() => void)[] } | null = null;
  private readonly openers: ((p: DappProvider) => (() => void) | void)[] = [];

  constructor(private readonly node: NodeCore) {
    node.events.on('app.state', (s) => {
      if (s.phase !== 'unlocked') this.close();
    });
  }

  /** Runs `f` on every provider as it opens (now, if one is open); what it returns runs at close. */
  onOpen(f: (p: DappProvider) => (() => void) | void): void {
    this.openers.push(f);
    const c = this.current;
    if (c) {
      const off = f(c.provider);
      if (off) c.offs.push(off);
    }
  }

  /** The provider of the unlocked wallet (LOCKED / NOT_RUNNING before). */
  provider(): DappProvider {
    const wallet = this.node.requireWallet();
    if (this.current?.wallet === wallet) return this.current.provider;
    this.close();
    const rt = this.node.requireRuntime();
    const store = this.storeHost();
    const names = (address: string): string | null => {
      const lower = address.toLowerCase();
      if (this.registryAddress()?.toLowerCase() === lower) return 'DappRegistry (the dapp store)';
      const friend = rt.store.contacts.list().find((c) => c.state === 'friend' && rt.chat.contactWallet(c.address)?.toLowerCase() === lower);
      return friend ? `${friend.name} (friend)` : null;
    };
    const provider = new DappProvider({
      wallet: walletForProvider(wallet, { names, errors: KNOWN_ERRORS }),
      directory: { installedInfo: (appId) => this.storeHost()?.installedInfo(appId) ?? null },
      settings: rt.store.settings,
    });
    provider.onListenerError = (e) => this.node.logger.warn('dapp provider listener failed', { error: String(e) });
    const ev = this.node.events;
    const offs = [
      provider.on('pending', (r) => ev.emit('dapps.pending', r)),
      provider.on('event', (e) => ev.emit('dapps.providerEvent', e)),
      provider.on('connections', ({ appId }) => ev.emit('dapps.changed', { kind: 'connections', appId })),
    ];
    const off = store?.on?.('uninstalled', ({ appId }) => provider.revoke(appId, 'all'));
    if (off) offs.push(off);
    this.current = { wallet, provider, offs };
    for (const f of this.openers) {
      const undo = f(provider);
      if (undo) offs.push(undo);
    }
    return provider;
  }

  close(): void {
    const c = this.current;
    this.current = null;
    if (!c) return;
    c.provider.close(); // emits disconnect before the listeners go
    for (const off of c.offs.splice(0)) off();
  }

  /**
   * The dapp store host once the node has one (`node.dapps`, node/dapp-host, is being added in
   * the same issue): read structurally so this file stands without it; none → NOT_INSTALLED.
   */
  private storeHost(): StoreHost | null {
    const d = (this.node as unknown as { dapps?: StoreHost }).dapps;
    return d && typeof d.installedInfo === 'function' ? d : null;
  }

  private registryAddress(): string | null {
    const g = this.node.chain.running?.ledger.genesis;
    return (g ? devnetSection(g)?.contracts.find((x) => x.artifact === 'DappRegistry')?.address : null) ?? null;
  }
}
