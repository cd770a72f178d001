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
 *
 * Blocks come from POE (core/seal) when the genesis has a `bitunicom.poe` section: the
 * devnet's primaries (and a helper sealer, so blocks are sealed while the user's computer is
 * busy) run in this process with keys made with the devnet (`devnet-validators.json`), and
 * the user's own sealer key — registered in the genesis from the public key saved at account
 * creation — seals through the sealing worker once the account is unlocked. A devnet made
 * before POE keeps the single-authority devnet producer until it is reset.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Block } from '@ethereumjs/block';
import type { ChainStatusT, PoeStatusT } from '../../../src-preload/contract';
import { BuError, TypedEmitter, type Logger } from '../base';
import { deriveIdentity, identityFromPrivateKey, mnemonicToSeed, walletAccountPath, type VaultSecret } from '../account';
import { ChainService, blsVerifyPrecompile, devnetSection, loadArtifact, materializeDevnet, parseGenesis, stakingParams, type GethGenesis, type ProducerFactory } from '../chain';
import { inlineSealing, loadDevnetValidators, poeParams, poeProducer, randomPoeKey, saveDevnetValidators, type DevnetValidators, type PoeEngine, type PoeKey, type SealingPort } from '../seal';
import { bytesToHex, hexToBytes } from '@ethereumjs/util';
import { readProfile, updateProfile } from './profile';
import { sealerKeyOf } from './sealing-keys';

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
  /** The sealing worker's port (the user's sealer key seals there); default: inline. */
  sealing?: () => SealingPort;
};

/** The embedded devnet's in-process POE committee. */
const DEVNET_PRIMARIES = 2;
const DEVNET_SEALERS = 1;
const VALIDATORS_FILE = 'devnet-validators.json';

export type ChainHostEvents = { head: Block; state: { running: boolean } };

/**
 * Each profile's devnet gets its own EIP-155 chain id, 16981·10⁵ + the first two bytes of its
 * wallet address (1698100000–1698165535, within 32 bits for every wallet and signer): with one
 * chain id for all, a transaction signed for one user's devnet would replay on another's, and
 * a friend who adds your devnet as a network (to be paid there) could not tell the two apart.
 */
