/**
 * @module renderer/features/dapps/test-frames
 * Test doubles for the provider host's tests (no DOM in the unit project): a UI window that
 * dispatches `message` events to its listeners, and dapp frames whose `postMessage` delivers
 * to the frame only when the target origin matches its own (as browsers do), carrying the
 * transferred ports. Real MessageChannels (Node's) carry everything after the handshake.
 */
import type { MessageTarget } from './provider-host';

type Listener = (e: MessageEvent) => void;

export class FakeUiWindow implements MessageTarget {
  readonly listeners = new Set<Listener>();
  addEventListener(_type: 'message', l: Listener): void {
    this.listeners.add(l);
  }
  removeEventListener(_type: 'message', l: Listener): void {
    this.listeners.delete(l);
  }
  /** A message as the browser would deliver it: from `source`, stamped with its origin. */
  deliver(data: unknown, source: unknown, origin: string): void {
    const e = { data, source, origin, ports: [] } as unknown as MessageEvent;
    for (const l of [...this.listeners]) l(e);
  }
}

export class FakeFrame extends EventTarget {
  readonly received: Array<{ data: unknown; targetOrigin: string; ports: MessagePort[] }> = [];
  readonly origin: string;
  readonly ui: FakeUiWindow;
  /** What the dapp sees as `window.parent`: posting there reaches the UI from this frame. */
  readonly parent: { postMessage(data: unknown, targetOrigin: string): void };

  constructor(ui: FakeUiWindow, origin: string) {
    super();
    this.ui = ui;
    this.origin = origin;
    this.parent = { postMessage: (data) => ui.deliver(data, this, origin) };
  }

  /** Called by the host (event.source.postMessage): delivered only to a matching origin. */
  postMessage(data: unknown, targetOrigin: string, transfer: Transferable[] = []): void {
    const ports = transfer as MessagePort[];
    this.received.push({ data, targetOrigin, ports });
    if (targetOrigin !== '*' && targetOrigin !== this.origin) return;
    const e = new Event('message');
    Object.defineProperties(e, { data: { value: data }, source: { value: this.parent }, origin: { value: 'http://127.0.0.1:7000' }, ports: { value: ports } });
    this.dispatchEvent(e);
  }

  hello(): void {
    this.parent.postMessage({ bitunicom: 'hello' }, '*');
  }
}

/** Waits until `check` passes (ports deliver asynchronously). */
export async function until<T>(check: () => T | undefined | null | false, ms = 1000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}
