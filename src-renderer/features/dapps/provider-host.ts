/**
 * @module renderer/features/dapps/provider-host
 * The host side of a dapp's EIP-1193 provider (EIP-1193; EIP-2255 permissions behind it).
 * The dapp runs in a sandboxed `<iframe>` on its own origin (HTML Living Standard §7.4
 * sandboxing; no popups, no top navigation, no modals) and has no bridge of its own: its shim
 * (resources/dapp-runtime/provider.js) posts `{bitunicom:'hello'}` to its parent, and the host
 * answers with a dedicated MessageChannel port (HTML §9.4 channel messaging).
 *
 * Trust rules, all enforced here:
 * - A hello counts only if `event.source` is the contentWindow of a frame the UI attached AND
 *   `event.origin` is exactly that frame's launch origin (a navigated-away or foreign frame, or
 *   a nested iframe inside the dapp, gets nothing). The port goes back with targetOrigin =
 *   that origin, so it can only be delivered to the dapp's document.
 * - The app id of every request comes from which frame owns the port, never from the message.
 * - A new hello from the same frame (reload) closes the old port first: one port per frame.
 * - Malformed messages are ignored; a request with a valid id but no valid method gets
 *   -32602; more than `maxInFlight` unanswered requests per frame get -32005.
 * - Answers for a port that has since been replaced or closed are dropped.
 *
 * Requests become `dapps.providerRequest`; a `pending` answer waits for the user's decision
 * (`confirm`, the confirm dialog's queue) and the decision's result goes back.
 */
import type { PendingRequestT, ProviderAnswerT, ProviderEventT } from '../../../src-preload/contract';
import { RPC, providerError } from './provider-errors';

/** What the host needs of a frame's window: posting the port to it. */
export type FrameWindow = { postMessage(message: unknown, targetOrigin: string, transfer?: Transferable[]): void };

