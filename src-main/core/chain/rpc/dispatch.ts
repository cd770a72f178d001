/**
 * @module chain/rpc/dispatch
 * JSON-RPC 2.0 (https://www.jsonrpc.org/specification) request handling with geth's
 * envelope behaviour (go-ethereum rpc/handler.go, rpc/errors.go):
 *   - a batch is handled in order; notifications (no "id") get no entry, an all-notification
 *     batch no response at all; an empty batch is one -32600 "empty batch" error; more than
 *     1,000 entries is a one-element batch with -32600 "batch too large";
 *   - -32700 "parse error", -32600 "invalid request", -32601 "the method X does not
 *     exist/is not available", -32602 for bad params, -32000 for everything a method refuses
 *     (pool rejections keep their ChainError code), 3 for reverts with the revert data.
 */
import { BuError, silentLogger, type Logger } from '../../base';
import { ChainError, RPC_CODES, RpcError } from '../errors';

export type Method = (params: unknown) => unknown;
export type MethodTable = Record<string, Method>;

export const BATCH_LIMIT = 1000;

type Id = string | number | null;
type Response = { jsonrpc: '2.0'; id: Id; result?: unknown; error?: { code: number; message: string; data?: unknown } };

function errorResponse(id: Id, code: number, message: string, data?: unknown): Response {
  const error: Response['error'] = { code, message };
  if (data !== undefined) error.data = data;
  return { jsonrpc: '2.0', id, error };
}

export class Dispatcher {
  constructor(
    private readonly methods: MethodTable,
    private readonly logger: Logger = silentLogger,
  ) {}

  /** Handle a parsed (or raw text) JSON-RPC body; undefined = nothing to send back. */
  async handle(body: unknown): Promise<unknown | undefined> {
    if (typeof body === 'string' || body instanceof Uint8Array) {
      try {
        body = JSON.parse(typeof body === 'string' ? body : Buffer.from(body).toString('utf8'));
      } catch {
        return errorResponse(null, RPC_CODES.parse, 'parse error');
      }
    }
    if (!Array.isArray(body)) return this.one(body);
    if (body.length === 0) return errorResponse(null, RPC_CODES.invalidRequest, 'empty batch');
    if (body.length > BATCH_LIMIT) {
      const first = body.find((m) => isCall(m)) as { id?: Id } | undefined;
      return [errorResponse(first?.id ?? null, RPC_CODES.invalidRequest, 'batch too large')];
    }
    const out: Response[] = [];
    for (const msg of body) {
      const r = await this.one(msg);
      if (r) out.push(r);
    }
    return out.length ? out : undefined;
  }

  private async one(msg: unknown): Promise<Response | undefined> {
    if (!msg || typeof msg !== 'object' || Array.isArray(msg)) return errorResponse(null, RPC_CODES.invalidRequest, 'invalid request');
    const m = msg as { id?: unknown; method?: unknown; params?: unknown };
    const hasId = 'id' in m && m.id !== undefined;
    if (hasId && !validId(m.id)) return errorResponse(null, RPC_CODES.invalidRequest, 'invalid request');
    const id = (hasId ? m.id : null) as Id;
    if (typeof m.method !== 'string' || m.method === '') {
      return hasId ? errorResponse(id, RPC_CODES.invalidRequest, 'invalid request') : undefined;
    }
    const fn = Object.hasOwn(this.methods, m.method) ? this.methods[m.method] : undefined;
    if (!fn) {
      return hasId ? errorResponse(id, RPC_CODES.methodNotFound, `the method ${m.method} does not exist/is not available`) : undefined;
    }
    try {
      const result = await fn(m.params);
      return hasId ? { jsonrpc: '2.0', id, result: result === undefined ? null : result } : undefined;
    } catch (err) {
      if (!hasId) return undefined;
      return this.errorFor(id, m.method, err);
    }
  }

  private errorFor(id: Id, method: string, err: unknown): Response {
    if (err instanceof RpcError) return errorResponse(id, err.code, err.message, err.data);
    if (err instanceof ChainError) return errorResponse(id, err.rpcCode, err.message, err.data);
    if (err instanceof BuError) return errorResponse(id, RPC_CODES.server, err.message);
    this.logger.warn('rpc method failed', { method, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    return errorResponse(id, RPC_CODES.server, err instanceof Error ? err.message : String(err));
  }
}

function validId(id: unknown): boolean {
  return id === null || typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id));
}

function isCall(m: unknown): boolean {
  return !!m && typeof m === 'object' && 'id' in m && validId((m as { id: unknown }).id) && typeof (m as { method?: unknown }).method === 'string';
}
