/**
 * @module node/dapp-provider-host
 * The node's dapp provider (core/dapps/provider, EIP-1193): one `DappProvider` per unlocked
 * wallet, opened as soon as the wallet is (`open`, from NodeCore.openWallet) and closed when
 * the account locks (its waiting requests dropped, `disconnect` sent to the dapps it served).
 * Its grants live in the encrypted store's key-value table; installed dapps come from the dapp
 * store host (`node.dapps`, node/dapp-host). Events become `dapps.pending`,
 * `dapps.providerEvent` and `dapps.changed` {kind: 'connections'}; an uninstalled dapp loses
 * every grant and its storage (dapps/storage, the `bitunicom_storage*` methods). The runtime's dapp channels (node/dapp-channel-host `wireChannels`) join as the
 * provider's `bitunicom_*` extension; other extensions through `onOpen`.
 */
import { devnetSection } from '../chain';
import { DappProvider, DappStorage, storageExtension, walletForProvider, type DappDirectory } from '../dapps';
import type { WalletService } from '../wallet';
import { wireChannels } from './dapp-channel-host';
import type { NodeCore } from './node';
import { KNOWN_ERRORS } from './wallet-handlers';

/** What the provider uses of the dapp store host (node/dapp-host): who is installed, and uninstalls. */
type StoreHost = DappDirectory & { on(event: 'uninstalled', listener: (e: { appId: string }) => void): () => void };

const hosts = new WeakMap<NodeCore, DappProviderHost>();

/** The node's provider host (one per node). */
export function dappProviderHost(node: NodeCore): DappProviderHost {
  let h = hosts.get(node);
  if (!h) hosts.set(node, (h = new DappProviderHost(node)));
  return h;
}

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

  /** Opens the provider of the wallet that just opened (a failure is logged: chat and wallet go on). */
  open(): void {
    try {
      this.provider();
    } catch (e) {
      this.node.logger.warn('the dapp provider did not open', { error: String(e) });
    }
  }

  /** The provider of the unlocked wallet (LOCKED / NOT_RUNNING before). */
  provider(): DappProvider {
    const wallet = this.node.requireWallet();
    if (this.current?.wallet === wallet) return this.current.provider;
    this.close();
    const rt = this.node.requireRuntime();
    const store: StoreHost = this.node.dapps;
    const names = (address: string): string | null => {
      const lower = address.toLowerCase();
      if (this.registryAddress()?.toLowerCase() === lower) return 'DappRegistry (the dapp store)';
      const friend = rt.store.contacts.list().find((c) => c.state === 'friend' && rt.chat.contactWallet(c.address)?.toLowerCase() === lower);
      return friend ? `${friend.name} (friend)` : null;
    };
    const provider = new DappProvider({
      wallet: walletForProvider(wallet, { names, errors: KNOWN_ERRORS }),
      directory: { installedInfo: (appId) => this.node.dapps.installedInfo(appId) },
      settings: rt.store.settings,
    });
    const storage = new DappStorage(rt.store.settings);
    provider.addExtension(storageExtension(storage));
    provider.onListenerError = (e) => this.node.logger.warn('dapp provider listener failed', { error: String(e) });
    const ev = this.node.events;
    const offs = [
      provider.on('pending', (r) => ev.emit('dapps.pending', r)),
      provider.on('event', (e) => ev.emit('dapps.providerEvent', e)),
      provider.on('connections', ({ appId }) => ev.emit('dapps.changed', { kind: 'connections', appId })),
      store.on('uninstalled', ({ appId }) => {
        provider.revoke(appId, 'all');
        storage.clear(appId);
      }),
      wireChannels(rt.channels, {
        library: { get: (appId) => store.installedInfo(appId), on: (_e, l) => store.on('uninstalled', ({ appId }) => l({ appId, kind: 'uninstalled' })) },
        provider,
        emitProviderEvent: (e) => ev.emit('dapps.providerEvent', e),
        emitConnectionsChanged: (appId) => ev.emit('dapps.changed', { kind: 'connections', appId }),
      }),
    ];
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

  private registryAddress(): string | null {
    const g = this.node.chain.running?.ledger.genesis;
    return (g ? devnetSection(g)?.contracts.find((x) => x.artifact === 'DappRegistry')?.address : null) ?? null;
  }
}
