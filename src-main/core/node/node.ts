/**
 * @module node/node
 * `createNode()`: one profile (data dir) → one node. Phases: no-account → locked → unlocked.
 * The vault and the public profile live in the data dir; everything else (store, sockets,
 * sessions, chat) exists only while unlocked (see runtime.ts). The node exposes its API as
 * `handlers` implementing the bridge contract, and pushes contract events.
 */
import { join } from 'node:path';
import type { AppStateT, EventName, EventPayload, MediaPort, MessageT, NodeStatusT } from '../../../src-preload/contract';
import { BuError, TypedEmitter, silentLogger, type Logger } from '../base';
import { Vault, type UnlockedVault, type VaultSecret } from '../account';
import type { Endpoint } from '../net';
import { acquireProfileLock, type ProfileLock } from './profile-lock';
import { readProfile, updateProfile } from './profile';
import { ChainHost } from './chain-host';
import { SealingHost } from './sealing-host';
import { sealerKeyOf, walletOf } from './sealing-keys';
import { sendStakeAction, stakeInfo, type StakeAction, type StakeInfo } from './staking-actions';
import { startRuntime, type Runtime, type RuntimeOptions } from './runtime';
import type { WalletService } from '../wallet';
import { openWallet } from './wallet-host';
import { Payments, localizePayment } from './payments';
import { walletProofText } from '../chat';
import { DappHost } from './dapp-host';
import { dappProviderHost } from './dapp-provider-host';

export type NodeOptions = {
  dataDir: string;
  listen?: Endpoint;
  /** Application routers / DHT bootstrap nodes (`--bootstrap`). */
  bootstrap?: Endpoint[];
  logger?: Logger;
  nativeBinding?: string;
  /** Vault KDF cost (scrypt N). Tests lower it; users keep the default. */
  scryptN?: number;
  version?: string;
  session?: RuntimeOptions['session'];
  chat?: RuntimeOptions['chat'];
  /** Tests: call options (lossy media link, ring timeout). */
  calls?: RuntimeOptions['calls'];
  /** The app's resources folder (devnet template, contract artifacts); no chain without it. */
  resourcesDir?: string;
  /** The embedded chain: RPC port, empty-block interval, or off. */
  chain?: { rpcPort?: number; intervalMs?: number; enabled?: boolean };
  /** The sealing worker: seconds without input before the user counts as away (default 60). */
  sealing?: { idleAfterSec?: number };
  /** The wallet's watch loop period (default 2000 ms). */
  wallet?: { pollMs?: number };
};

export type NodeEvents = { [E in EventName]: EventPayload<E> };

