/**
 * @module seal/poe-node
 * A node of a POE network outside the desktop app (`bitunicom node --role …`, the
 * multi-process `bitunicom devnet`): its own ledger (`<dir>/chain.db`), the consensus
 * transport over the P2P stack (p2p/: UDP, DHT records under POE_APP_ID, sessions, router
 * relays), the engine with this node's keys, and optionally the Ethereum JSON-RPC. Primaries
 * are public nodes; sealers may sit behind NATs (reachability 'nat': they connect out and
 * are reached through routers). On start it catches up from its peers, verifying every block
 * (sync.ts) before it takes part. The validator set (re-read every DIRECTORY_REFRESH_MS; a
 * NATed sealer keeps only its primaries) is the transport's directory: participants it looks
 * up in the DHT, so a primary finds a sealer that no path but its routers reaches and dials it
 * through a relay circuit (p2p/README, "Sequences").
 */
import type { Endpoint } from '../net';
import { silentLogger, type Logger } from '../base';
import { ChainService, blsVerifyPrecompile, readValidatorSet, type GethGenesis } from '../chain';
import type { SealingPort } from './engine';
import { createP2pTransport, type P2pTransport, type PeerHint, type Reachability } from './p2p';
import { poeParams, type PoeParams } from './params';
import { poeProducer, type PoeProducer } from './poe-producer';
import type { PoeKey } from './types';

export type PoeNodeOptions = {
  dir: string;
  /** Required the first time (creates the ledger); later it must match the stored one. */
  genesis: GethGenesis;
  keys: { primaries: PoeKey[]; sealers: PoeKey[] };
  /** secp256k1 key of the node's P2P identity. */
  nodeKey: Uint8Array;
  bootstrap: PeerHint[];
  routers?: Endpoint[];
  port?: number;
  host?: string;
  reachability?: Reachability;
  /** JSON-RPC ports to try (0 = any); null = no RPC. */
  rpc?: { ports: number[] } | null;
  params?: Partial<PoeParams>;
  sealing?: SealingPort;
  logger?: Logger;
  nativeBinding?: string;
  clientVersion?: string;
};

export type PoeNode = {
  service: ChainService;
  transport: P2pTransport;
  producer: PoeProducer;
  endpoint(): Endpoint;
  close(): Promise<void>;
};

const DIRECTORY_REFRESH_MS = 10_000;

export async function startPoeNode(o: PoeNodeOptions): Promise<PoeNode> {
  const logger = o.logger ?? silentLogger;
  const params = poeParams(o.genesis as never, o.params ?? {});
  const reachability = o.reachability ?? (o.keys.primaries.length ? 'public' : 'nat');
  let members: string[] = [];
  const transport = await createP2pTransport({
    privateKey: o.nodeKey,
    port: o.port ?? 0,
    host: o.host ?? '127.0.0.1',
    bootstrap: o.bootstrap,
    routers: o.routers?.map((e) => ({ ...e })) as never,
    reachability,
    networkId: BigInt((o.genesis.config as { chainId?: number }).chainId ?? 0),
    directory: () => members,
    logger,
  });
  let producer: PoeProducer | null = null;
  try {
    const service = await ChainService.start({
      dir: o.dir,
      genesis: o.genesis,
      producer: async (ledger, mempool, log) => {
        producer = poeProducer({ params, keys: o.keys, transport, sealing: o.sealing })(ledger, mempool, log) as PoeProducer;
        return producer;
      },
      precompiles: [blsVerifyPrecompile()],
      rpc: o.rpc === undefined ? null : o.rpc,
      clientVersion: o.clientVersion ?? 'BitUnicom/poe-node',
      logger,
      nativeBinding: o.nativeBinding,
    });
    const refresh = async () => {
      const set = await readValidatorSet(service.ledger, service.ledger.head.header);
      // a NATed sealer needs the primaries only (no sealer-to-sealer circuits through the routers)
      members = [...set.primaries, ...(reachability === 'public' ? set.sealers : [])].map((v) => v.address);
    };
    await refresh().catch((e: unknown) => logger.warn('poe: reading the validator set failed', { error: String(e) }));
    const directoryTimer = setInterval(() => void refresh().catch(() => undefined), DIRECTORY_REFRESH_MS);
    directoryTimer.unref?.();
    return {
      service,
      transport,
      producer: producer!,
      endpoint: () => transport.endpoint(),
      async close() {
        clearInterval(directoryTimer);
        await service.close();
        await transport.close();
      },
    };
  } catch (err) {
    await transport.close();
    throw err;
  }
}
