/**
 * @module renderer/features/calls/InCallView
 * The full call view over the app (a modal dialog while not minimised): the friend's video,
 * or a large avatar while their camera is off; our self-view in a corner; name, state line
 * ("Ringing…", "Connecting…", "Reconnecting…", the running duration), the friend's muted /
 * camera-off indicators, the quality panel, and the controls. "Minimise" turns it into the
 * bar at the top (CallBar) so the user can keep chatting. Escape hangs up.
 */
import type { CallT } from '../../../src-preload/contract';
import { useNow } from '../../lib/hooks';
import { shortAddress } from '../../lib/format';
import { Avatar } from '../../ui/Avatar';
import { hangUp } from './call-actions';
import { stateLabel } from './call-format';
import { useCallStore } from './call-store';
import { IconMicOff, IconMinimise, IconVideoOff } from './call-icons';
import { CallControls } from './CallControls';
import { StatsOverlay } from './StatsOverlay';
import { useModal } from '../../ui/use-modal';
import { VideoTile } from './VideoTile';

export function InCallView({ call }: { call: CallT }) {
  const now = useNow(1000);
  const media = useCallStore((s) => (s.media?.callId === call.id ? s.media : null));
  const stats = useCallStore((s) => s.stats);
  const showStats = useCallStore((s) => s.showStats);
  const mediaError = useCallStore((s) => s.mediaError);
  const setMinimised = useCallStore((s) => s.setMinimised);
  const ref = useModal(() => void hangUp());
  const engine = media?.engine ?? null;
  const remoteVideo = call.remoteCamera && call.state !== 'ended' && engine !== null;
  const selfVideo = call.camera && call.state !== 'ended' && engine !== null;
  const label = stateLabel(call, now);
  return (
    <dialog ref={ref} className="call-view" data-testid="call-overlay" data-state={call.state} aria-label={`Call with ${call.peerName}`}>
      <div className={`call-stage${remoteVideo ? ' has-video' : ''}`}>
        {remoteVideo ? (
          <VideoTile stream={engine.remoteStream} className="call-remote-video" label={`${call.peerName}’s video`} testId="call-remote-video" />
        ) : (
          <div className="call-stage-avatar">
            <Avatar name={call.peerName} address={call.peer} size="xl" />
          </div>
        )}
        <header className="call-top">
          <div className="call-top-text">
            <h2 className="call-peer-name">{call.peerName}</h2>
            <p className="call-sub">
              <span className="call-state" data-testid="call-state" data-state={call.state} aria-live="polite">
                {call.state === 'active' ? <span data-testid="call-duration">{label}</span> : label}
              </span>
              <span className="call-peer-address mono" title={call.peer}>
                {' · '}
                {shortAddress(call.peer)}
              </span>
            </p>
          </div>
          <button type="button" className="call-ctl call-ctl-sm" aria-label="Minimise call" title="Minimise call" data-testid="call-minimise" onClick={() => setMinimised(true)}>
            <IconMinimise size={18} />
          </button>
        </header>
        <div className="call-remote-flags">
          {call.remoteMuted && (
            <span className="call-flag" data-testid="call-remote-muted">
              <IconMicOff size={16} /> {call.peerName} is muted
            </span>
          )}
          {!call.remoteCamera && call.video && call.state === 'active' && (
            <span className="call-flag" data-testid="call-remote-camera-off">
              <IconVideoOff size={16} /> {call.peerName}’s camera is off
            </span>
          )}
        </div>
        {mediaError && (
          <p className="call-media-error" role="alert">
            Microphone or camera unavailable: {mediaError}
          </p>
        )}
        {selfVideo && (
          <div className="call-self">
            <VideoTile stream={engine.localStream} className="call-self-video" mirrored label="Your camera" testId="call-self-video" />
          </div>
        )}
        {showStats && <StatsOverlay stats={stats} engine={engine} />}
      </div>
      <CallControls call={call} />
    </dialog>
  );
}