export class NodeCore {
  readonly events = new TypedEmitter<NodeEvents>();
  private readonly mediaListeners = new Set<(frame: Uint8Array) => void>();
  /** Call media for the shells' bridges (contract/media.ts); dropped while locked. */
  readonly media: MediaPort = {
    fromUi: (frame) => this.runtime?.calls.fromUi(frame),
    subscribe: (listener) => {
      this.mediaListeners.add(listener);
      return () => void this.mediaListeners.delete(listener);
    },
  };
  readonly vault: Vault;
  readonly logger: Logger;
  readonly version: string;
  readonly chain: ChainHost;
  readonly sealing: SealingHost;
  /** The dapp store host: installed dapps, catalog, swarm seeding (usable while unlocked). */
  readonly dapps: DappHost;
  /** The wallet and sealer keys while unlocked (staking transactions), else null. */
  private stakeKeys: { wallet: { privateKey: Uint8Array; address: string }; sealer: { publicKey: Uint8Array; secretKey: Uint8Array } } | null = null;
  runtime: Runtime | null = null;
  /** The unlocked wallet (null while locked). */
  wallet: WalletService | null = null;
  /** Account 0 and its signature over our chat identity, sent with our profile to friends. */
  private walletProof: { address: string; proof: string } | null = null;
  private payments: Payments | null = null;
  private lock: ProfileLock;
  private busy: Promise<unknown> = Promise.resolve();
  private statusTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(readonly opts: NodeOptions) {
    this.logger = opts.logger ?? silentLogger;
    this.version = opts.version ?? '0.1.0';
    this.lock = acquireProfileLock(opts.dataDir);
    this.vault = new Vault(join(opts.dataDir, 'vault.json'), { scryptN: opts.scryptN });
    this.events.onListenerError = (e) => this.logger.warn('event listener failed', { error: String(e) });
    this.chain = new ChainHost({
      dataDir: opts.dataDir,
      resourcesDir: opts.resourcesDir,
      rpcPort: opts.chain?.rpcPort,
      intervalMs: opts.chain?.intervalMs,
      enabled: opts.chain?.enabled,
      clientVersion: `BitUnicom/v${this.version}/node-${process.version}`,
      logger: this.logger,
      nativeBinding: opts.nativeBinding,
      sealing: () => this.sealing.port,
    });
    this.chain.events.on('head', () => this.scheduleStatus());
    this.chain.events.on('state', () => this.scheduleStatus());
    this.sealing = new SealingHost({
      dataDir: opts.dataDir,
      logger: this.logger,
      nativeBinding: opts.nativeBinding,
      idleAfterSec: opts.sealing?.idleAfterSec,
      wallet: readProfile(opts.dataDir)?.wallet ?? null,
      ledgerOf: () => this.chain.running?.ledger ?? null,
    });
    this.chain.events.on('head', (b) => {
      this.sealing.onBlock(b);
      this.sealing.setParticipation({ syncing: this.chain.poeStatus()?.sync.state === 'syncing' });
    });
    this.chain.events.on('state', (st) => st.running && this.sealing.chainStarted());
    this.sealing.controller.events.on('status', () => this.scheduleStatus());
    this.dapps = new DappHost({ dataDir: opts.dataDir, resourcesDir: opts.resourcesDir, chain: this.chain, wallet: () => this.wallet, events: this.events, logger: this.logger, version: this.version });
  }

  /** Our sealer registration in the staking contract. */
  async stakeInfo(): Promise<StakeInfo> {
    const chain = this.chain.running;
    const wallet = readProfile(this.dataDir)?.wallet;
    if (!chain || !wallet) throw new BuError('NO_ACCOUNT', 'the chain starts once your account exists');
    return stakeInfo(chain, wallet);
  }

  /** Register as a sealer, leave, or withdraw: a transaction from the wallet (needs the unlocked account). */
  async stake(a: StakeAction): Promise<{ txHash: string }> {
    const chain = this.chain.running;
    if (!chain) throw new BuError('NO_ACCOUNT', 'the chain starts once your account exists');
    if (!this.stakeKeys) throw new BuError('LOCKED', 'Unlock your account to sign the staking transaction.');
    return { txHash: await sendStakeAction(chain, this.stakeKeys.wallet, this.stakeKeys.sealer, a) };
  }

  /** Start the chain when it can run; a failure is logged, never fatal to chat. */
  async startChain(): Promise<void> {
    try {
      await this.chain.start();
    } catch (err) {
      this.logger.warn('the chain could not start', { error: String(err) });
    }
  }

  get dataDir(): string {
    return this.opts.dataDir;
  }

  name(): string {
    return readProfile(this.dataDir)?.name ?? 'Me';
  }

  state(): AppStateT {
    const exists = this.vault.exists();
    return {
      phase: !exists ? 'no-account' : this.runtime ? 'unlocked' : 'locked',
      address: exists ? this.vault.address() : null,
      name: exists ? this.name() : null,
      dataDir: this.dataDir,
      version: this.version,
    };
  }

  /** Serialise lifecycle changes (create/unlock/lock/close) so they never interleave. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.busy.then(fn, fn);
    this.busy = run.catch(() => undefined);
    return run;
  }

  requireRuntime(): Runtime {
    if (this.closed) throw new BuError('NOT_RUNNING', 'the node is shutting down');
    if (!this.runtime) {
      throw this.vault.exists() ? new BuError('LOCKED', 'unlock your account first') : new BuError('NO_ACCOUNT', 'create an account first');
    }
    return this.runtime;
  }

  /** A payment message names the network as we call it, when we have that chain. */
  localize(m: MessageT): MessageT {
    return this.wallet ? localizePayment(m, this.wallet) : m;
  }

