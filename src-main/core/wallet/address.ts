/**
 * @module wallet/address
 * Reading an Ethereum address a user typed, pasted or scanned, with its EIP-55 mixed-case
 * checksum (https://eips.ethereum.org/EIPS/eip-55). The checksum itself is `checksumAddress`
 * from `../crypto` (the one identities use), so wallet and identity addresses cannot disagree.
 *
 * `parseAddress` trims surrounding whitespace and requires "0x" + 40 hexadecimal characters.
 * An all-lowercase or all-uppercase address carries no checksum information (EIP-55 is
 * backwards compatible with such hex) and is accepted; a mixed-case address must match its
 * checksum exactly, otherwise it was most likely mistyped (EIP-55: a typo passes the check
 * with probability ≈ 0.0247 %) and is refused. The result is always the checksummed form.
 * ENS names are not resolved here: they are refused with their own sentence.
 *
 * Errors are `BuError('BAD_ADDRESS', sentence)` (`ADDRESS_ERROR_CODE`); each sentence starts
 * with the field's name (`subject`, "The address" by default) so a form or a payment link can
 * say which address is wrong.
 */
import { BuError, type ErrorCode } from '../base';
import { checksumAddress } from '../crypto';

export const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000';

/**
 * The code address errors carry. The bridge contract has no 'BAD_ADDRESS' code yet
 * (src-preload/contract/errors.ts); when it gains one, this is the only line to change.
 */
export const ADDRESS_ERROR_CODE: ErrorCode = 'BAD_ADDRESS';

function bad(message: string): BuError {
  return new BuError(ADDRESS_ERROR_CODE, message);
}

/** How an unexpected character is shown in a sentence: visible even if it is a space or a control. */
function shown(ch: string): string {
  return /^[\x21-\x7e]$/.test(ch) ? `"${ch}"` : `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Validate an address and return its EIP-55 checksummed form.
 * @param subject how the sentence names the field, e.g. "The recipient address".
 */
export function parseAddress(input: string, subject = 'The address'): string {
  if (typeof input !== 'string') throw bad(`${subject} must be given as text.`);
  const s = input.trim();
  if (s === '') throw bad(`${subject} is empty.`);
  if (!s.startsWith('0x')) {
    if (/^[0-9a-fA-F]{40}$/.test(s)) throw bad(`${subject} is missing its "0x" prefix.`);
    if (/^0X[0-9a-fA-F]*$/.test(s)) throw bad(`${subject} must start with "0x" with a lowercase x.`);
    if (/^[^\s/:]+\.[a-z]{2,}$/i.test(s)) throw bad(`${subject} is a name, not a 0x address; names such as alice.eth are not supported yet.`);
    throw bad(`${subject} must start with "0x" followed by 40 hexadecimal characters.`);
  }
  const body = s.slice(2);
  const stray = /[^0-9a-fA-F]/u.exec(body);
  if (stray) throw bad(`${subject} contains ${shown(stray[0])}, which is not a hexadecimal character (0-9, a-f).`);
  if (body.length !== 40) {
    throw bad(`${subject} has ${body.length} hexadecimal characters after "0x"; an Ethereum address has exactly 40.`);
  }
  const checksummed = checksumAddress(body);
  const noChecksum = body === body.toLowerCase() || body === body.toUpperCase();
  if (!noChecksum && `0x${body}` !== checksummed) {
    throw bad(`${subject} has a wrong EIP-55 checksum (its mix of capital and small letters does not match), so it probably contains a typo; copy it again from the original.`);
  }
  return checksummed;
}

/** True when `address` is a well-formed address equal to 0x000…0 (whitespace around it trimmed); false for anything else. */
export function isZeroAddress(address: string): boolean {
  return typeof address === 'string' && /^0x0{40}$/.test(address.trim());
}
