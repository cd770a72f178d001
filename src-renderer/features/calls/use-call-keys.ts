/**
 * @module renderer/features/calls/use-call-keys
 * Call shortcuts. Ctrl/⌘+Shift+H hangs up from anywhere while a call runs. With the full
 * call view shown: M mutes, V toggles the camera, I toggles the quality panel (Escape there
 * hangs up: the view's modal dialog turns it into its `cancel`). Single letters never fire
 * while typing in a field (or with a modifier held).
 */
import { useEffect } from 'react';
import { hangUp, toggleCamera, toggleMute } from './call-actions';
import { isRunning } from './call-format';
import { callKeyOf } from './call-keys';
import { useCallStore } from './call-store';

export function useCallKeys(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const { call, minimised } = useCallStore.getState();
      if (!isRunning(call) || call.state === 'incoming' || e.defaultPrevented) return;
      const action = callKeyOf(e, !minimised);
      if (!action) return;
      e.preventDefault();
      if (action === 'hangup') void hangUp();
      else if (action === 'mute') void toggleMute();
      else if (action === 'camera') void toggleCamera();
      else useCallStore.getState().toggleStats();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
