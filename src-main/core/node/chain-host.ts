/**
 * @module node/chain-host
 * The node's chain: the embedded devnet by default. It runs whenever the profile knows its
 * wallet address (a public value saved at account creation or unlock), locked or not, so
 * the RPC endpoint and the Node screen work before the password is typed.
 *
 * First start: the devnet template from `<resources>/chain/devnet-genesis.json` becomes
 * this user's genesis (wallet prefunded, test token deployed; chain/devnet.ts), saved as
 * `<data>/chain/genesis.json`, then the ledger is created in `<data>/chain/chain.db`.
 * `reset()` stops the chain, deletes that folder and starts a new genesis.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Block } from '@ethereumjs/block';
import type { ChainStatusT } from '../../../src-preload/contract';
import { BuError, TypedEmitter, type Logger } from '../base';
import { deriveIdentity, identityFromPrivateKey, mnemonicToSeed, walletAccountPath, type VaultSecret } from '../account';
import { ChainService, devnetSection, loadArtifact, materializeDevnet, parseGenesis } from '../chain';
import { readProfile, updateProfile } from './profile';

export type ChainHostOptions = {
  dataDir: string;
  /** Folder with chain/devnet-genesis.json and contracts/artifacts (the app's resources). */
  resourcesDir?: string;
  /** Fixed RPC port (0 = any); default: last run's port, else 8545, else any. */
  rpcPort?: number;
  /** Empty-block interval; default: the template's blockIntervalSec. */
  intervalMs?: number;
  /** false: no chain at all (routers, some tests). */
  enabled?: boolean;
  clientVersion: string;
  logger: Logger;
  nativeBinding?: string;
};

export type ChainHostEvents = { head: Block; state: { running: boolean } };

/** The wallet's first account, m/44'/60'/0'/0/0 (BIP-44); a raw-key profile uses that key. */
export function walletAddressOf(secret: VaultSecret): string {
  if (secret.kind === 'key') return identityFromPrivateKey(secret.privateKey).address;
  return deriveIdentity(mnemonicToSeed(secret.mnemonic), walletAccountPath(0)).address;
}

export class ChainHost {
  readonly events = new TypedEmitter<ChainHostEvents>();
  private service: ChainService | null = null;
  private starting: Promise<ChainService | null> | null = null;
  private offHead: (() => void) | null = null;
  private closed = false;
  private keepPort: number | null = null;

  constructor(private readonly o: ChainHostOptions) {}

  get dir(): string {
    return join(this.o.dataDir, 'chain');
  }
  get running(): ChainService | null {
    return this.service;
  }
  get rpcUrl(): string | null {
    return this.service?.rpcUrl ?? null;
  }

  /** Remember the wallet address (public) so the chain can run while locked. */
  rememberWallet(secret: VaultSecret): string {
    const wallet = walletAddressOf(secret);
    if (readProfile(this.o.dataDir)?.wallet?.toLowerCase() !== wallet.toLowerCase()) updateProfile(this.o.dataDir, { wallet });
    return wallet;
  }

  /** Start the chain if it can run (wallet known, resources present). Idempotent. */
  start(): Promise<ChainService | null> {
    if (this.service) return Promise.resolve(this.service);
    if (this.starting) return this.starting;
    this.starting = this.startNow().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  async status(): Promise<ChainStatusT | null> {
    return this.service ? this.service.status() : null;
  }

  /** Erase the devnet and start it over from a fresh genesis. */
  async reset(): Promise<void> {
    if (this.o.enabled === false) {
      // This process does not run the chain (a one-shot CLI command): the next start makes a new one.
      rmSync(this.dir, { recursive: true, force: true });
      return;
    }
    const s = this.service ?? (await this.start());
    if (s && s.producer === null) throw new BuError('BAD_INPUT', 'This chain is not the embedded devnet; it cannot be reset.');
    // Keep the RPC URL wallets and tools were given, even when the port was chosen at random.
    this.keepPort = s?.rpcPort ?? null;
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
    this.o.logger.warn('devnet reset: every block and balance was erased');
    await this.start();
  }

  async stop(): Promise<void> {
    await this.starting?.catch(() => null);
    const s = this.service;
    this.service = null;
    this.offHead?.();
    this.offHead = null;
    if (s) {
      await s.close();
      this.events.emit('state', { running: false });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.stop();
  }

  private async startNow(): Promise<ChainService | null> {
    if (this.closed || this.o.enabled === false) return null;
    const profile = readProfile(this.o.dataDir);
    if (!profile?.wallet) return null;
    const genesisFile = join(this.dir, 'genesis.json');
    let genesisText: string;
    if (existsSync(genesisFile)) {
      genesisText = readFileSync(genesisFile, 'utf8');
    } else {
      const res = this.o.resourcesDir;
      if (!res || !existsSync(join(res, 'chain', 'devnet-genesis.json'))) {
        this.o.logger.warn('no devnet template in the resources folder: the chain stays off', { resourcesDir: res ?? null });
        return null;
      }
      const g = await materializeDevnet(readFileSync(join(res, 'chain', 'devnet-genesis.json'), 'utf8'), profile.wallet, (name) =>
        loadArtifact(res, name),
      );
      genesisText = JSON.stringify(g, null, 2);
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(`${genesisFile}.tmp`, genesisText);
      renameSync(`${genesisFile}.tmp`, genesisFile);
    }
    const genesis = parseGenesis(genesisText);
    const section = devnetSection(genesis);
    const preferred = this.o.rpcPort !== undefined ? [this.o.rpcPort] : [...(profile.rpcPort ? [profile.rpcPort] : []), 8545, 0];
    const ports = this.keepPort ? [this.keepPort, ...preferred] : preferred;
    this.keepPort = null;
    const service = await ChainService.start({
      dir: this.dir,
      genesis,
      producer: { intervalMs: this.o.intervalMs ?? (section?.blockIntervalSec ?? 5) * 1000 },
      rpc: { ports: [...new Set(ports)] },
      clientVersion: this.o.clientVersion,
      logger: this.o.logger,
      nativeBinding: this.o.nativeBinding,
    });
    if (this.closed) {
      await service.close();
      return null;
    }
    if (this.o.rpcPort === undefined && service.rpcPort && service.rpcPort !== profile.rpcPort) {
      updateProfile(this.o.dataDir, { rpcPort: service.rpcPort });
    }
    this.service = service;
    this.offHead = service.events.on('head', (b) => this.events.emit('head', b));
    this.events.emit('state', { running: true });
    return service;
  }
}
