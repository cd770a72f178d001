/**
 * @module chat/invite
 * Signed invite links: `bitunicom://invite/<payload>.<signature>`, both base64url.
 * payload = UTF-8 JSON {v:1, a:address, k:compressed secp256k1 pubkey hex, n:name, e:["host:port"], t:unix ms};
 * signature = secp256k1 r‖s‖v over sha256("BU-INVITE-v1\0" ‖ payload). The reader checks that the
 * key hashes to the address (EIP-55 style, as Ethereum addresses) and that the signature recovers
 * that key, so nobody can alter the endpoints or the name of someone else's invite.
 */
import { BuError, bytesEqual, fromBase64Url, fromHex, toBase64Url, toHex, utf8, fromUtf8 } from '../base';
import { addressOf, normalizePublicKey, recoverPublicKey, sameAddress, sha256, signHash } from '../crypto';
import { parseEndpoint, type Endpoint } from '../net';

export const INVITE_PREFIX = 'bitunicom://invite/';
const DOMAIN = utf8('BU-INVITE-v1\0');

export type Invite = { address: string; publicKey: Uint8Array; name: string; endpoints: Endpoint[]; createdAt: number };

export function createInvite(a: {
  privateKey: Uint8Array;
  publicKey: Uint8Array;
  address: string;
  name: string;
  endpoints: Endpoint[];
  now?: number;
}): string {
  const body = utf8(
    JSON.stringify({
      v: 1,
      a: a.address,
      k: toHex(a.publicKey),
      n: a.name,
      e: a.endpoints.slice(0, 8).map((e) => `${e.host}:${e.port}`),
      t: a.now ?? Date.now(),
    }),
  );
  const sig = signHash(sha256(DOMAIN, body), a.privateKey);
  return `${INVITE_PREFIX}${toBase64Url(body)}.${toBase64Url(sig)}`;
}

export function parseInvite(link: string): Invite {
  const bad = (why: string): never => {
    throw new BuError('BAD_INVITE', `invalid invite: ${why}`);
  };
  const trimmed = link.trim();
  if (!trimmed.startsWith(INVITE_PREFIX)) bad('it must start with bitunicom://invite/');
  const parts = trimmed.slice(INVITE_PREFIX.length).split('.');
  if (parts.length !== 2) bad('malformed link');
  let body: Uint8Array, sig: Uint8Array;
  try {
    body = fromBase64Url(parts[0]!);
    sig = fromBase64Url(parts[1]!);
  } catch {
    return bad('malformed encoding');
  }
  let j: { v?: unknown; a?: unknown; k?: unknown; n?: unknown; e?: unknown; t?: unknown };
  try {
    j = JSON.parse(fromUtf8(body));
  } catch {
    return bad('malformed payload');
  }
  if (j.v !== 1) bad('unsupported version');
  if (typeof j.a !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(j.a)) bad('bad address');
  if (typeof j.k !== 'string' || !/^[0-9a-f]{66}$/.test(j.k)) bad('bad public key');
  if (typeof j.n !== 'string' || j.n.length > 64) bad('bad name');
  if (!Array.isArray(j.e) || j.e.length > 8 || !j.e.every((x) => typeof x === 'string')) bad('bad endpoints');
  if (typeof j.t !== 'number') bad('bad timestamp');
  let publicKey: Uint8Array;
  try {
    publicKey = normalizePublicKey(fromHex(j.k as string));
  } catch {
    return bad('public key is not on the curve');
  }
  if (!sameAddress(addressOf(publicKey), j.a as string)) bad('public key does not match the address');
  const recovered = recoverPublicKey(sha256(DOMAIN, body), sig);
  if (!recovered || !bytesEqual(recovered, publicKey)) bad('signature does not match');
  const endpoints: Endpoint[] = [];
  for (const e of j.e as string[]) {
    try {
      endpoints.push(parseEndpoint(e));
    } catch {
      bad(`bad endpoint ${e}`);
    }
  }
  return { address: addressOf(publicKey), publicKey, name: (j.n as string).trim(), endpoints, createdAt: j.t as number };
}