  requirePayments(): Payments {
    this.requireWallet();
    return this.payments!;
  }

  requireWallet(): WalletService {
    this.requireRuntime();
    if (!this.wallet) throw new BuError('NOT_RUNNING', 'the wallet is still opening');
    return this.wallet;
  }

  /** Opens the wallet of the unlocked vault (after the chain, whose RPC URL the devnet network uses). */
  private async openWallet(unlocked: UnlockedVault): Promise<void> {
    const w = await openWallet(
      {
        dataDir: this.dataDir,
        chain: this.chain,
        logger: this.logger,
        pollMs: this.opts.wallet?.pollMs,
        friendWallet: (id) => {
          const rt = this.runtime;
          const c = rt?.store.contacts.get(id);
          const wallet = c && c.state === 'friend' ? rt!.chat.contactWallet(id) : null;
          return c && wallet ? { address: wallet, name: c.name } : null;
        },
      },
      unlocked,
    );
    w.on('changed', (c) => this.events.emit('wallet.changed', c));
    const first = w.accounts.list()[0]!.address;
    this.walletProof = { address: first, proof: w.accounts.signer(first).signMessage(walletProofText(unlocked.identity.address)) };
    this.wallet = w;
    const chat = this.requireRuntime().chat;
    this.payments = new Payments(chat, w, this.logger, this.opts.wallet?.pollMs).start();
    chat.announceProfile(); // friends online now learn our wallet address at once
    dappProviderHost(this).open(); // the dapps' EIP-1193 provider and its channel extension
  }

  createAccount(secret: VaultSecret, password: string, name: string): Promise<AppStateT> {
    return this.exclusive(async () => {
      if (this.vault.exists()) throw new BuError('ACCOUNT_EXISTS', 'this profile already has an account');
      updateProfile(this.dataDir, { name });
      const unlocked = await this.vault.create(secret, password);
      this.chain.rememberWallet(secret);
      await this.start(unlocked);
      await this.startChain();
      await this.openWallet(unlocked);
      return this.state();
    });
  }

  unlock(password: string): Promise<AppStateT> {
    return this.exclusive(async () => {
      if (this.runtime) return this.state();
      const unlocked = await this.vault.unlock(password);
      this.chain.rememberWallet(unlocked.secret);
      await this.start(unlocked);
      await this.startChain();
      await this.openWallet(unlocked);
      return this.state();
    });
  }

  lockAccount(): Promise<AppStateT> {
    return this.exclusive(async () => {
      await this.stop();
      this.events.emit('app.state', this.state());
      return this.state();
    });
  }

  setName(name: string): AppStateT {
    updateProfile(this.dataDir, { name });
    const s = this.state();
    this.events.emit('app.state', s);
    return s;
  }

  resetDevnet(): Promise<NodeStatusT> {
    return this.exclusive(async () => {
      if (!readProfile(this.dataDir)?.wallet) throw new BuError('NO_ACCOUNT', 'the devnet starts once your account exists');
      await this.chain.reset();
      if (!this.chain.running && this.opts.chain?.enabled !== false) throw new BuError('INTERNAL', 'the devnet did not start again; see the log');
      return this.status();
    });
  }

