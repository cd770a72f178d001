/**
 * @module store/address
 * Addresses are matched case-insensitively: rows are keyed by the lowercase form and keep the
 * EIP-55 checksummed form (https://eips.ethereum.org/EIPS/eip-55) for display.
 */
import { BuError } from '../base';
import { checksumAddress } from '../crypto';

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** Lowercase key of a 0x-prefixed 20-byte hex address; BAD_INPUT if malformed. */
export function addressKey(address: string): string {
  if (typeof address !== 'string' || !ADDRESS.test(address)) throw new BuError('BAD_INPUT', 'That is not a valid address.');
  return address.toLowerCase();
}

/** EIP-55 display form of a valid address. */
export function displayAddress(address: string): string {
  return checksumAddress(addressKey(address));
}

export function isForeignKeyError(err: unknown): boolean {
  return (err as { code?: string })?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
