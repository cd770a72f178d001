/**
 * @module wallet/rpc-client
 * A JSON-RPC 2.0 client (https://www.jsonrpc.org/specification) over `fetch` for Ethereum nodes
 * (execution-apis: https://ethereum.github.io/execution-apis/api-documentation/).
 *
 * Every request has a hard deadline (`timeoutMs`, default 8 s; an AbortController covering the
 * connection, the headers AND the body), so a black-holed or stalling RPC never hangs a caller.
 * Answers are capped (`maxResponseBytes`, 32 MiB). Redirects are reported, not followed (a POST
 * turned into a GET, or sent to another host, is not what the user configured). Failures are
 * `RpcClientError`s whose one sentence names the host only (paths often carry an API key):
 *   RPC_UNREACHABLE  no answer; `why` = refused | dns | timeout | reset | tls | other
 *   RPC_ERROR        the node's JSON-RPC error; `rpcCode`, `rpcMessage`, `rpcData` kept
 *   RPC_BAD_RESPONSE an answer that is not a JSON-RPC 2.0 response to this request
 * `kind` and `code` are that name (bridge error codes).
 * URLs: http: and https: only. Credentials in the URL are refused (the Fetch standard forbids
 * them in a request URL, and they would be stored and shown in clear text), and so are the ports
 * fetch blocks. bigint params are sent as JSON-RPC quantities (0x-hex): no floats on the way.
 */
import { BuError } from '../base';

export type RpcFailure = 'RPC_UNREACHABLE' | 'RPC_ERROR' | 'RPC_BAD_RESPONSE';
export type UnreachableWhy = 'refused' | 'dns' | 'timeout' | 'reset' | 'tls' | 'other';

type RpcErrorDetails = { why?: UnreachableWhy; rpcCode?: number; rpcMessage?: string; rpcData?: unknown; httpStatus?: number };

export class RpcClientError extends BuError {
  /** RPC_UNREACHABLE: why. RPC_ERROR: the node's error object. RPC_BAD_RESPONSE: the HTTP status, when there was one. */
  declare readonly why?: UnreachableWhy;
  declare readonly rpcCode?: number;
  declare readonly rpcMessage?: string;
  declare readonly rpcData?: unknown;
  declare readonly httpStatus?: number;
  constructor(
    readonly kind: RpcFailure,
    readonly host: string,
    message: string,
    { cause, ...details }: RpcErrorDetails & { cause?: unknown } = {},
  ) {
    super(kind, message, { cause });
    this.name = 'RpcClientError';
    Object.assign(this, details);
  }
}

// Fetch standard, "bad port" (https://fetch.spec.whatwg.org/#port-blocking).
const BAD_PORTS = new Set([
  0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117,
  119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636,
  989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

const bad = (message: string) => new BuError('BAD_INPUT', message);
const clip = (s: string, n = 60) => {
  const t = s.replace(/\p{Cc}+/gu, ' ').trim();
  return t.length > n ? `${t.slice(0, n)}…` : t;
};

/** Validate an http(s) URL (trimmed) and return it parsed. `subject` names the field in the sentence. */
export function parseHttpUrl(input: unknown, subject = 'The RPC URL'): URL {
  if (typeof input !== 'string') throw bad(`${subject} must be given as text.`);
  const s = input.trim();
  if (s === '') throw bad(`${subject} is empty.`);
  if (s.length > 2048) throw bad(`${subject} is longer than 2048 characters.`);
  if (/[\s\p{Cc}]/u.test(s)) throw bad(`${subject} contains spaces or control characters.`);
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) throw bad(`${subject} must start with http:// or https://.`);
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    throw bad(`${subject} "${clip(s)}" is not a valid URL; it should look like https://rpc.example.org.`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    const ws = u.protocol === 'ws:' || u.protocol === 'wss:' ? ' (WebSocket endpoints are not supported)' : '';
    throw bad(`${subject} must start with http:// or https://, not ${u.protocol}//${ws}.`);
  }
  if (u.username !== '' || u.password !== '') {
    throw bad(`${subject} must not contain a user name or password: browsers' fetch refuses them and they would be stored in clear text.`);
  }
  if (u.hostname === '') throw bad(`${subject} has no host name.`);
  const port = u.port === '' ? (u.protocol === 'https:' ? 443 : 80) : Number(u.port);
  if (BAD_PORTS.has(port)) throw bad(`${subject} uses port ${port}, which fetch blocks because it belongs to another protocol.`);
  return u;
}

export type RpcClientOptions = { timeoutMs?: number; maxResponseBytes?: number };
export type RpcParams = readonly unknown[] | Record<string, unknown>;
export type RpcRequest = { method: string; params?: RpcParams };
export type RpcSettled<T = unknown> = { ok: true; value: T } | { ok: false; error: RpcClientError };

type Response2 = { id: unknown; result?: unknown; error?: { code: number; message: string; data?: unknown } };

function checkTimeout(ms: unknown): number {
  if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 1 || ms > 600_000) throw bad('The RPC timeout must be a whole number of milliseconds from 1 to 600000.');
  return ms;
}

function toJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v) => {
      if (typeof v !== 'bigint') return v;
      if (v < 0n) throw bad(`A JSON-RPC quantity cannot be negative (${v}).`);
      return `0x${v.toString(16)}`;
    });
  } catch (e) {
    if (e instanceof BuError) throw e;
    throw bad(`The JSON-RPC params cannot be sent as JSON (${e instanceof Error ? e.message : String(e)}).`);
  }
}

export class RpcClient {
  readonly url: string;
  /** host[:port], what error sentences show. */
  readonly host: string;
  readonly hostname: string;
  readonly timeoutMs: number;
  private readonly maxBytes: number;
  private nextId = 1;

  constructor(url: string, opts: RpcClientOptions = {}) {
    const u = parseHttpUrl(url);
    this.url = u.href;
    this.host = u.host;
    this.hostname = u.hostname;
    this.timeoutMs = checkTimeout(opts.timeoutMs ?? 8000);
    const max = opts.maxResponseBytes ?? 32 * 1024 * 1024;
    if (!Number.isInteger(max) || max < 1) throw bad('The RPC response limit must be a positive whole number of bytes.');
    this.maxBytes = max;
  }

  /** One call; resolves with `result`, rejects with an RpcClientError (or BuError BAD_INPUT for bad arguments). */
  async call<T = unknown>(method: string, params?: RpcParams, opts: { timeoutMs?: number } = {}): Promise<T> {
    const req = this.request({ method, params });
    const body = await this.post(toJson(req), opts.timeoutMs, method);
    return this.settle(body, req.id, method) as T;
  }

  /** Several calls in one HTTP request; results in request order. A failure of the whole request rejects. */
  async batch(calls: readonly RpcRequest[], opts: { timeoutMs?: number } = {}): Promise<RpcSettled[]> {
    if (!Array.isArray(calls) || calls.length === 0) throw bad('A JSON-RPC batch needs at least one call.');
    const reqs = calls.map((c) => this.request(c));
    const body = await this.post(toJson(reqs), opts.timeoutMs, 'batch');
    if (!Array.isArray(body)) {
      this.settle(body, null, 'batch'); // a single error object answering the whole batch throws RPC_ERROR
      throw this.badResponse('answered a batch with a single object instead of an array');
    }
    const byId = new Map<unknown, unknown>();
    for (const r of body) if (typeof r === 'object' && r !== null) byId.set((r as Response2).id, r);
    return reqs.map((req) => {
      try {
        if (!byId.has(req.id)) throw this.badResponse(`left ${req.method} (request ${req.id}) of the batch unanswered`);
        return { ok: true as const, value: this.settle(byId.get(req.id), req.id, req.method) };
      } catch (e) {
        if (e instanceof RpcClientError) return { ok: false as const, error: e };
        throw e;
      }
    });
  }

  private request(c: RpcRequest): { jsonrpc: '2.0'; id: number; method: string; params: RpcParams } {
    if (typeof c !== 'object' || c === null || typeof c.method !== 'string' || !/^[A-Za-z][A-Za-z0-9_]{0,99}$/.test(c.method)) {
      throw bad('A JSON-RPC method name is 1 to 100 letters, digits or underscores, such as eth_chainId.');
    }
    const params = c.params ?? [];
    if (typeof params !== 'object' || params === null) throw bad('JSON-RPC params must be an array or an object.');
    return { jsonrpc: '2.0', id: this.nextId++, method: c.method, params };
  }

  private badResponse(what: string, httpStatus?: number, cause?: unknown): RpcClientError {
    return new RpcClientError('RPC_BAD_RESPONSE', this.host, `The RPC at ${this.host} ${what}.`, { httpStatus, cause });
  }

