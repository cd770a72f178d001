/**
 * @module dapps/provider/personal-message
 * What a `personal_sign` message says (EIP-191 version 0x45, https://eips.ethereum.org/EIPS/eip-191:
 * the wallet signs keccak256("\x19Ethereum Signed Message:\n" + len + message)). The message
 * arrives as 0x-hex bytes (as MetaMask sends it) or, from older dapps, as plain text. It is
 * shown as UTF-8 text when it decodes strictly and has no control characters beyond line
 * breaks and tabs; otherwise as hex with a warning. 32 bytes that are not text look like a
 * transaction or order hash: signing one may authorise what it stands for, unseen. A
 * Sign-In with Ethereum message (EIP-4361) whose domain is not the dapp's origin is flagged.
 */
import type { DisplayRowT } from '../../../../src-preload/contract';
import { fromHex, toHex } from '../../base';
import { bad } from './params';
import { cleanText, clean, row } from './display';

export const MAX_MESSAGE_BYTES = 64 * 1024;

export type PersonalMessage = { bytes: Uint8Array; text: string | null; rows: DisplayRowT[]; warnings: string[] };

const HEX = /^0x([0-9a-fA-F]{2})*$/;

function asText(bytes: Uint8Array): string | null {
  if (bytes.length === 0) return null;
  let s: string;
  try {
    s = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
  return /[\p{Cc}]/u.test(s.replace(/[\n\r\t]/g, '')) ? null : s;
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host || null;
  } catch {
    return null;
  }
}

/** EIP-4361: "<domain> wants you to sign in with your Ethereum account:" on the first line. */
function siweDomain(text: string): string | null {
  const m = /^(?:[a-z][a-z0-9+.-]*:\/\/)?([^\s/]+) wants you to sign in with your Ethereum account:\n/i.exec(text);
  return m ? m[1]! : null;
}

export function readPersonalMessage(raw: unknown, origin: string): PersonalMessage {
  if (typeof raw !== 'string') throw bad('personal_sign takes the message first, as 0x-hex bytes or text.');
  const bytes = HEX.test(raw) ? fromHex(raw.slice(2)) : new TextEncoder().encode(raw);
  if (bytes.length > MAX_MESSAGE_BYTES) throw bad(`The message is ${bytes.length} bytes; at most ${MAX_MESSAGE_BYTES} can be signed.`);
  const text = asText(bytes);
  const rows: DisplayRowT[] = [];
  const warnings: string[] = [];
  if (text !== null) {
    rows.push(row('Message', cleanText(text)));
    if (/[\p{Cf}\u2028\u2029]/u.test(text)) warnings.push('The message contains invisible or direction-changing characters (shown as spaces): what you read may not be what you sign.');
    const domain = siweDomain(text.replace(/\r\n?/g, '\n'));
    if (domain !== null) {
      rows.unshift(row('Sign in to', clean(domain, 200)));
      const host = hostOf(origin);
      if (host === null || domain.toLowerCase() !== host.toLowerCase()) {
        warnings.push(`This sign-in message is for ${clean(domain, 200)}, but the request comes from ${clean(origin, 200)}: it may be an attempt to sign you in somewhere else.`);
      }
    }
  } else {
    rows.push(row('Message (hex)', bytes.length === 0 ? '(empty)' : `0x${toHex(bytes)}`, { mono: true }));
    warnings.push('This message is not readable text: you cannot see what signing it means. Sign only if you trust this dapp.');
    if (bytes.length === 32) {
      warnings.push('It is 32 bytes, the size of a transaction or order hash: a signature over it can authorise whatever that hash stands for.');
    }
  }
  rows.push(row('Size', `${bytes.length} byte${bytes.length === 1 ? '' : 's'}`));
  return { bytes, text, rows, warnings };
}
