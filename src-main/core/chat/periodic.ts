/**
 * @module chat/periodic
 * The chat's periodic work (every tick, cheap when idle): prune the replay cache, send the due
 * outbox of every friend, repeat pending REQUESTs every 5 s, and PING each connected friend on
 * the keepalive period (a PING carries our profile: endpoints and wallet). `Pacer` remembers
 * when something was last done per key, so a burst of ticks does not repeat it.
 */
import type { ChatService } from './chat-service';
import type { Connector } from './connector';
import { Kind } from './payload';

/** How long (ts, signature) pairs are remembered for replay dedup. */
const SEEN_WINDOW_MS = 14 * 24 * 3600 * 1000;
const PRUNE_EVERY_MS = 10 * 60_000;
const REQUEST_EVERY_MS = 5000;

export class Pacer {
  private readonly last = new Map<string, number>();
  /** True (and remembered as done now) when `key` was not done within `everyMs`. */
  due(key: string, now: number, everyMs: number): boolean {
    if (now - (this.last.get(key) ?? 0) < everyMs) return false;
    this.last.set(key, now);
    return true;
  }
  mark(key: string, now: number): void {
    this.last.set(key, now);
  }
  forget(key: string): void {
    this.last.delete(key);
  }
}

export type Paces = { requests: Pacer; pings: Pacer; prune: Pacer };

export function periodicWork(chat: ChatService, paces: Paces, connector: Connector, keepaliveMs: number): void {
  const now = chat.now();
  if (paces.prune.due('seen', now, PRUNE_EVERY_MS)) chat.store.seen.prune(now - SEEN_WINDOW_MS);
  const peers = new Set(chat.store.messages.dueOutbox(now, 200).map((m) => m.peer.toLowerCase()));
  for (const p of peers) {
    const c = chat.store.contacts.get(p);
    if (c && c.state === 'friend') chat.flushPeer(c);
  }
  for (const c of chat.store.contacts.list()) {
    const key = c.address.toLowerCase();
    if (c.state === 'pending_out') {
      if (paces.requests.due(key, now, REQUEST_EVERY_MS)) chat.sendControl(c, Kind.REQUEST);
    } else if (c.state === 'friend' && chat.sessions.isConnected(c.address)) {
      connector.maybeUpgrade(c);
      if (paces.pings.due(key, now, keepaliveMs)) chat.sendControl(c, Kind.PING);
    }
  }
}