  /** The result of one response object, or the error it carries. */
  private settle(r: unknown, id: number | null, method: string): unknown {
    const o = r as Response2;
    if (typeof r !== 'object' || r === null || Array.isArray(r) || (r as { jsonrpc?: unknown }).jsonrpc !== '2.0') {
      throw this.badResponse(`answered ${method} with JSON that is not a JSON-RPC 2.0 response`);
    }
    if ('error' in o) {
      const e = o.error;
      if (typeof e !== 'object' || e === null || !Number.isInteger(e.code) || typeof e.message !== 'string' || (o.id !== id && o.id !== null)) {
        throw this.badResponse(`answered ${method} with a malformed JSON-RPC error`);
      }
      const msg = clip(e.message, 300);
      throw new RpcClientError('RPC_ERROR', this.host, `The RPC at ${this.host} rejected ${method}: ${msg || 'no reason given'} (JSON-RPC error ${e.code}).`, {
        rpcCode: e.code,
        rpcMessage: e.message,
        rpcData: e.data,
      });
    }
    if (o.id !== id) throw this.badResponse(`answered ${method} with the id of another request`);
    if (!('result' in o)) throw this.badResponse(`answered ${method} with neither a result nor an error`);
    return o.result;
  }

  private async post(body: string, timeoutMs: number | undefined, method: string): Promise<unknown> {
    const ms = timeoutMs === undefined ? this.timeoutMs : checkTimeout(timeoutMs);
    const ac = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ac.abort();
    }, ms);
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body,
        signal: ac.signal,
        redirect: 'manual',
      });
      if (res.status >= 300 && res.status < 400) {
        const loc = res.headers.get('location');
        const to = loc && URL.canParse(loc, this.url) ? ` to ${new URL(loc, this.url).host}` : '';
        throw this.badResponse(`redirects${to} (HTTP ${res.status}); enter the address it redirects to instead`, res.status);
      }
      const text = await this.readBody(res);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (e) {
        if (!res.ok) throw this.badResponse(`answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''} instead of JSON-RPC`, res.status, e);
        throw this.badResponse(`answered ${method} with something that is not JSON ("${clip(text, 40)}")`, res.status, e);
      }
      return json;
    } catch (e) {
      if (e instanceof BuError) throw e;
      if (timedOut) {
        throw new RpcClientError('RPC_UNREACHABLE', this.host, `The RPC at ${this.host} did not answer ${method} within ${ms % 1000 ? `${ms} ms` : `${ms / 1000} s`}.`, { why: 'timeout', cause: e });
      }
      throw this.unreachable(e);
    } finally {
      clearTimeout(timer);
      ac.abort(); // releases an unread body; a no-op once it was read
    }
  }

  private async readBody(res: Response): Promise<string> {
    const tooBig = () => this.badResponse(`sent an answer larger than ${this.maxBytes} bytes`, res.status);
    if (Number(res.headers.get('content-length') ?? 0) > this.maxBytes) throw tooBig();
    if (!res.body) return '';
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let n = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      n += value.byteLength;
      if (n > this.maxBytes) throw tooBig();
      chunks.push(value);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  private unreachable(e: unknown): RpcClientError {
    const codes = errorCodes(e);
    const h = this.host;
    const tls = codes.find((c) => /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|HOSTNAME/.test(c));
    const rule = UNREACHABLE.find(([, match]) => codes.some((c) => match.includes(c)));
    const [why, sentence]: [UnreachableWhy, string] = rule
      ? [rule[0], rule[2](h, this.hostname)]
      : tls
        ? ['tls', `The RPC at ${h} failed the secure (TLS) handshake: ${tls}.`]
        : ['other', `The RPC at ${h} could not be reached (${codes[0] ?? clip(innermost(e), 120)}).`];
    return new RpcClientError('RPC_UNREACHABLE', h, sentence, { why, cause: e });
  }
}

/** Node (undici, libuv) error codes on a failed fetch's cause chain → why and sentence. */
const UNREACHABLE: [UnreachableWhy, string[], (host: string, hostname: string) => string][] = [
  ['refused', ['ECONNREFUSED'], (h) => `The RPC at ${h} refused the connection: nothing is listening there.`],
  ['dns', ['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_NODATA', 'EAI_FAIL'], (_h, n) => `The RPC host ${n} could not be found (the DNS lookup failed).`],
  ['timeout', ['UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT'], (h) => `The RPC at ${h} did not accept the connection in time.`],
  ['reset', ['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED'], (h) => `The RPC at ${h} closed the connection before answering.`],
];

/** The `code`s along an error's cause chain (and inside AggregateErrors). */
function errorCodes(e: unknown, out: string[] = [], depth = 0): string[] {
  if (typeof e !== 'object' || e === null || depth > 8) return out;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string') out.push(code);
  for (const inner of (e as { errors?: unknown[] }).errors ?? []) errorCodes(inner, out, depth + 1);
  errorCodes((e as { cause?: unknown }).cause, out, depth + 1);
  return out;
}

function innermost(e: unknown, depth = 0): string {
  const cause = (e as { cause?: unknown } | null)?.cause;
  if (cause !== undefined && depth < 8) return innermost(cause, depth + 1);
  return e instanceof Error ? e.message : String(e);
}
