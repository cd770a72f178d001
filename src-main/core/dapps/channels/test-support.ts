/**
 * @module dapps/channels/test-support
 * Tests only: two (or more) ChannelServices joined by an in-memory "session" transport with
 * optional loss, each with its own key-value store, friend list and installed apps.
 */
import { silentLogger } from '../../base';
import { ChannelService, type ChannelEvent } from './service';

export type Peer = {
  address: string;
  name: string;
  kv: Map<string, string>;
  installed: Set<string>;
  friends: Set<string>;
  service: ChannelService;
  events: { appId: string; event: ChannelEvent }[];
};

export class Net {
  readonly peers = new Map<string, Peer>();
  /** Unordered pairs with a live session. */
  private readonly links = new Set<string>();
  /** Fraction of payloads dropped (deterministic pseudo-random). */
  loss = 0;
  private seed = 1;
  sent = 0;

  /** mulberry32 (a small, well-mixed 32-bit generator): the same losses on every run. */
  private random(): number {
    this.seed = (this.seed + 0x6d2b79f5) | 0;
    let t = Math.imul(this.seed ^ (this.seed >>> 15), 1 | this.seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  }

  private link(a: string, b: string): string {
    return [a.toLowerCase(), b.toLowerCase()].sort().join('|');
  }

  add(address: string, name: string, opts: { installed?: string[]; kv?: Map<string, string> } = {}): Peer {
    const kv = opts.kv ?? new Map<string, string>();
    const friends = new Set<string>();
    const installed = new Set(opts.installed ?? []);
    const events: Peer['events'] = [];
    const find = (a: string) => [...this.peers.values()].find((p) => p.address.toLowerCase() === a.toLowerCase());
    const service = new ChannelService({
      kv: { get: (k) => kv.get(k) ?? null, set: (k, v) => void kv.set(k, v) },
      transport: {
        send: (to, payload) => {
          if (!this.links.has(this.link(address, to))) return false;
          this.sent++;
          if (this.loss > 0 && this.random() < this.loss) return true;
          const copy = payload.slice();
          queueMicrotask(() => find(to)?.service.onPayload(address, copy));
          return true;
        },
        isConnected: (to) => this.links.has(this.link(address, to)),
      },
      friend: (a) => {
        const p = find(a);
        return p && friends.has(p.address.toLowerCase()) ? { address: p.address, name: p.name } : null;
      },
      friends: () => [...this.peers.values()].filter((p) => friends.has(p.address.toLowerCase())).map((p) => ({ address: p.address, name: p.name })),
      installed: (appId) => installed.has(appId),
      logger: silentLogger,
      tickMs: 10,
      probeMs: 300,
      deadlineMs: 3000,
    });
    service.events.on('message', (m) => events.push(m));
    service.start();
    const peer: Peer = { address, name, kv, installed, friends, service, events };
    this.peers.set(address.toLowerCase(), peer);
    return peer;
  }

  befriend(a: Peer, b: Peer): void {
    a.friends.add(b.address.toLowerCase());
    b.friends.add(a.address.toLowerCase());
  }

  connect(a: Peer, b: Peer): void {
    this.links.add(this.link(a.address, b.address));
    a.service.onSessionUp(b.address);
    b.service.onSessionUp(a.address);
  }

  disconnect(a: Peer, b: Peer): void {
    this.links.delete(this.link(a.address, b.address));
    a.service.onSessionDown(b.address);
    b.service.onSessionDown(a.address);
  }

  stop(): void {
    for (const p of this.peers.values()) p.service.stop();
  }
}

/** Lets queued deliveries (microtasks and the services' timers) run. */
export const settle = (ms = 30) => new Promise((r) => setTimeout(r, ms));

export async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting for a condition');
    await settle(10);
  }
}
