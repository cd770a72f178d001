/**
 * @module seal/p2p/requests
 * Request/response over the transport (block sync): 32-bit request ids chosen by the
 * requester, matched on (peer, id), a timeout per request, a bound on our outstanding
 * requests; on the serving side one handler, at most `servedPerPeer` of a peer's requests at
 * once (more are answered BUSY at once), handler errors answered ERROR with a short reason.
 */
import { BuError, fromUtf8, utf8, type Logger } from '../../base';
import { encodeRequest, encodeResponse } from './codec';
import { MAX_MESSAGE, ResponseStatus, type P2pTuning, type ResponseStatusCode } from './constants';

export type RequestHandler = (req: Uint8Array, from: string) => Promise<Uint8Array>;

type Pending = { peer: string; resolve: (b: Uint8Array) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> };

export type RequestStats = { sent: number; answered: number; timedOut: number; failed: number; served: number; busy: number; handlerErrors: number };

export class Requests {
  private readonly pending = new Map<number, Pending>();
  private readonly serving = new Map<string, number>();
  private next = (Math.random() * 0x1_0000_0000) >>> 0;
  private handler: RequestHandler | null = null;
  readonly stats: RequestStats = { sent: 0, answered: 0, timedOut: 0, failed: 0, served: 0, busy: 0, handlerErrors: 0 };

  constructor(private readonly t: Pick<P2pTuning, 'servedPerPeer' | 'maxPendingRequests'>, private readonly logger: Logger) {}

  setHandler(h: RequestHandler): void {
    this.handler = h;
  }

  /** Send a request frame with `send`; resolves with the response payload. */
  request(peer: string, payload: Uint8Array, timeoutMs: number, send: (frame: Uint8Array) => boolean): Promise<Uint8Array> {
    if (payload.length > MAX_MESSAGE) return Promise.reject(new BuError('TOO_LONG', `request is ${payload.length} bytes (max ${MAX_MESSAGE})`));
    if (this.pending.size >= this.t.maxPendingRequests) return Promise.reject(new BuError('NETWORK', 'too many requests outstanding'));
    let id: number;
    do id = this.next = (this.next + 1) >>> 0;
    while (this.pending.has(id));
    return new Promise<Uint8Array>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.pending.get(id)?.timer !== timer) return;
        this.pending.delete(id);
        this.stats.timedOut++;
        reject(new BuError('NETWORK', `no response from ${peer} within ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref?.();
      this.pending.set(id, { peer, resolve, reject, timer });
      this.stats.sent++;
      if (!send(encodeRequest(id, payload))) {
        clearTimeout(timer);
        this.pending.delete(id);
        this.stats.failed++;
        reject(new BuError('NETWORK', `no session with ${peer}`));
      }
    });
  }

  onResponse(peer: string, req: number, status: ResponseStatusCode, payload: Uint8Array): void {
    const p = this.pending.get(req);
    if (!p || p.peer !== peer) return; // not ours, or from someone we did not ask
    this.pending.delete(req);
    clearTimeout(p.timer);
    if (status === ResponseStatus.OK) {
      this.stats.answered++;
      p.resolve(Uint8Array.from(payload));
      return;
    }
    this.stats.failed++;
    const why = status === ResponseStatus.BUSY ? 'busy' : status === ResponseStatus.NO_HANDLER ? 'no request handler' : `error: ${safeText(payload)}`;
    p.reject(new BuError('NETWORK', `${peer} refused the request (${why})`));
  }

  /** A peer's request: run the handler (bounded per peer) and send the response with `reply`. */
  async onRequest(peer: string, from: string, req: number, payload: Uint8Array, reply: (frame: Uint8Array) => void): Promise<void> {
    const h = this.handler;
    if (!h) return reply(encodeResponse(req, ResponseStatus.NO_HANDLER, new Uint8Array(0)));
    const n = this.serving.get(peer) ?? 0;
    if (n >= this.t.servedPerPeer) {
      this.stats.busy++;
      return reply(encodeResponse(req, ResponseStatus.BUSY, new Uint8Array(0)));
    }
    this.serving.set(peer, n + 1);
    try {
      const out = await h(Uint8Array.from(payload), from);
      if (!(out instanceof Uint8Array) || out.length > MAX_MESSAGE) throw new BuError('TOO_LONG', 'response too large');
      this.stats.served++;
      reply(encodeResponse(req, ResponseStatus.OK, out));
    } catch (e) {
      this.stats.handlerErrors++;
      this.logger.debug('poe: request handler failed', { peer: from, error: String(e) });
      reply(encodeResponse(req, ResponseStatus.ERROR, utf8(String(e instanceof Error ? e.message : e).slice(0, 200))));
    } finally {
      const left = (this.serving.get(peer) ?? 1) - 1;
      if (left > 0) this.serving.set(peer, left);
      else this.serving.delete(peer);
    }
  }

  /** The session with `peer` ended: its outstanding requests fail now rather than at their timeout. */
  failPeer(peer: string): void {
    for (const [id, p] of this.pending) {
      if (p.peer !== peer) continue;
      this.pending.delete(id);
      clearTimeout(p.timer);
      this.stats.failed++;
      p.reject(new BuError('NETWORK', `session with ${peer} closed`));
    }
  }

  clear(): void {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new BuError('NETWORK', 'transport closed'));
    }
    this.pending.clear();
  }
}

function safeText(b: Uint8Array): string {
  try {
    return fromUtf8(b.subarray(0, 200));
  } catch {
    return 'unreadable reason';
  }
}
