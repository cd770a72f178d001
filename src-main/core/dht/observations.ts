/**
 * @module dht/observations
 * What other nodes saw as our endpoint: every DHT response carries `to`, the requester's
 * ip:port as the responder observed it (like dht-rpc's `to` and BEP 42's "ip" field). Kept per
 * observer (bounded, most recent first). The mapping reported by the most observers is our
 * observed endpoint; the AR layer compares observations from several routers to classify the
 * NAT (same mapping towards different destinations = endpoint-independent / cone).
 */
import { endpointKey, type Endpoint } from '../net';

export type Observation = { by: Endpoint; to: Endpoint };

const MAX_OBSERVERS = 64;

export class Observations {
  private readonly byObserver = new Map<string, Observation & { at: number }>();

  add(by: Endpoint, to: Endpoint, at: number): void {
    const key = endpointKey(by);
    this.byObserver.delete(key);
    this.byObserver.set(key, { by: { ...by }, to: { ...to }, at });
    if (this.byObserver.size > MAX_OBSERVERS) this.byObserver.delete(this.byObserver.keys().next().value!);
  }

  /** Most recent first. */
  list(): Observation[] {
    return [...this.byObserver.values()].reverse().map((o) => ({ by: { ...o.by }, to: { ...o.to } }));
  }

  /** The `to` reported by the most observers (ties: the most recent); null before any response. */
  mostCommon(): Endpoint | null {
    const tally = new Map<string, { e: Endpoint; n: number; at: number }>();
    for (const o of this.byObserver.values()) {
      const key = endpointKey(o.to);
      const t = tally.get(key);
      if (t) {
        t.n++;
        t.at = Math.max(t.at, o.at);
      } else tally.set(key, { e: o.to, n: 1, at: o.at });
    }
    let best: { e: Endpoint; n: number; at: number } | null = null;
    for (const t of tally.values()) if (!best || t.n > best.n || (t.n === best.n && t.at >= best.at)) best = t;
    return best ? { ...best.e } : null;
  }
}
