/**
 * @module renderer/features/calls/CallControls
 * The row of round buttons under the call: mute (M), camera (V), devices, stats (I) and the
 * red hang-up (Ctrl+Shift+H). Toggle buttons expose their state with `aria-pressed`.
 */
import type { ReactNode } from 'react';
import type { CallT } from '../../../src-preload/contract';
import { hangUp, toggleCamera, toggleMute } from './call-actions';
import { useCallStore } from './call-store';
import { IconHangUp, IconMic, IconMicOff, IconStats, IconVideo, IconVideoOff } from './call-icons';
import { DevicePicker } from './DevicePicker';

type ToggleProps = { label: string; keyHint: string; pressed: boolean; testId: string; onClick(): void; children: ReactNode; off?: boolean; first?: boolean };

function Toggle({ label, keyHint, pressed, testId, onClick, children, off, first }: ToggleProps) {
  return (
    <button
      type="button"
      className={`call-ctl${off ? ' is-off' : ''}`}
      aria-label={label}
      aria-pressed={pressed}
      aria-keyshortcuts={keyHint}
      title={`${label} (${keyHint})`}
      data-testid={testId}
      data-autofocus={first || undefined}
      onClick={onClick}
    >
      {children}
    </button>
  );
}

export function CallControls({ call }: { call: CallT }) {
  const showStats = useCallStore((s) => s.showStats);
  const toggleStats = useCallStore((s) => s.toggleStats);
  const ended = call.state === 'ended';
  return (
    <div className="call-controls" role="toolbar" aria-label="Call controls">
      <Toggle label={call.muted ? 'Unmute' : 'Mute'} keyHint="M" pressed={call.muted} off={call.muted} testId="call-mute" first onClick={() => void toggleMute()}>
        {call.muted ? <IconMicOff size={22} /> : <IconMic size={22} />}
      </Toggle>
      <Toggle
        label={call.camera ? 'Turn camera off' : 'Turn camera on'}
        keyHint="V"
        pressed={call.camera}
        off={!call.camera}
        testId="call-camera"
        onClick={() => void toggleCamera()}
      >
        {call.camera ? <IconVideo size={22} /> : <IconVideoOff size={22} />}
      </Toggle>
      <DevicePicker />
      <Toggle label={showStats ? 'Hide call quality' : 'Show call quality'} keyHint="I" pressed={showStats} testId="call-stats" onClick={toggleStats}>
        <IconStats size={22} />
      </Toggle>
      <button
        type="button"
        className="call-ctl call-ctl-hangup"
        aria-label={call.state === 'outgoing' ? 'Cancel call' : 'Hang up'}
        aria-keyshortcuts="Control+Shift+H"
        title={`${call.state === 'outgoing' ? 'Cancel call' : 'Hang up'} (Ctrl+Shift+H)`}
        data-testid="call-hangup"
        disabled={ended}
        onClick={() => void hangUp()}
      >
        <IconHangUp size={24} />
      </button>
    </div>
  );
}
