/**
 * @module dapps/package/manifest
 * `manifest.json`, the description every dapp bundle carries at its root, checked with zod
 * (as the bridge contract is). A manifest is refused with MANIFEST_INVALID naming the field.
 *
 * - `version` and `minHostVersion`: Semantic Versioning 2.0.0 `MAJOR.MINOR.PATCH` (§2: no
 *   leading zeros), without pre-release or build parts and each part ≤ 65535 — the registry
 *   contract stores a version packed into a uint64 (dapps/registry `packVersion`), so only
 *   those versions can be published. Precedence is §11 on the three numbers.
 * - `appId`: the application id of seed 000 ("every dapp is assigned a unique application
 *   ID"), the first 20 bytes of SHA-256 (FIPS 180-4) over "bitunicom-dapp-appid-v1" ‖ the
 *   author key (33 bytes) ‖ the UTF-8 name — so no one can claim another author's id, and the
 *   same formula the devnet's sample registry entries use (resources/contracts/devnet-samples.mjs).
 * - `author`: the author's secp256k1 public key, SEC 1 §2.3.3 compressed (33 bytes, hex).
 * - `permissions`: a closed list; the host grants nothing a dapp did not ask for here.
 */
import { z } from 'zod';
import { bytesEqual, fromHex, toHex, utf8 } from '../../base';
import { normalizePublicKey, sha256 } from '../../crypto';
import { PackageError } from './errors';
import { extensionOf, pathProblem } from './paths';

export const MANIFEST_FILE = 'manifest.json';
export const APP_ID_DOMAIN = 'bitunicom-dapp-appid-v1';
export const MAX_MANIFEST_BYTES = 64 * 1024;

export const PERMISSIONS = ['accounts', 'sign', 'transact', 'p2p-channel', 'storage', 'notifications'] as const;
export type DappPermission = (typeof PERMISSIONS)[number];

const SEMVER_RE = /^(0|[1-9]\d{0,4})\.(0|[1-9]\d{0,4})\.(0|[1-9]\d{0,4})$/;
const MAX_PART = 0xffff;

export type Semver = readonly [number, number, number];

/** Parses `MAJOR.MINOR.PATCH` (semver 2.0.0, parts ≤ 65535); null if it is not one. */
export function parseSemver(text: string): Semver | null {
  const m = SEMVER_RE.exec(text);
  if (!m) return null;
  const parts = [Number(m[1]), Number(m[2]), Number(m[3])] as const;
  return parts.every((p) => p <= MAX_PART) ? parts : null;
}

/** Semver 2.0.0 §11 precedence: negative if a < b, 0 if equal, positive if a > b. */
export function compareSemver(a: string, b: string): number {
  const x = parseSemver(a);
  const y = parseSemver(b);
  if (!x || !y) throw new TypeError(`not a MAJOR.MINOR.PATCH version: ${x ? b : a}`);
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}

/** The application id (20 bytes) of an author key (33 bytes, compressed) and a name. */
export function deriveAppId(authorKey: Uint8Array, name: string): Uint8Array {
  return sha256(utf8(APP_ID_DOMAIN), normalizePublicKey(authorKey), utf8(name)).subarray(0, 20);
}

export function appIdHex(authorKeyHex: string, name: string): string {
  return `0x${toHex(deriveAppId(fromHex(authorKeyHex), name))}`;
}

const semverText = z
  .string()
  .refine((v) => parseSemver(v) !== null, 'must be MAJOR.MINOR.PATCH (semver 2.0.0 without pre-release or build, no leading zeros, each part at most 65535)');

function bundlePath(exts: readonly string[]) {
  return z.string().superRefine((p, ctx) => {
    const problem = pathProblem(p);
    if (problem) ctx.addIssue({ code: 'custom', message: `"${p}" ${problem}` });
    else if (!exts.includes(extensionOf(p))) ctx.addIssue({ code: 'custom', message: `"${p}" must be a ${exts.join(' or ')} file` });
  });
}

const authorKey = z
  .string()
  .regex(/^0x0[23][0-9a-f]{64}$/, 'must be a compressed secp256k1 public key: 0x02… or 0x03… and 64 more lower-case hex digits')
  .refine((k) => {
    try {
      normalizePublicKey(fromHex(k));
      return true;
    } catch {
      return false;
    }
  }, 'is not a point on secp256k1');

const noControl = (s: string) => !/\p{Cc}/u.test(s);

