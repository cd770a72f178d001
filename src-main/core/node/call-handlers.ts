/**
 * @module node/call-handlers
 * The `calls.*` bridge methods (issue 11): thin mappings onto the runtime's CallService, and
 * the call history straight from the store (`store.calls`: every conversation's call records,
 * newest first, and the missed-calls marker kept in the encrypted database).
 * They need an unlocked account (the friend sessions exist only then): LOCKED otherwise.
 */
import { MISSED_OUTCOMES, type BridgeHandlers, type CallHistoryEntryT, type CallRecordT } from '../../../src-preload/contract';
import type { MessageRow, Store } from '../store';
import type { NodeCore } from './node';

type CallHandlers = Pick<
  BridgeHandlers,
  'calls.start' | 'calls.answer' | 'calls.decline' | 'calls.hangup' | 'calls.setMedia' | 'calls.current' | 'calls.stats' | 'calls.history' | 'calls.missed' | 'calls.markSeen'
>;

/** A stored call record with its friend's current name. */
export function historyEntry(store: Store, row: MessageRow): CallHistoryEntryT {
  return {
    id: row.id,
    peer: row.peer,
    peerName: store.contacts.get(row.peer)?.name ?? '',
    at: row.localAt,
    record: row.call as unknown as CallRecordT,
  };
}

export function callHandlers(node: NodeCore): CallHandlers {
  const calls = () => node.requireRuntime().calls;
  const store = () => node.requireRuntime().store;
  return {
    'calls.start': ({ address, video }) => calls().startCall(address, video),
    'calls.answer': ({ callId, video }) => calls().answer(callId, video),
    'calls.decline': ({ callId }) => calls().decline(callId),
    'calls.hangup': ({ callId }) => calls().hangup(callId),
    'calls.setMedia': ({ callId, muted, camera }) => calls().setMedia(callId, { muted, camera }),
    'calls.current': () => (node.runtime ? node.runtime.calls.current() : null),
    'calls.stats': ({ callId }) => calls().stats(callId),
    'calls.history': ({ before, limit }) => {
      const s = store();
      const page = s.calls.page({ before, limit });
      return { entries: page.rows.map((r) => historyEntry(s, r)), next: page.next };
    },
    'calls.missed': () => ({ count: store().calls.missed(MISSED_OUTCOMES) }),
    'calls.markSeen': () => {
      store().calls.markSeen();
      node.events.emit('calls.missed', { count: 0 });
      return { count: 0 as const };
    },
  };
}
