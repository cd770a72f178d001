/**
 * @module chat/roster-blob
 * The backed-up contact list ("roster") as the opaque blob a router's vault keeps
 * (ar/README.md "Vault"; layout in README.md "Roster backup"):
 *
 *   header  = "BUR" ‖ format 0x01 ‖ owner address (20) ‖ version u64 BE ‖ nonce (12)
 *   body    = AES-256-GCM(key, nonce, JSON roster, AAD = header)         (NIST SP 800-38D)
 *   key     = HKDF-SHA256(ikm = chat identity private key, salt = owner address,
 *                         info = "bitunicom/roster/v1", 32 bytes)          (RFC 5869)
 *   blob    = header ‖ body ‖ secp256k1 signature (r ‖ s ‖ v) of
 *             sha256("BU-ROSTER-v1\0" ‖ header ‖ body) by the same identity
 *
 * Only the account's key can make or read one: the router learns its size and version, nothing
 * else. Opening refuses anything malformed, signed by anyone else, for another owner, failing
 * authentication, or (with `minVersion`) older than what the caller already has.
 */
import { BuError, bytesEqual, concatBytes, fromHex, toHex } from '../base';
import type { Identity } from '../account';
import { aesGcmOpen, aesGcmSeal, addressOf, checksumAddress, hkdf, normalizePublicKey, randomBytes, recoverPublicKey, sameAddress, sha256, signHash, verifyHash } from '../crypto';
import { VAULT_MAX_BLOB, isRelayEndpoint } from '../ar';
import { endpointKey, parseEndpoint, type Endpoint } from '../net';
import { CONTACT_STATES, type ContactState } from '../store';

export const ROSTER_FORMAT = 1;
const MAGIC = Uint8Array.of(0x42, 0x55, 0x52, ROSTER_FORMAT); // "BUR" ‖ format
const HEADER = 4 + 20 + 8 + 12;
const TAG = 16;
const SIG = 65;
const SIG_DOMAIN = new TextEncoder().encode('BU-ROSTER-v1\0');
const KEY_INFO = 'bitunicom/roster/v1';
/** Largest blob (what one vault slot holds). */
export const ROSTER_MAX_BLOB = VAULT_MAX_BLOB;
export const ROSTER_MAX_CONTACTS = 5000;
export const ROSTER_MAX_ENDPOINTS = 4;
export const ROSTER_MAX_NAME = 128;

export type RosterContact = { address: string; publicKey: Uint8Array; name: string; state: ContactState; endpoints: Endpoint[] };
export type Roster = { version: number; contacts: RosterContact[] };

type WireContact = { a: string; k: string; n: string; s: string; e?: string[] };

function rosterKey(identity: Identity): Uint8Array {
  return hkdf(identity.privateKey, fromHex(identity.address), KEY_INFO, 32);
}

function bad(why: string): never {
  throw new BuError('BAD_ENVELOPE', `roster: ${why}`);
}

/** The JSON plaintext (names cut to ROSTER_MAX_NAME, endpoints to ROSTER_MAX_ENDPOINTS non-relay ones). */
export function encodeRosterPlaintext(contacts: readonly RosterContact[]): Uint8Array {
  const c: WireContact[] = contacts.map((x) => {
    const e = x.endpoints.filter((ep) => !isRelayEndpoint(ep)).slice(0, ROSTER_MAX_ENDPOINTS).map(endpointKey);
    return { a: checksumAddress(x.address), k: toHex(normalizePublicKey(x.publicKey)), n: [...x.name].slice(0, ROSTER_MAX_NAME).join(''), s: x.state, ...(e.length ? { e } : {}) };
  });
  return new TextEncoder().encode(JSON.stringify({ v: ROSTER_FORMAT, c }));
}

/** Seal and sign a roster for `identity`'s vault. */
export function sealRoster(identity: Identity, roster: Roster): Uint8Array {
  if (!Number.isSafeInteger(roster.version) || roster.version < 1) throw new BuError('BAD_INPUT', 'roster version must be a positive integer');
  const header = new Uint8Array(HEADER);
  header.set(MAGIC, 0);
  header.set(fromHex(identity.address), 4);
  new DataView(header.buffer).setBigUint64(24, BigInt(roster.version));
  header.set(randomBytes(12), 32);
  const body = aesGcmSeal(rosterKey(identity), header.subarray(32), encodeRosterPlaintext(roster.contacts), header);
  const signed = concatBytes(header, body);
  const blob = concatBytes(signed, signHash(sha256(SIG_DOMAIN, signed), identity.privateKey));
  if (blob.length > ROSTER_MAX_BLOB) throw new BuError('TOO_LONG', `the contact list takes ${blob.length} bytes sealed (at most ${ROSTER_MAX_BLOB})`);
  return blob;
}