  async status(): Promise<NodeStatusT> {
    const chain = await this.chain.status();
    const rt = this.runtime;
    const s = this.state();
    const peers = rt
      ? rt.store.contacts
          .list()
          .filter((c) => c.state === 'friend')
          .map((c) => {
            const info = rt.sessions.info(c.address);
            return {
              address: c.address,
              name: c.name,
              link: rt.chat.linkOf(c.address),
              rttMs: info?.rttMs ?? null,
              endpoint: info?.endpoint ?? null,
              lastSeenAt: c.lastSeenAt,
              since: info?.establishedAt ?? null,
              reason: rt.chat.linkReason(c.address),
              tried: rt.chat.linkReport(c.address)?.steps ?? [],
            };
          })
      : [];
    return {
      phase: s.phase,
      address: s.address,
      name: s.name,
      listen: rt ? rt.socket.address() : null,
      peers,
      uptimeMs: rt ? Date.now() - rt.startedAt : 0,
      outboxPending: rt ? rt.store.messages.pendingCount() : 0,
      nat: rt ? rt.network.nat() : { type: 'unknown', mapped: null },
      routers: rt ? rt.network.routers() : [],
      dhtNodes: rt ? rt.network.dht.stats().nodes : 0,
      version: this.version,
      ...(rt?.chat.roster ? { roster: rt.chat.roster.status() } : {}),
      rpcUrl: this.chain.rpcUrl,
      chain,
      poe: this.chain.poeStatus(),
      sealing: this.sealing.status(),
    };
  }

  private async start(unlocked: UnlockedVault): Promise<void> {
    const rt = await startRuntime({
      dataDir: this.dataDir,
      vault: unlocked,
      listen: this.opts.listen,
      bootstrap: this.opts.bootstrap,
      logger: this.logger,
      nativeBinding: this.opts.nativeBinding,
      getName: () => this.name(),
      session: this.opts.session,
      chat: this.opts.chat,
      calls: this.opts.calls,
      wallet: () => this.walletProof,
    });
    this.runtime = rt;
    this.sealing.setWallet(readProfile(this.dataDir)?.wallet ?? null);
    const sealer = sealerKeyOf(unlocked.secret);
    this.stakeKeys = { wallet: walletOf(unlocked.secret), sealer };
    await this.sealing.setKeys([{ address: sealer.address, secretKey: sealer.secretKey }]);
    this.chain.setUserSealer(sealer);
    rt.chat.on('contact', (c) => this.events.emit('contact.updated', c));
    rt.chat.on('messageAdded', (m) => this.events.emit('message.added', this.localize(m)));
    rt.chat.on('messageUpdated', (m) => this.events.emit('message.updated', this.localize(m)));
    rt.chat.on('links', () => this.scheduleStatus());
    rt.calls.on('changed', (c) => this.events.emit('calls.changed', c));
    rt.calls.on('stats', (st) => this.events.emit('calls.stats', st));
    rt.calls.on('target', (t) => this.events.emit('calls.target', t));
    rt.calls.on('media', (f) => {
      for (const l of [...this.mediaListeners]) l(f);
    });
    rt.chat.on('roster', () => this.scheduleStatus());
    await this.dapps.open(rt).catch((e: unknown) => this.logger.warn('the dapp store did not open', { error: String(e) }));
    this.events.emit('app.state', this.state());
    this.scheduleStatus();
  }

  private scheduleStatus(): void {
    if (this.statusTimer) return;
    this.statusTimer = setTimeout(() => {
      this.statusTimer = null;
      if (this.closed) return;
      this.status()
        .then((st) => this.events.emit('node.status', st))
        .catch((e: unknown) => this.logger.warn('status failed', { error: String(e) }));
    }, 250);
    this.statusTimer.unref?.();
  }

  private async stop(): Promise<void> {
    const rt = this.runtime;
    this.runtime = null;
    if (this.statusTimer) clearTimeout(this.statusTimer);
    this.statusTimer = null;
    this.chain.setUserSealer(null);
    this.stakeKeys = null;
    const wallet = this.wallet;
    this.wallet = null;
    this.walletProof = null;
    await this.payments?.close();
    this.payments = null;
    await wallet?.close(); // wipes the wallet's keys
    await this.sealing.setKeys(null); // locked: the worker and its copy of the sealer key end
    await this.dapps.close();
    if (rt) await rt.close();
  }

  close(): Promise<void> {
    return this.exclusive(async () => {
      if (this.closed) return;
      this.closed = true;
      await this.stop();
      await this.chain.close();
      await this.sealing.close();
      this.events.removeAll();
      this.lock.release();
    });
  }
}
