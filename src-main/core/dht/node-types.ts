/**
 * @module dht/node-types
 * Options, statistics and result types of `DhtNode`.
 */
import type { Logger } from '../base';
import type { Endpoint } from '../net';
import type { PutStatusName } from './constants';
import type { DhtRecord } from './record';
import type { DatagramSocket } from './rpc';

export type Rate = { ratePerSec: number; burst: number };

export type DhtNodeOptions = {
  socket: DatagramSocket;
  bootstrap?: Endpoint[];
  /** Query others but never enter their routing tables (clients behind NAT). */
  ephemeral?: boolean;
  /** Advertise the ROUTER flag (AR nodes). */
  router?: boolean;
  k?: number;
  alpha?: number;
  requestTimeoutMs?: number;
  retries?: number;
  refreshIntervalMs?: number;
  tokenRotateMs?: number;
  requestRate?: Rate;
  putRate?: Rate;
  maxRecords?: number;
  maxProbes?: number;
  /** Fix the id to this endpoint (a router's public address) instead of the observed one. */
  publicEndpoint?: Endpoint;
  logger?: Logger;
  /** ms wall clock (records, tokens, rate limits). */
  now?: () => number;
};

export type LookupDetails = { record: DhtRecord | null; rounds: number; queries: number; found: number };

export type DhtStats = {
  id: string;
  ephemeral: boolean;
  nodes: number;
  records: number;
  requestsSent: number;
  retransmits: number;
  timeouts: number;
  responses: number;
  unmatchedResponses: number;
  requestsReceived: number;
  rateLimited: number;
  malformed: number;
  probes: number;
  lookups: number;
  signatureVerifications: number;
  lruPings: number;
  evictions: number;
  puts: Record<PutStatusName, number>;
};

