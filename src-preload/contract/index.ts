/**
 * @module contract
 * The bridge contract: methods, events and error codes, defined once and shared by the
 * Electron preload, the loopback web client, the dispatcher and the CLI.
 */
export * from './errors';
export * from './schemas';
export * from './sealing';
export * from './primitives';
export * from './wallet';
export * from './payment';
export * from './payments';
export * from './calls';
export * from './dapps';
export * from './media';
export * from './methods';
export * from './events';

import type { MethodName, MethodInput, MethodOutput } from './methods';
import type { EventName, EventPayload } from './events';
import type { MediaChannel } from './media';

/** The one API the UI sees, whatever the transport. */
export type Bridge = {
  invoke<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** Encoded call media, binary (media.ts). */
  media: MediaChannel;
};

/** Wire frames used by the loopback WebSocket transport (and mirrored by IPC). */
export type RequestFrame = { id: number; method: string; input: unknown };
export type ResponseFrame =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { code: string; message: string } };
export type EventFrame = { event: string; payload: unknown };

/** Thrown on the UI side when a call fails; `code` is a stable ErrorCode. */
export class BridgeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'BridgeError';
  }
}

/** Electron IPC channels: the preload may use no others. */
export const IPC_INVOKE_CHANNEL = 'bitunicom:invoke';
export const IPC_EVENT_CHANNEL = 'bitunicom:event';

/** Result of one dispatched call, identical on every transport. */
export type CallResult = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string } };

/** Name of the object the Electron preload exposes on `window`. */
export const PRELOAD_GLOBAL = 'bitunicom';
