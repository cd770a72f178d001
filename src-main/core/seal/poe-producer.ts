/**
 * @module seal/poe-producer
 * POE as the chain service's block producer (chain/service.ts `ProducerFactory`): the
 * engine on the service's ledger and mempool, with this node's keys, a transport (the P2P
 * one on a network; an in-process hub for the embedded devnet, whose primaries all run
 * here) and the sealing worker's port; a primary holding an Ethereum key reports
 * equivocation on chain (evidence.ts). Every block in the ledger is final (single-slot
 * finality), so the RPC's `safe` and `finalized` tags are the head.
 */
import type { BlockProducer, Ledger, Mempool, ProducerFactory } from '../chain';
import { readValidatorSet } from '../chain';
import type { Logger } from '../base';
import { PoeEngine, type SealingPort } from './engine';
import { EvidenceReporter } from './evidence';
import type { PoeParams } from './params';
import { MemoryHub, type PoeTransport } from './transport';
import type { PoeKey } from './types';
import type { SetReader } from './context';

export type PoeProducer = BlockProducer & { readonly engine: PoeEngine };

export type PoeProducerOptions = {
  params: PoeParams;
  keys: { primaries: PoeKey[]; sealers: PoeKey[] };
  /** Default: a hub with only this node (every primary of the network is in `keys`). */
  transport?: PoeTransport;
  sealing?: SealingPort;
  /** Default: the staking contract's active set at the reference block. */
  readSet?: (ledger: Ledger) => SetReader;
  onEngine?: (engine: PoeEngine, ledger: Ledger, mempool: Mempool) => void;
};

export function poeProducer(o: PoeProducerOptions): ProducerFactory {
  return (ledger: Ledger, mempool: Mempool, logger: Logger): PoeProducer => {
    const transport = o.transport ?? new MemoryHub().join('self');
    const engine = new PoeEngine({
      ledger,
      mempool,
      transport,
      params: o.params,
      readSet: o.readSet ? o.readSet(ledger) : (ref) => readValidatorSet(ledger, ref.header),
      keys: { primaries: o.keys.primaries, sealers: o.keys.sealers },
      sealing: o.sealing,
      logger,
    });
    o.onEngine?.(engine, ledger, mempool);
    // A primary with an Ethereum key reports equivocation on chain (PoeStaking slashes it).
    const reporterKey = o.keys.primaries.find((k) => k.ethPrivateKey);
    const reporter = reporterKey
      ? new EvidenceReporter({ engine, ledger, mempool, key: { privateKey: reporterKey.ethPrivateKey!, address: reporterKey.address }, stakingAddress: o.params.stakingAddress, logger })
      : null;
    return {
      kind: 'poe',
      intervalMs: o.params.blockIntervalMs,
      engine,
      start: () => engine.start(),
      stop: async () => {
        reporter?.stop();
        await engine.stop();
        if (!o.transport) await transport.close();
      },
      peers: () => engine.peerCount(),
      finality: () => ({ safe: ledger.head.header.number, finalized: ledger.head.header.number }),
    };
  };
}
