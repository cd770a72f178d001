/**
 * @module seal/p2p
 * The POE consensus transport over the product's P2P stack (README.md): sessions over UDP or
 * AR relay circuits, discovery through the DHT (POE_APP_ID records), peer exchange and the
 * bootstrap list, gossip with validation before relay, chunked 4 MiB messages, requests.
 */
export { createP2pTransport } from './create';
export { PoeP2pTransport } from './transport';
export { isPoePayload } from './codec';
export { POE_TAG, MAX_MESSAGE, DEFAULT_TUNING, type P2pTuning } from './constants';
export type { PoeTransport, P2pTransport, P2pTransportOptions, P2pComponents, P2pPeer, P2pStats, PeerHint, Reachability } from './types';
