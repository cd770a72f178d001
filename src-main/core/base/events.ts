/**
 * @module base/events
 * A tiny typed event emitter: `on` returns an unsubscribe function, listeners that throw are
 * isolated (reported to `onListenerError`) so one bad UI subscriber cannot break the node.
 * Listener lists are copy-on-write arrays: `emit` (hot: every received packet) allocates nothing.
 */
export type Listener<T> = (payload: T) => void;

export class TypedEmitter<Events extends Record<string, unknown>> {
  private listeners = new Map<keyof Events, ReadonlyArray<Listener<never>>>();
  onListenerError: (err: unknown) => void = () => {};

  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    const l = listener as Listener<never>;
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), l]);
    return () => {
      const list = this.listeners.get(event);
      if (!list) return;
      const i = list.indexOf(l);
      if (i < 0) return;
      const next = list.slice(0, i).concat(list.slice(i + 1));
      if (next.length) this.listeners.set(event, next);
      else this.listeners.delete(event);
    };
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const list = this.listeners.get(event);
    if (!list) return;
    for (let i = 0; i < list.length; i++) {
      try {
        (list[i] as Listener<Events[K]>)(payload);
      } catch (err) {
        this.onListenerError(err);
      }
    }
  }

  removeAll(): void {
    this.listeners.clear();
  }
}
