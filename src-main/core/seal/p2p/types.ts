/**
 * @module seal/p2p/types
 * The consensus transport's public types: `PoeTransport` (the seam the consensus engine codes
 * to, defined in seal/transport.ts and shared with the in-process MemoryHub), `P2pTransport`
 * (this implementation's extras for the node that hosts it), options and statistics.
 */
import type { Logger } from '../../base';
import type { ArClient, RelaySocket, RouterHint } from '../../ar';
import type { DhtNode, DhtNodeOptions } from '../../dht';
import type { Endpoint } from '../../net';
import type { PeerInfo, SessionManager, SessionManagerOptions } from '../../session';
import type { PoeTransport } from '../transport';
import type { P2pTuning } from './constants';

/** The seam the consensus engine codes to (seal/transport.ts, shared with the in-process MemoryHub). */
export type { PoeTransport };

/** A peer to start from: an endpoint (DHT bootstrap), and the participant's address if known (then also dialled). */
export type PeerHint = Endpoint & { address?: string; routers?: Endpoint[] };

/**
 * The lower layers of a node that already runs them (the desktop node: one UDP socket for chat,
 * DHT, AR and consensus). The transport then builds nothing and closes nothing of these; the
 * node must route POE payloads to it and consult it for strangers — see README "Sharing a node's stack":
 * its SessionManager's `authorize` returns `transport.authorize(peer)` for non-friends, its
 * ArClient's `acceptPeer` consults `transport.acceptsRelay(address)`, and its chat layer skips
 * payloads for which `isPoePayload` is true.
 */
export type P2pComponents = {
  relay: RelaySocket;
  sessions: SessionManager;
  dht: DhtNode;
  ar: ArClient | null;
};

export type Reachability = 'public' | 'nat';

export type P2pTransportOptions = {
  /** secp256k1 node key: session identity and DHT record signer. */
  privateKey: Uint8Array;
  port?: number;
  host?: string;
  /** DHT bootstrap endpoints; those with an address are consensus peers to dial as well. */
  bootstrap: PeerHint[];
  /** Application routers (besides those the DHT advertises): registration behind a NAT, relay circuits. */
  routers?: RouterHint[];
  /** Addresses of participants to find via the DHT (the validator set). */
  directory?: () => string[];
  maxPeers?: number;
  /**
   * 'public' (primaries): a full DHT node, accepts connections, publishes its endpoints.
   * 'nat' (home sealers): an ephemeral DHT client, registers with routers and publishes them as
   * `via`, connects out; peers that cannot reach it directly come through a relay circuit.
   */
  reachability?: Reachability;
  /** Endpoints to declare (DHT record, HELLO). Default: the bound address unless it is 0.0.0.0; public nodes otherwise what the DHT observed. */
  advertise?: () => Endpoint[];
  /** Participants of other networks are ignored (HELLO and DHT records carry it). Default 0. */
  networkId?: bigint;
  /** Share an existing stack instead of building one. */
  components?: P2pComponents;
  /** Extra DHT options for the DHT node we build (e.g. loopback rate limits). */
  dht?: Partial<Omit<DhtNodeOptions, 'socket' | 'bootstrap' | 'ephemeral' | 'logger'>>;
  /** Extra options for the SessionManager we build. */
  session?: Partial<Pick<SessionManagerOptions, 'idleTimeoutMs' | 'handshakeTimeoutMs' | 'keepaliveMs' | 'handshakeRate' | 'rekeyAfterMs'>>;
  /** Extra options for the ArClient we build. */
  arClient?: { keepaliveMs?: number; requestTimeoutMs?: number; connectTimeoutMs?: number; retryAfterMs?: number };
  tuning?: Partial<P2pTuning>;
  logger?: Logger;
};

export type P2pPeer = { address: string; rttMs: number | null; via: 'direct' | 'relay' };

export type P2pStats = {
  peers: number;
  known: number;
  dialing: number;
  sessions: number;
  gossip: { originated: number; received: number; duplicates: number; invalid: number; badId: number; pushed: number; announced: number; pulled: number; served: number };
  frames: { payloadsIn: number; bytesIn: number; malformed: number; rateLimited: number; framesIn: number; notPeer: number };
  outbox: { framesSent: number; bytesSent: number; dropped: number; noSession: number; stalled: number };
  transfers: { started: number; completed: number; abandoned: number; refused: number; nacksSent: number; nacksServed: number; chunksResent: number; heldBytes: number; retainedBytes: number };
  requests: { sent: number; answered: number; timedOut: number; failed: number; served: number; busy: number; handlerErrors: number };
  dials: { direct: number; punched: number; relayed: number; failed: number };
  lookups: number;
  published: number;
};

export type P2pTransport = PoeTransport & {
  /** Our node address (checksummed). */
  readonly address: string;
  /** The socket's bound endpoint. */
  endpoint(): Endpoint;
  /** Endpoints and routers we declare (HELLO, DHT record). */
  declared(): { endpoints: Endpoint[]; routers: Endpoint[] };
  /** For a shared SessionManager: whether to admit a stranger as a consensus peer. */
  authorize(peer: PeerInfo): 'accept' | 'reject';
  /** For a shared ArClient: whether to accept an introduction / relay circuit from `address`. */
  acceptsRelay(address: string): boolean;
  /** Learn more peers (e.g. from the chain or the command line) and dial them if there is room. */
  addPeers(hints: PeerHint[]): void;
  stats(): P2pStats;
};
