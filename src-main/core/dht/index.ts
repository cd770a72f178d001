/**
 * @module dht
 * Kademlia DHT on the shared UDP socket (first bytes 0x20/0x21) with endpoint-bound ids and
 * signed, expiring endpoint records keyed by H(address ‖ appId). See README.md.
 */
export { DhtNode, type DhtNodeOptions, type DhtStats, type LookupDetails } from './dht-node';
export { type DatagramSocket } from './rpc';
export { type NodeInfo, decodeMessage, encodeRequest, encodeResponse, isDhtPacket, type DhtMessage, type DhtRequest, type DhtResponse } from './messages';
export {
  type DhtRecord,
  type RecordEntry,
  type UnsignedRecord,
  type DhtIdentity,
  recordKey,
  signRecord,
  verifyRecord,
  encodeRecord,
  decodeRecord,
  recordAddress,
} from './record';
export { type PublishOptions, type PublishResult } from './publisher';
export { type Observation } from './observations';
export { DhtWireError, isDhtWireError } from './wire';
export { nodeIdOf, idMatchesEndpoint } from './node-id';
export {
  CHAT_APP_ID,
  ROUTER_APP_ID,
  POE_APP_ID,
  DHT_REQUEST,
  DHT_RESPONSE,
  MAX_RECORD_BYTES,
  MAX_EXTRA_BYTES,
  MAX_RECORD_TTL_SEC,
  PUT_STATUS,
  type PutStatusName,
} from './constants';
