/**
 * @module chain/service
 * One running chain: the ledger, its mempool (restored from the journal), the block
 * producer (the devnet's, or none for a served import) and the JSON-RPC endpoint on
 * loopback. `status()` is what `node status` and the Node screen show.
 *
 * The RPC port: the caller's choice, else the port saved from the last run (wallets and
 * tools keep a URL), else 8545 (the port every Ethereum tool tries first) if free, else a
 * free one; the caller persists `rpcPort` for next time.
 */
import { join } from 'node:path';
import type { Block } from '@ethereumjs/block';
import { bytesToHex } from '@ethereumjs/util';
import type { ChainStatusT } from '../../../src-preload/contract';
import { TypedEmitter, silentLogger, type Logger } from '../base';
import { devnetSection } from './devnet';
import type { GethGenesis } from './genesis';
import { Ledger } from './ledger';
import { Mempool } from './mempool';
import type { CustomPrecompile } from '@ethereumjs/evm';
import { DevnetProducer } from './producer';
import { startRpcServer } from './rpc';

export type ChainServiceOptions = {
  /** Directory of the chain (holds chain.db). */
  dir: string;
  /** Needed to create the chain; an existing one must match it. */
  genesis?: GethGenesis;
  /**
   * What makes blocks: the devnet producer (interval in ms), another producer built on the
   * ledger and mempool (POE, core/seal), or nothing (serve only).
   */
  producer: { intervalMs: number; batchDelayMs?: number } | ProducerFactory | null;
  /** The chain's own precompiles (POE's BLS verifier at 0x…0B15). */
  precompiles?: CustomPrecompile[];
  /** JSON-RPC on loopback: ports to try in order (0 = any free port); null = no RPC. */
  rpc: { host?: string; ports: number[] } | null;
  network?: string;
  clientVersion: string;
  logger?: Logger;
  nativeBinding?: string;
};

export type ChainServiceEvents = { head: Block };

/** A block producer the service starts and stops (DevnetProducer, or POE's engine). */
export type BlockProducer = {
  readonly kind: 'devnet' | 'poe';
  /** Empty blocks are made about this often (ms). */
  readonly intervalMs: number;
  start(): void | Promise<void>;
  stop(): Promise<void>;
  /** Connected consensus peers. */
  peers?(): number;
  /** safe/finalized block numbers for the RPC (default: the head). */
  finality?(): { safe: bigint; finalized: bigint };
};
export type ProducerFactory = (ledger: Ledger, mempool: Mempool, logger: Logger) => BlockProducer | Promise<BlockProducer>;

const RECENT = 16;

export class ChainService {
  readonly events = new TypedEmitter<ChainServiceEvents>();
  private recent: number[] = [];
  private offHead: () => void;

  private constructor(
    readonly ledger: Ledger,
    readonly mempool: Mempool,
    readonly producer: BlockProducer | null,
    private readonly rpc: { url: string; port: number; close(): Promise<void> } | null,
    readonly network: string,
  ) {
    this.offHead = ledger.events.on('head', (b) => {
      this.remember(b);
      this.events.emit('head', b);
    });
    for (let n = ledger.head.header.number, i = 0; n >= 0n && i < RECENT; n--, i++) {
      const b = ledger.blockByNumber(n);
      if (b) this.recent.unshift(Number(b.header.timestamp));
    }
  }

  static async start(o: ChainServiceOptions): Promise<ChainService> {
    const logger = o.logger ?? silentLogger;
    const ledger = await Ledger.open({ file: join(o.dir, 'chain.db'), genesis: o.genesis, logger, nativeBinding: o.nativeBinding, precompiles: o.precompiles });
    let producer: BlockProducer | null = null;
    try {
      const mempool = new Mempool(ledger, logger);
      const restored = await mempool.restore();
      if (restored) logger.info('mempool restored', { transactions: restored });
      producer = typeof o.producer === 'function' ? await o.producer(ledger, mempool, logger) : o.producer ? devnetProducer(ledger, mempool, o.producer, logger) : null;
      const p = producer;
      const rpc = o.rpc ? await listenFirst(ledger, p ? mempool : null, o, logger, p?.finality ? () => p.finality!() : undefined) : null;
      const network = o.network ?? devnetSection(ledger.genesis)?.network ?? `Chain ${ledger.chainId}`;
      const service = new ChainService(ledger, mempool, producer, rpc, network);
      await producer?.start();
      logger.info('chain running', { network, head: Number(ledger.head.header.number), rpc: rpc?.url ?? null });
      return service;
    } catch (err) {
      await producer?.stop().catch(() => undefined);
      await ledger.close();
      throw err;
    }
  }

  get rpcUrl(): string | null {
    return this.rpc?.url ?? null;
  }
  get rpcPort(): number | null {
    return this.rpc?.port ?? null;
  }

  async status(): Promise<ChainStatusT> {
    const h = this.ledger.head.header;
    const first = this.recent[0];
    const last = this.recent[this.recent.length - 1];
    const spans = this.recent.length - 1;
    return {
      network: this.network,
      producer: this.producer?.kind ?? 'none',
      chainId: Number(this.ledger.chainId),
      head: {
        number: Number(h.number),
        hash: bytesToHex(this.ledger.head.hash()),
        timestamp: Number(h.timestamp) * 1000,
        txs: this.ledger.head.transactions.length,
        gasUsed: Number(h.gasUsed),
        gasLimit: Number(h.gasLimit),
        baseFeeWei: (h.baseFeePerGas ?? 0n).toString(),
      },
      blockTimeSec: spans > 0 && first !== undefined && last !== undefined ? Math.round(((last - first) / spans) * 100) / 100 : null,
      intervalSec: this.producer ? this.producer.intervalMs / 1000 : null,
      mempool: await this.mempool.counts(),
      peers: this.producer?.peers?.() ?? 0,
      rpcUrl: this.rpcUrl,
    };
  }

  async close(): Promise<void> {
    this.offHead();
    await this.producer?.stop();
    await this.rpc?.close().catch(() => undefined);
    await this.ledger.close();
  }

  private remember(b: Block): void {
    this.recent.push(Number(b.header.timestamp));
    if (this.recent.length > RECENT) this.recent.shift();
  }
}

function devnetProducer(ledger: Ledger, mempool: Mempool, o: { intervalMs: number; batchDelayMs?: number }, logger: Logger): BlockProducer {
  const p = new DevnetProducer(ledger, mempool, { ...o, logger });
  return { kind: 'devnet', intervalMs: o.intervalMs, start: () => p.start(), stop: () => p.stop() };
}

async function listenFirst(ledger: Ledger, mempool: Mempool | null, o: ChainServiceOptions, logger: Logger, finality?: () => { safe: bigint; finalized: bigint }) {
  const ports = o.rpc!.ports.length ? o.rpc!.ports : [0];
  let lastErr: unknown;
  for (const port of ports) {
    try {
      return await startRpcServer({ ledger, mempool, clientVersion: o.clientVersion, logger, host: o.rpc!.host ?? '127.0.0.1', port, finality });
    } catch (err) {
      lastErr = err;
      logger.info('RPC port unavailable, trying the next', { port, error: String(err) });
    }
  }
  throw lastErr;
}
