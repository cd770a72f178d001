/**
 * @module renderer/features/calls/call-keys
 * Which call action a key press asks for. Ctrl/⌘+Shift+H hangs up wherever focus is; with
 * the full call view shown, M mutes, V toggles the camera and I the quality panel. Single
 * letters never count while typing in a field or with a modifier held.
 */

export type CallKey = 'hangup' | 'mute' | 'camera' | 'stats' | null;

function typing(target: EventTarget | null): boolean {
  if (typeof HTMLElement === 'undefined' || !(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

/** Which call action a key press asks for (pure but for the target check). */
export function callKeyOf(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey' | 'target'>, fullView: boolean): CallKey {
  const key = e.key.toLowerCase();
  if ((e.ctrlKey || e.metaKey) && e.shiftKey && !e.altKey && key === 'h') return 'hangup';
  if (!fullView || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return null;
  if (e.shiftKey) return null;
  if (key === 'm') return 'mute';
  if (key === 'v') return 'camera';
  if (key === 'i') return 'stats';
  return null;
}
