/**
 * @module bridge/event-hub
 * Fans node events out to any number of subscribers (the Electron window, each WebSocket
 * client). Every payload is parsed with its `EVENTS` schema on the way out, so an event
 * carries only declared keys, exactly like method results; unknown event names and
 * payloads outside the contract are dropped (and logged), never forwarded.
 */
import { BuError, silentLogger, type Logger } from '../core/base';
import { EVENTS, isEventName, type EventFrame, type EventName, type EventPayload } from '../../src-preload/contract';

/** What the hub listens to: the node's typed emitter fits this shape. */
export type EventSource = {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

export type EventHub = {
  /** Receive every event as a frame; returns the unsubscribe function. */
  subscribe(listener: (frame: EventFrame) => void): () => void;
  /** Receive one event by name; throws BAD_INPUT for a name outside the contract. */
  on(event: unknown, listener: (payload: unknown) => void): () => void;
  /** Validate and deliver one event; returns false if it was dropped. */
  publish(event: unknown, payload: unknown): boolean;
  /** Detach from the source and drop all subscribers. */
  close(): void;
  subscriberCount(): number;
};

export function createEventHub(source?: EventSource, opts: { logger?: Logger } = {}): EventHub {
  const logger = opts.logger ?? silentLogger;
  const all = new Set<(frame: EventFrame) => void>();
  const byName = new Map<EventName, Set<(payload: unknown) => void>>();
  const detach: Array<() => void> = [];

  function deliver<T>(listener: (x: T) => void, value: T): void {
    try {
      listener(value);
    } catch (e) {
      logger.warn('event subscriber threw', { error: e instanceof Error ? e.message : String(e) });
    }
  }

  function publish(event: unknown, payload: unknown): boolean {
    if (!isEventName(event)) {
      logger.warn('dropped an event outside the contract', { event: String(event).slice(0, 80) });
      return false;
    }
    const parsed = EVENTS[event].safeParse(payload);
    if (!parsed.success) {
      logger.error('dropped an event whose payload is outside the contract', {
        event,
        issues: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.code}`),
      });
      return false;
    }
    const frame: EventFrame = { event, payload: parsed.data };
    for (const l of [...all]) deliver(l, frame);
    for (const l of [...(byName.get(event) ?? [])]) deliver(l, parsed.data);
    return true;
  }

  if (source) {
    for (const name of Object.keys(EVENTS) as EventName[]) {
      detach.push(source.on(name, (payload) => publish(name, payload)));
    }
  }

  return {
    subscribe(listener) {
      all.add(listener);
      return () => void all.delete(listener);
    },
    on(event, listener) {
      if (!isEventName(event)) throw new BuError('BAD_INPUT', `unknown event "${String(event).slice(0, 80)}"`);
      let set = byName.get(event);
      if (!set) byName.set(event, (set = new Set()));
      set.add(listener);
      return () => void set.delete(listener);
    },
    publish,
    close() {
      for (const d of detach.splice(0)) d();
      all.clear();
      byName.clear();
    },
    subscriberCount() {
      let n = all.size;
      for (const s of byName.values()) n += s.size;
      return n;
    },
  };
}
