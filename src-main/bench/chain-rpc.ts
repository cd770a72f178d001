/**
 * @module bench/chain-rpc
 * The one JSON-RPC client the chain benchmark uses for every node it measures (the devnet and
 * anvil alike): JSON-RPC 2.0 over HTTP POST (Ethereum execution-apis transport), single calls
 * and batches, on keep-alive sockets so connection setup is not what gets measured.
 */
import { Agent, request } from 'node:http';

type Reply = { id: number; result?: unknown; error?: { code: number; message: string } };

export class RpcCallError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    message: string,
  ) {
    super(`${method}: ${message} (${code})`);
  }
}

const isReset = (e: unknown) => /socket hang up|ECONNRESET|EPIPE/.test(String((e as { code?: string }).code ?? e));

export class RpcClient {
  private readonly agent: Agent;
  private readonly url: URL;
  private nextId = 1;
  /** Requests sent again after the server dropped a kept-alive socket. */
  resets = 0;

  constructor(url: string, maxSockets = 32) {
    this.url = new URL(url);
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  async call<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    const id = this.nextId++;
    let retried = false;
    for (;;) {
      let reply: Reply;
      try {
        reply = (await this.post({ jsonrpc: '2.0', id, method, params })) as Reply;
      } catch (e) {
        // A kept-alive socket the server dropped just as we reused it: send once more.
        if (retried || !isReset(e)) throw e;
        retried = true;
        this.resets++;
        continue;
      }
      if (reply.error) {
        // The first attempt did arrive after all.
        if (retried && method === 'eth_sendRawTransaction' && /already known/i.test(reply.error.message)) return undefined as T;
        throw new RpcCallError(method, reply.error.code, reply.error.message);
      }
      return reply.result as T;
    }
  }

  /** A batch: results in request order; an error entry becomes an RpcCallError in its slot. */
  async batch<T = unknown>(calls: [method: string, params: unknown[]][]): Promise<(T | RpcCallError)[]> {
    if (calls.length === 0) return [];
    const first = this.nextId;
    this.nextId += calls.length;
    const body = calls.map(([method, params], i) => ({ jsonrpc: '2.0', id: first + i, method, params }));
    const replies = (await this.post(body).catch((e: unknown) => {
      if (!isReset(e)) throw e;
      this.resets++;
      return this.post(body);
    })) as Reply[];
    const out: (T | RpcCallError)[] = new Array(calls.length);
    for (const r of replies) {
      const i = r.id - first;
      out[i] = r.error ? new RpcCallError(calls[i]![0], r.error.code, r.error.message) : (r.result as T);
    }
    return out;
  }

  close(): void {
    this.agent.destroy();
  }

  private post(body: unknown): Promise<unknown> {
    const data = Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = request(
        {
          agent: this.agent,
          host: this.url.hostname,
          port: this.url.port,
          path: this.url.pathname || '/',
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': data.length },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            try {
              resolve(JSON.parse(text));
            } catch {
              reject(new Error(`HTTP ${res.statusCode}: not JSON: ${text.slice(0, 200)}`));
            }
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(data);
    });
  }
}
