/**
 * @module electron/protocol-links
 * `bitunicom:` links handed to the app by the OS, as pure functions (no 'electron' import).
 * The app registers itself as the handler of the `bitunicom` scheme (`app.setAsDefaultProtocolClient`,
 * and `protocols` in .config/electron-builder.json for the packages: Info.plist
 * CFBundleURLTypes, the NSIS registry keys, `MimeType=x-scheme-handler/bitunicom;` in the
 * XDG desktop entry). Windows and Linux start a second instance with the link in argv (it
 * reaches us as 'second-instance'); macOS sends 'open-url'.
 *
 * Anything on a command line or in a URL from the OS is untrusted input (Electron security
 * checklist, "Validate the sender of all IPC messages" / "Do not use openExternal with untrusted
 * content" in spirit): only the exact form the app itself makes (`chat/invite.ts`:
 * `bitunicom://invite/<base64url>.<base64url>`) is accepted, capped at the bridge's own limit
 * for `contacts.add`, and nothing is done with it but asking the user and passing it to
 * `contacts.add`, which verifies the signature.
 */

export const PROTOCOL_SCHEME = 'bitunicom';
export const INVITE_LINK_PREFIX = 'bitunicom://invite/';
/** The `contacts.add` input limit (src-preload/contract/methods.ts). */
export const MAX_INVITE_LINK_LENGTH = 4096;

const INVITE_FORM = /^bitunicom:\/\/invite\/([A-Za-z0-9_-]{16,})\.([A-Za-z0-9_-]{86,88})$/;

/** The link when it is an invite in the app's own form, else null. The scheme is case-insensitive (RFC 3986). */
export function validateInviteLink(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_INVITE_LINK_LENGTH) return null;
  // Windows may hand the link over with a trailing slash added by the shell
  const s = raw.replace(/\/$/, '');
  const scheme = s.slice(0, PROTOCOL_SCHEME.length + 1).toLowerCase();
  if (scheme !== `${PROTOCOL_SCHEME}:`) return null;
  const link = PROTOCOL_SCHEME + s.slice(PROTOCOL_SCHEME.length);
  return INVITE_FORM.test(link) ? link : null;
}

/** The first valid invite link among command-line arguments (second instance, first launch). */
export function inviteLinkFromArgv(argv: readonly string[]): string | null {
  for (const a of argv) {
    if (!a.toLowerCase().startsWith(`${PROTOCOL_SCHEME}:`)) continue;
    const link = validateInviteLink(a);
    if (link) return link;
  }
  return null;
}

/**
 * Arguments for `app.setAsDefaultProtocolClient`. A packaged app registers its own executable;
 * an unpackaged one (`electron .`, `process.defaultApp`) must register the Electron binary plus
 * the app path, or the OS would start a bare Electron.
 */
export function protocolClientArgs(o: { defaultApp: boolean; execPath: string; appPathArg: string | undefined }): [scheme: string, path?: string, args?: string[]] {
  if (o.defaultApp && o.appPathArg) return [PROTOCOL_SCHEME, o.execPath, [o.appPathArg]];
  return [PROTOCOL_SCHEME];
}

/**
 * The name and address inside an invite, for the confirmation dialog only. Not verified here:
 * `contacts.add` checks the key against the address and the signature, and refuses otherwise.
 */
export function inviteSummary(link: string): { name: string; address: string } | null {
  const m = INVITE_FORM.exec(link);
  if (!m) return null;
  try {
    const j = JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8')) as { a?: unknown; n?: unknown };
    if (typeof j.a !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(j.a)) return null;
    const name = typeof j.n === 'string' ? j.n.replace(/[\p{Cc}\p{Cf}]/gu, '').trim().slice(0, 64) : '';
    return { name, address: j.a };
  } catch {
    return null;
  }
}

/** The confirmation dialog's text, as data. */
export function inviteDialog(link: string): { message: string; detail: string; buttons: [string, string] } | null {
  const s = inviteSummary(link);
  if (!s) return null;
  const who = s.name || `${s.address.slice(0, 6)}…${s.address.slice(-4)}`;
  return {
    message: `Send a friend request to ${who}?`,
    detail: `From an invite link opened outside the app.\nAddress: ${s.address}\nThe link's signature is checked before anything is sent.`,
    buttons: ['Send request', 'Cancel'],
  };
}
