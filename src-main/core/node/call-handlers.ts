/**
 * @module node/call-handlers
 * The `calls.*` bridge methods (issue 11): thin mappings onto the runtime's CallService.
 * They need an unlocked account (the friend sessions exist only then): LOCKED otherwise.
 */
import type { BridgeHandlers } from '../../../src-preload/contract';
import type { NodeCore } from './node';

type CallHandlers = Pick<BridgeHandlers, 'calls.start' | 'calls.answer' | 'calls.decline' | 'calls.hangup' | 'calls.setMedia' | 'calls.current' | 'calls.stats'>;

export function callHandlers(node: NodeCore): CallHandlers {
  const calls = () => node.requireRuntime().calls;
  return {
    'calls.start': ({ address, video }) => calls().startCall(address, video),
    'calls.answer': ({ callId, video }) => calls().answer(callId, video),
    'calls.decline': ({ callId }) => calls().decline(callId),
    'calls.hangup': ({ callId }) => calls().hangup(callId),
    'calls.setMedia': ({ callId, muted, camera }) => calls().setMedia(callId, { muted, camera }),
    'calls.current': () => (node.runtime ? node.runtime.calls.current() : null),
    'calls.stats': ({ callId }) => calls().stats(callId),
  };
}
