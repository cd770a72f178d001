/**
 * @module ar/requests
 * Request/response matching for AR control messages: each request carries a random-start,
 * incrementing 32-bit id; a reply settles the waiter only if it came from the router the
 * request was sent to. Waiters resolve with null on timeout or when that router goes away.
 */
import { randomBytes } from '../crypto';
import type { ArMessage } from './messages';

type Waiter = { router: string; resolve(m: ArMessage | null): void; timer: ReturnType<typeof setTimeout> };

export class Requests {
  private next: number;
  private readonly waiting = new Map<number, Waiter>();

  constructor() {
    const b = randomBytes(4);
    this.next = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  }

  id(): number {
    do this.next = (this.next + 1) >>> 0;
    while (this.waiting.has(this.next));
    return this.next;
  }

  /** Wait for the reply to `req` from `router` (lowercase address). */
  wait(req: number, router: string, timeoutMs: number): Promise<ArMessage | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(req);
        resolve(null);
      }, timeoutMs);
      timer.unref?.();
      this.waiting.set(req, { router, resolve, timer });
    });
  }

  /** Hand a reply to its waiter; false if nobody waits for it from this router. */
  settle(router: string, req: number, m: ArMessage): boolean {
    const w = this.waiting.get(req);
    if (!w || w.router !== router) return false;
    this.waiting.delete(req);
    clearTimeout(w.timer);
    w.resolve(m);
    return true;
  }

  cancel(req: number): void {
    const w = this.waiting.get(req);
    if (!w) return;
    this.waiting.delete(req);
    clearTimeout(w.timer);
    w.resolve(null);
  }

  /** Resolve every waiter of a router with null (it went away). */
  failRouter(router: string): void {
    for (const [req, w] of [...this.waiting]) if (w.router === router) this.cancel(req);
  }

  clear(): void {
    for (const req of [...this.waiting.keys()]) this.cancel(req);
  }
}