export const DappManifest = z
  .strictObject({
    name: z
      .string()
      .min(1, 'must not be empty')
      .refine((s) => Buffer.byteLength(s, 'utf8') <= 64, 'must be at most 64 bytes of UTF-8 (the registry’s limit)')
      .refine((s) => s === s.trim() && noControl(s), 'must not start or end with spaces or contain control characters')
      .refine((s) => s === s.normalize('NFC'), 'must be in Unicode NFC form (the application id is derived from its bytes)'),
    version: semverText.refine((v) => v !== '0.0.0', 'must be above 0.0.0 (the registry refuses version 0)'),
    appId: z.string().regex(/^0x[0-9a-f]{40}$/, 'must be 0x and 40 lower-case hex digits (20 bytes)'),
    author: authorKey,
    description: z.string().min(1, 'must not be empty').max(1000, 'must be at most 1000 characters').refine((s) => noControl(s.replace(/\n/g, '')), 'must not contain control characters other than newlines'),
    categories: z
      .array(z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lower-case words joined by "-"').max(32, 'must be at most 32 characters'))
      .min(1, 'must name at least one category (the first is the one the registry lists)')
      .max(3, 'may name at most 3 categories')
      .refine((a) => new Set(a).size === a.length, 'must not repeat a category'),
    permissions: z.array(z.enum(PERMISSIONS)).max(PERMISSIONS.length).refine((a) => new Set(a).size === a.length, 'must not repeat a permission'),
    icon: bundlePath(['svg', 'png']),
    screenshots: z.array(bundlePath(['png', 'jpg', 'jpeg', 'webp'])).max(8, 'may list at most 8 screenshots'),
    entry: bundlePath(['html']),
    minHostVersion: semverText,
  })
  .superRefine((m, ctx) => {
    // the id must be the one this author key and name give (checked only when both are well formed)
    if (!/^0x[0-9a-f]{40}$/.test(m.appId) || !/^0x0[23][0-9a-f]{64}$/.test(m.author)) return;
    let expected: string;
    try {
      expected = appIdHex(m.author, m.name);
    } catch {
      return;
    }
    if (expected !== m.appId) ctx.addIssue({ code: 'custom', path: ['appId'], message: `is not the id of this author key and name (expected ${expected})` });
  });

export type DappManifestT = z.infer<typeof DappManifest>;

/** "field 'x.y': message" for each zod issue, joined. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const field = i.path.length ? i.path.map(String).join('.') : '(top level)';
      const msg = i.code === 'unrecognized_keys' ? `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `'${k}'`).join(', ')}` : i.message;
      return `field '${field}': ${msg}`;
    })
    .join('; ');
}

/** Validates a parsed manifest object; throws MANIFEST_INVALID naming each bad field. */
export function checkManifest(value: unknown): DappManifestT {
  const r = DappManifest.safeParse(value);
  if (!r.success) throw new PackageError('MANIFEST_INVALID', `${MANIFEST_FILE}: ${describeIssues(r.error)}.`);
  return r.data;
}

/** Parses and validates the bytes of manifest.json. */
export function parseManifest(bytes: Uint8Array): DappManifestT {
  if (bytes.length > MAX_MANIFEST_BYTES) throw new PackageError('MANIFEST_INVALID', `${MANIFEST_FILE} is larger than ${MAX_MANIFEST_BYTES} bytes.`);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new PackageError('MANIFEST_INVALID', `${MANIFEST_FILE} is not valid UTF-8 JSON: ${(e as Error).message}.`);
  }
  return checkManifest(value);
}

/** The paths the manifest refers to (entry, icon, screenshots). */
export function referencedPaths(m: DappManifestT): string[] {
  return [m.entry, m.icon, ...m.screenshots];
}

/** The manifest's author key as bytes (33). */
export function authorKeyOf(m: DappManifestT): Uint8Array {
  return fromHex(m.author);
}

/** The manifest's application id as bytes (20). */
export function appIdOf(m: DappManifestT): Uint8Array {
  return fromHex(m.appId);
}

/** Whether this host (its own version) is recent enough for the dapp. */
export function hostSupports(m: DappManifestT, hostVersion: string): boolean {
  return compareSemver(hostVersion, m.minHostVersion) >= 0;
}

export function sameKey(a: string, b: string): boolean {
  return bytesEqual(fromHex(a), fromHex(b));
}