/** The message events the host listens to (the UI's window). */
export type MessageTarget = {
  addEventListener(type: 'message', listener: (e: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (e: MessageEvent) => void): void;
};

export type HostDeps = {
  target: MessageTarget;
  request(input: { appId: string; method: string; params?: unknown }): Promise<ProviderAnswerT>;
  /** Waits for the user's decision on a pending request; resolves with the result, rejects (e.g. USER_REJECTED). */
  confirm(request: PendingRequestT): Promise<unknown>;
  /** Subscribes to `dapps.providerEvent`; returns the unsubscribe. */
  onProviderEvent(listener: (e: ProviderEventT) => void): () => void;
  newChannel(): MessageChannel;
  maxInFlight?: number;
};

export type FrameSpec = {
  appId: string;
  origin: string;
  /** The iframe's current contentWindow (null once it is gone). */
  window(): FrameWindow | null | undefined;
};

type Frame = FrameSpec & { port: MessagePort | null; inFlight: number };

export const MAX_IN_FLIGHT = 16;
const MAX_ID_LENGTH = 128;

type RequestMessage = { id: string | number; method: string; params?: unknown };

/** `{bitunicom: 'hello'}` and nothing that merely looks like it. */
export function isHello(data: unknown): boolean {
  return typeof data === 'object' && data !== null && !Array.isArray(data) && (data as { bitunicom?: unknown }).bitunicom === 'hello';
}

/** A JSON-RPC-like id (string or safe integer); null when missing or unusable. */
export function requestId(data: unknown): string | number | null {
  if (typeof data !== 'object' || data === null) return null;
  const id = (data as { id?: unknown }).id;
  if (typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_LENGTH) return id;
  if (typeof id === 'number' && Number.isSafeInteger(id)) return id;
  return null;
}

/** The request inside a port message, or null when its method is missing or not a short string. */
export function parseRequest(data: unknown): RequestMessage | null {
  const id = requestId(data);
  if (id === null) return null;
  const { method, params } = data as { method?: unknown; params?: unknown };
  if (typeof method !== 'string' || method.length === 0 || method.length > 64) return null;
  return params === undefined ? { id, method } : { id, method, params };
}

export class ProviderHost {
  private readonly frames = new Set<Frame>();
  private readonly deps: HostDeps;
  private readonly max: number;
  private stopEvents: (() => void) | null = null;

  constructor(deps: HostDeps) {
    this.deps = deps;
    this.max = deps.maxInFlight ?? MAX_IN_FLIGHT;
  }

  /** Start serving one dapp frame; returns the detach (closes its port). */
  attach(spec: FrameSpec): () => void {
    const frame: Frame = { ...spec, port: null, inFlight: 0 };
    if (this.frames.size === 0) {
      this.deps.target.addEventListener('message', this.onMessage);
      this.stopEvents = this.deps.onProviderEvent(this.onEvent);
    }
    this.frames.add(frame);
    return () => this.drop(frame);
  }

  /** Frames currently attached (tests and diagnostics). */
  get size(): number {
    return this.frames.size;
  }

  private drop(frame: Frame): void {
    if (!this.frames.delete(frame)) return;
    frame.port?.close();
    frame.port = null;
    if (this.frames.size === 0) {
      this.deps.target.removeEventListener('message', this.onMessage);
      this.stopEvents?.();
      this.stopEvents = null;
    }
  }

  /** Frames whose iframe is gone are dropped (their ports closed) before any lookup. */
  private live(): Frame[] {
    for (const f of [...this.frames]) if (!f.window()) this.drop(f);
    return [...this.frames];
  }

  private readonly onMessage = (e: MessageEvent): void => {
    if (!isHello(e.data) || !e.source) return;
    const frame = this.live().find((f) => f.window() === e.source);
    if (!frame || e.origin !== frame.origin) return;
    this.openPort(frame, e.source as unknown as FrameWindow);
  };

  private openPort(frame: Frame, source: FrameWindow): void {
    frame.port?.close();
    const channel = this.deps.newChannel();
    const port = channel.port1;
    frame.port = port;
    frame.inFlight = 0;
    port.onmessage = (m: MessageEvent) => void this.onPortMessage(frame, port, m.data);
    source.postMessage({ bitunicom: 'port' }, frame.origin, [channel.port2]);
  }

  private post(frame: Frame, port: MessagePort, message: unknown): void {
    if (frame.port !== port || !this.frames.has(frame)) return;
    try {
      port.postMessage(message);
    } catch {
      // A result that cannot be cloned is not sent; the dapp gets an error instead.
      const id = (message as { id?: unknown }).id;
      if (id !== undefined) port.postMessage({ id, error: { code: RPC.INTERNAL, message: 'The answer could not be passed to the dapp.' } });
    }
  }

  private async onPortMessage(frame: Frame, port: MessagePort, data: unknown): Promise<void> {
    if (frame.port !== port) return;
    const id = requestId(data);
    if (id === null) return;
    const req = parseRequest(data);
    if (!req) {
      this.post(frame, port, { id, error: { code: RPC.INVALID_PARAMS, message: 'A request needs a method name (a string of at most 64 characters).' } });
      return;
    }
    if (frame.inFlight >= this.max) {
      this.post(frame, port, { id, error: { code: RPC.LIMIT_EXCEEDED, message: 'Too many requests are waiting for an answer. Try again when they are done.' } });
      return;
    }
    frame.inFlight++;
    try {
      const input = req.params === undefined ? { appId: frame.appId, method: req.method } : { appId: frame.appId, method: req.method, params: req.params };
      const answer = await this.deps.request(input);
      const result = answer.kind === 'result' ? answer.result : await this.deps.confirm(answer.request);
      this.post(frame, port, { id, result: result ?? null });
    } catch (error) {
      this.post(frame, port, { id, error: providerError(error) });
    } finally {
      if (frame.port === port) frame.inFlight--;
    }
  }

  private readonly onEvent = (e: ProviderEventT): void => {
    for (const f of this.live()) if (f.appId === e.appId && f.port) this.post(f, f.port, { event: e.event, data: e.data ?? null });
  };
}
