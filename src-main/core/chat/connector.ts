/**
 * @module chat/connector
 * Keeps at most one connection attempt per peer in flight and spaces failed attempts with
 * backoff, so the outbox and the request logic can ask "make sure we can reach X" freely.
 */
import type { Logger } from '../base';
import type { Endpoint } from '../net';
import type { SessionManager } from '../session';
import { backoffMs } from './backoff';

export class Connector {
  private inFlight = new Map<string, Promise<boolean>>();
  private failures = new Map<string, { count: number; notBefore: number }>();

  constructor(
    private sessions: SessionManager,
    private logger: Logger,
    private now: () => number = Date.now,
  ) {}

  /** Resolves true once a session to `address` is live. Never rejects. */
  ensure(peer: { address: string; publicKey: Uint8Array }, endpoints: Endpoint[], force = false): Promise<boolean> {
    const key = peer.address.toLowerCase();
    if (this.sessions.isConnected(peer.address)) return Promise.resolve(true);
    const running = this.inFlight.get(key);
    if (running) return running;
    const f = this.failures.get(key);
    if (!force && f && f.notBefore > this.now()) return Promise.resolve(false);
    if (endpoints.length === 0) return Promise.resolve(false);
    const p = this.sessions
      .connect({ address: peer.address, publicKey: peer.publicKey }, endpoints)
      .then(() => {
        this.failures.delete(key);
        return true;
      })
      .catch((e: unknown) => {
        const count = (this.failures.get(key)?.count ?? 0) + 1;
        this.failures.set(key, { count, notBefore: this.now() + backoffMs(count - 1) });
        this.logger.debug('connect failed', { peer: peer.address, count, error: String(e) });
        return false;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, p);
    return p;
  }

  /** Forget failure history (e.g. after the peer reached us), so the next ensure() tries at once. */
  reset(address: string): void {
    this.failures.delete(address.toLowerCase());
  }
}
