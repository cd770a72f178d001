/**
 * @module contract/events
 * Events the node pushes to every connected UI. Payloads use the shared schemas, so the
 * UI can update its store without polling.
 */
import { z } from 'zod';
import { AppState, Contact, Message, NodeStatus } from './schemas';
import { WALLET_EVENTS } from './wallet';
import { CALL_EVENTS } from './calls';
import { DAPP_EVENTS } from './dapps';

export const EVENTS = {
  'app.state': AppState,
  'contact.updated': Contact,
  'message.added': Message,
  'message.updated': Message,
  'node.status': NodeStatus,
  ...WALLET_EVENTS,
  ...CALL_EVENTS,
  ...DAPP_EVENTS,
} as const;

export type EventName = keyof typeof EVENTS;
export type EventPayload<E extends EventName> = z.infer<(typeof EVENTS)[E]>;

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(EVENTS, name);
}
