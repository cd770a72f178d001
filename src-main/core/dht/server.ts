/**
 * @module dht/server
 * The answering side: one function per command. Cheap before expensive: a per-IP token bucket
 * runs before anything is parsed beyond the header; PUT checks the write token (one HMAC)
 * before the record store's own cheap checks and, last, the signature.
 * Unknown non-ephemeral requesters whose id is bound to their source endpoint are "pinged
 * back" (when their bucket has room): only a contact that answers us enters the table.
 */
import type { Endpoint } from '../net';
import { RateLimiter } from '../net';
import { CMD_FIND_NODE, CMD_GET, CMD_PING, CMD_PUT, PUT_STATUS } from './constants';
import { encodeResponse, type DhtRequest, type DhtResponse, type NodeInfo } from './messages';
import type { DatagramSocket } from './rpc';
import type { RecordStore } from './record-store';
import type { RoutingTable } from './routing-table';
import type { WriteTokens } from './tokens';

type ResponseBody = DhtResponse extends infer T ? (T extends unknown ? Omit<T, 'tid' | 'id' | 'router' | 'to'> : never) : never;

export type ServerStats = { requestsReceived: number; rateLimited: number };

export type ServerContext = {
  socket: DatagramSocket;
  table: RoutingTable;
  store: RecordStore;
  tokens: WriteTokens;
  limiter: RateLimiter;
  k: number;
  stats: ServerStats;
  /** Our header id (null when ephemeral) and router flag. */
  selfId(): Uint8Array | null;
  router: boolean;
  now(): number;
  /** PING an unknown node whose id is bound to `endpoint` if its bucket has room (it enters the table only by answering). */
  probe(id: Uint8Array, endpoint: Endpoint): void;
};

function respond(ctx: ServerContext, req: DhtRequest, from: Endpoint, body: ResponseBody): void {
  const msg = { ...body, tid: req.tid, id: ctx.selfId(), router: ctx.router, to: from } as DhtResponse;
  ctx.socket.send(encodeResponse(msg), from);
}

function closestNodes(ctx: ServerContext, target: Uint8Array, from: Endpoint): NodeInfo[] {
  const fromKey = `${from.host}:${from.port}`;
  return ctx.table.closest(target, ctx.k, (c) => c.key !== fromKey).map((c) => ({ id: c.id, endpoint: c.endpoint, router: c.router }));
}

export function handleRequest(ctx: ServerContext, req: DhtRequest, from: Endpoint): void {
  ctx.stats.requestsReceived++;
  if (!ctx.limiter.take(from.host, ctx.now())) {
    ctx.stats.rateLimited++;
    return; // silence: a flood gets no amplification
  }
  if (req.id) ctx.probe(req.id, from);
  switch (req.command) {
    case CMD_PING:
      respond(ctx, req, from, { command: CMD_PING });
      return;
    case CMD_FIND_NODE:
      respond(ctx, req, from, { command: CMD_FIND_NODE, token: ctx.tokens.issue(from.host), nodes: closestNodes(ctx, req.target, from) });
      return;
    case CMD_GET: {
      const record = ctx.store.get(req.key);
      // with a record the answer carries no nodes: it stays under ~1,100 bytes (classic FIND_VALUE)
      respond(ctx, req, from, { command: CMD_GET, token: ctx.tokens.issue(from.host), record, nodes: record ? [] : closestNodes(ctx, req.key, from) });
      return;
    }
    case CMD_PUT: {
      const status = ctx.tokens.valid(from.host, req.token) ? PUT_STATUS[ctx.store.put(req.key, req.record, from.host)] : PUT_STATUS.BAD_TOKEN;
      if (status === PUT_STATUS.BAD_TOKEN) ctx.store.outcomes.BAD_TOKEN++;
      respond(ctx, req, from, { command: CMD_PUT, status });
      return;
    }
  }
}
