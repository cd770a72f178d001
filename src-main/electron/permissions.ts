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
 * When voice/video calls land, 'media' will be added for the app document, limited to the
 * requested mediaTypes ('audio' and, for video calls, 'video') — never 'display-capture'.
 */
import { isAppDocument, type AppLocation } from './links';

export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['notifications', 'clipboard-sanitized-write']);

export function isPermissionAllowed(permission: string, requestingUrl: string | undefined, app: AppLocation): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isAppDocument(requestingUrl, app);
}