export function devnetChainId(wallet: string): number {
  return 16981 * 100_000 + parseInt(wallet.slice(2, 6), 16);
}

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
  private engine: PoeEngine | null = null;
  private userSealer: PoeKey | null = null;
  private devnetSealers: PoeKey[] = [];

  constructor(private readonly o: ChainHostOptions) {}

  /** The running POE engine (null: no chain, or a pre-POE devnet). */
  get poe(): PoeEngine | null {
    return this.engine;
  }

  /** POE's part of the node status (null: no chain, or a pre-POE devnet). */
  poeStatus(): PoeStatusT | null {
    const e = this.engine;
    if (!e) return null;
    const s = e.status();
    return {
      role: 'authority', // the embedded devnet: its whole committee runs in this process
      height: s.height.toString(),
      round: s.round,
      finalized: s.finalized.toString(),
      finalityP50Ms: s.finalityP50Ms,
      primaries: s.primaries,
      sealers: s.sealers,
      sync: { state: s.sync.state, height: s.sync.height.toString(), target: s.sync.target.toString(), peers: s.sync.peers },
    };
  }

  /** The user's sealer key after unlock (null on lock): it seals through the sealing port. */
  setUserSealer(key: { address: string; secretKey: Uint8Array; publicKey: Uint8Array } | null): void {
    this.userSealer = key && { address: key.address.toLowerCase() as `0x${string}`, blsSecret: key.secretKey, blsPublic: key.publicKey };
    this.engine?.setSealerKeys([...this.devnetSealers, ...(this.userSealer ? [this.userSealer] : [])]);
  }

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
    const sealerPubkey = bytesToHex(sealerKeyOf(secret).publicKey);
    const p = readProfile(this.o.dataDir);
    if (p?.wallet?.toLowerCase() !== wallet.toLowerCase() || p?.sealerPubkey !== sealerPubkey) updateProfile(this.o.dataDir, { wallet, sealerPubkey });
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
    this.engine = null;
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
      const parsed = JSON.parse(readFileSync(join(res, 'chain', 'devnet-genesis.json'), 'utf8')) as { config: { chainId: number } };
      parsed.config.chainId = devnetChainId(profile.wallet);
      const template = JSON.stringify(parsed);
      mkdirSync(this.dir, { recursive: true });
      const poe = this.devnetCommittee(template, profile.sealerPubkey ?? null, profile.wallet);
      const g = await materializeDevnet(template, profile.wallet, (name) => loadArtifact(res, name), Date.now(), poe ? { poe } : {});
      for (const k of poe ? [...poe.primaries, ...poe.sealers.slice(0, DEVNET_SEALERS)] : []) g.alloc[k.address] = { balance: '0x56bc75e2d63100000' }; // 100 tokens for gas
      genesisText = JSON.stringify(g, null, 2);
      writeFileSync(`${genesisFile}.tmp`, genesisText);
      renameSync(`${genesisFile}.tmp`, genesisFile);
    }
    const genesis = parseGenesis(genesisText);
    const section = devnetSection(genesis);
    const preferred = this.o.rpcPort !== undefined ? [this.o.rpcPort] : [...(profile.rpcPort ? [profile.rpcPort] : []), 8545, 0];
    const ports = this.keepPort ? [this.keepPort, ...preferred] : preferred;
    this.keepPort = null;
    const intervalMs = this.o.intervalMs ?? (section?.blockIntervalSec ?? 5) * 1000;
    const service = await ChainService.start({
      dir: this.dir,
      genesis,
      producer: this.producerFor(genesis, intervalMs) ?? { intervalMs },
      precompiles: [blsVerifyPrecompile()],
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
    this.engine = (service.producer as { engine?: PoeEngine } | null)?.engine ?? null;
    this.events.emit('state', { running: true });
    return service;
  }

  /** POE for a genesis with a `bitunicom.poe` section and the devnet's committee keys; null: the devnet producer. */
  private producerFor(genesis: GethGenesis, intervalMs: number): ProducerFactory | null {
    if (!stakingParams(genesis)) return null;
    const v = loadDevnetValidators(join(this.dir, VALIDATORS_FILE));
    if (!v) {
      this.o.logger.warn('this POE devnet has no committee keys here: it cannot make blocks (reset the devnet)');
      return null;
    }
    this.devnetSealers = v.sealers;
    const inline = inlineSealing(v.sealers);
    const user = this.o.sealing?.();
    const devnet = new Set<string>(v.sealers.map((k) => k.address));
    const port: SealingPort = user
      ? {
          submit(job) {
            const mine = job.sealers.filter((x) => devnet.has(x.address.toLowerCase()));
            const theirs = job.sealers.filter((x) => !devnet.has(x.address.toLowerCase()));
            if (mine.length) inline.submit({ ...job, sealers: mine });
            if (theirs.length) user.submit({ ...job, sealers: theirs });
          },
          onSeal(cb) {
            const a = inline.onSeal(cb);
            const b = user.onSeal(cb);
            return () => (a(), b());
          },
        }
      : inline;
    return poeProducer({
      params: poeParams(genesis as never, { blockIntervalMs: intervalMs }),
      keys: { primaries: v.primaries, sealers: [...v.sealers, ...(this.userSealer ? [this.userSealer] : [])] },
      sealing: port,
    });
  }

  /** Makes (and saves) the devnet's committee: in-process primaries, a helper sealer and the user's sealer. */
  private devnetCommittee(templateText: string, sealerPubkey: string | null, wallet: string): { primaries: PoeSeat[]; sealers: PoeSeat[] } | null {
    const params = stakingParams(JSON.parse(templateText));
    if (!params) return null;
    const v: DevnetValidators = { primaries: Array.from({ length: DEVNET_PRIMARIES }, randomPoeKey), sealers: Array.from({ length: DEVNET_SEALERS }, randomPoeKey) };
    saveDevnetValidators(join(this.dir, VALIDATORS_FILE), v);
    const seat = (k: PoeKey, stake: bigint): PoeSeat => ({ address: k.address, publicKey: k.blsPublic, stake });
    return {
      primaries: v.primaries.map((k) => seat(k, params.minPrimaryStake)),
      sealers: [
        ...v.sealers.map((k) => seat(k, params.minSealerStake)),
        ...(sealerPubkey ? [{ address: wallet.toLowerCase(), publicKey: hexToBytes(sealerPubkey as `0x${string}`), stake: params.minSealerStake }] : []),
      ],
    };
  }
}

type PoeSeat = { address: string; publicKey: Uint8Array; stake: bigint };
