/**
 * @module renderer/features/calls/CallBar
 * The minimised call: a slim bar at the top of the window (not modal, the app stays usable)
 * with the friend, the state or running duration, mute, expand and hang up.
 */
import type { CallT } from '../../../src-preload/contract';
import { useNow } from '../../lib/hooks';
import { Avatar } from '../../ui/Avatar';
import { hangUp, toggleMute } from './call-actions';
import { stateLabel } from './call-format';
import { useCallStore } from './call-store';
import { IconExpand, IconHangUp, IconMic, IconMicOff } from './call-icons';

export function CallBar({ call }: { call: CallT }) {
  const now = useNow(1000);
  const setMinimised = useCallStore((s) => s.setMinimised);
  return (
    <div className="call-bar" data-testid="call-overlay" data-state={call.state} data-minimised="true" role="region" aria-label={`Call with ${call.peerName}`}>
      <button type="button" className="call-bar-main" onClick={() => setMinimised(false)} title="Back to the call">
        <Avatar name={call.peerName} address={call.peer} size="sm" />
        <span className="call-bar-name">{call.peerName}</span>
        <span className="call-bar-state" data-testid="call-state" data-state={call.state}>
          {call.state === 'active' ? <span data-testid="call-duration">{stateLabel(call, now)}</span> : stateLabel(call, now)}
        </span>
      </button>
      <div className="call-bar-actions">
        <button
          type="button"
          className={`call-ctl call-ctl-sm${call.muted ? ' is-off' : ''}`}
          aria-label={call.muted ? 'Unmute' : 'Mute'}
          aria-pressed={call.muted}
          title={call.muted ? 'Unmute' : 'Mute'}
          data-testid="call-mute"
          onClick={() => void toggleMute()}
        >
          {call.muted ? <IconMicOff size={18} /> : <IconMic size={18} />}
        </button>
        <button type="button" className="call-ctl call-ctl-sm" aria-label="Expand call" title="Expand call" data-testid="call-expand" onClick={() => setMinimised(false)}>
          <IconExpand size={18} />
        </button>
        <button
          type="button"
          className="call-ctl call-ctl-sm call-ctl-hangup"
          aria-label="Hang up"
          title="Hang up (Ctrl+Shift+H)"
          data-testid="call-hangup"
          disabled={call.state === 'ended'}
          onClick={() => void hangUp()}
        >
          <IconHangUp size={18} />
        </button>
      </div>
    </div>
  );
}
