/**
 * @module electron/permissions
 * Which web permissions the app's page may get: the decision as data and a pure function,
 * installed by security.ts as the session's permission request and check handlers.
 *
 * Electron grants every permission by default (Electron security checklist, "Handle session
 * permission requests from remote content"); here everything is denied except, for the app's
 * own document only:
 *   - 'notifications'             new-message alerts;
 *   - 'clipboard-sanitized-write' `navigator.clipboard.writeText` for "copy invite link"
 *                                 (write-only, sanitized; reading the clipboard stays denied).
 *   - 'media'                     microphone and camera for calls, only when every requested
 *                                 media type is 'audio' or 'video' (never screen capture:
 *                                 'display-capture' stays denied, as does any unknown type).
 */
import { isAppDocument, type AppLocation } from './links';

export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['notifications', 'clipboard-sanitized-write']);

const CALL_MEDIA_TYPES: ReadonlySet<string> = new Set(['audio', 'video']);

/** `mediaTypes`: what a 'media' request asks for (Electron's details.mediaTypes / mediaType). */
export function isPermissionAllowed(permission: string, requestingUrl: string | undefined, app: AppLocation, mediaTypes?: readonly string[]): boolean {
  if (!isAppDocument(requestingUrl, app)) return false;
  if (permission === 'media') return mediaTypes !== undefined && mediaTypes.length > 0 && mediaTypes.every((t) => CALL_MEDIA_TYPES.has(t));
  return ALLOWED_PERMISSIONS.has(permission);
}