/** The version a blob claims, without opening it (null if it is not a roster blob at all). */
export function rosterVersionOf(blob: Uint8Array): number | null {
  if (blob.length < HEADER + TAG + SIG || !bytesEqual(blob.subarray(0, 4), MAGIC)) return null;
  const v = new DataView(blob.buffer, blob.byteOffset, blob.byteLength).getBigUint64(24);
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : null;
}

/** Verify, decrypt and validate `identity`'s roster; throws BAD_ENVELOPE on anything wrong. */
export function openRoster(blob: Uint8Array, identity: Identity, opts: { minVersion?: number } = {}): Roster {
  if (blob.length < HEADER + TAG + SIG || blob.length > ROSTER_MAX_BLOB) bad('wrong size');
  if (!bytesEqual(blob.subarray(0, 4), MAGIC)) bad('not a roster blob (magic or format)');
  const owner = checksumAddress(`0x${toHex(blob.subarray(4, 24))}`);
  if (!sameAddress(owner, identity.address)) bad('for another account');
  const signed = blob.subarray(0, blob.length - SIG);
  // low-s (verifyHash) and the recovery byte must name our key too: no second encoding of a blob
  const hash = sha256(SIG_DOMAIN, signed);
  const sig = blob.subarray(blob.length - SIG);
  const recovered = recoverPublicKey(hash, sig);
  if (!verifyHash(hash, sig, identity.publicKey) || !recovered || !bytesEqual(recovered, normalizePublicKey(identity.publicKey))) bad('bad signature');
  const version = rosterVersionOf(blob);
  if (version === null || version < 1) bad('bad version');
  if (opts.minVersion !== undefined && version < opts.minVersion) bad(`version ${version} is older than ${opts.minVersion} (rollback)`);
  const header = blob.subarray(0, HEADER);
  const plain = aesGcmOpen(rosterKey(identity), header.subarray(32), signed.subarray(HEADER), header);
  if (!plain) bad('authentication failed');
  return { version, contacts: decodeContacts(plain, identity.address) };
}

function decodeContacts(plain: Uint8Array, self: string): RosterContact[] {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plain));
  } catch {
    bad('body is not JSON');
  }
  if (!isObject(doc) || doc.v !== ROSTER_FORMAT || !Array.isArray(doc.c) || Object.keys(doc).length !== 2) bad('bad body');
  if (doc.c.length > ROSTER_MAX_CONTACTS) bad('too many contacts');
  const seen = new Set<string>();
  return doc.c.map((raw): RosterContact => {
    if (!isObject(raw)) bad('bad contact');
    const { a, k, n, s, e } = raw as Partial<Record<keyof WireContact, unknown>>;
    if (Object.keys(raw).some((key) => !['a', 'k', 'n', 's', 'e'].includes(key))) bad('unknown contact field');
    if (typeof a !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(a) || typeof k !== 'string' || !/^[0-9a-f]{66}$/.test(k)) bad('bad contact key');
    let publicKey: Uint8Array;
    try {
      publicKey = normalizePublicKey(fromHex(k));
    } catch {
      bad('contact key is not on the curve');
    }
    const address = addressOf(publicKey);
    if (!sameAddress(address, a) || sameAddress(address, self)) bad('contact key does not match its address');
    if (seen.has(address.toLowerCase())) bad('duplicate contact');
    seen.add(address.toLowerCase());
    if (typeof n !== 'string' || [...n].length > ROSTER_MAX_NAME) bad('bad contact name');
    if (typeof s !== 'string' || !(CONTACT_STATES as readonly string[]).includes(s)) bad('bad contact state');
    if (e !== undefined && (!Array.isArray(e) || e.length > ROSTER_MAX_ENDPOINTS)) bad('bad endpoints');
    const endpoints = ((e as unknown[] | undefined) ?? []).map((x) => {
      try {
        const ep = parseEndpoint(x as string);
        if (!isRelayEndpoint(ep)) return ep;
      } catch {
        /* fall through */
      }
      return bad('bad endpoint');
    });
    return { address, publicKey, name: n, state: s as ContactState, endpoints };
  });
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
