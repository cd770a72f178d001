/**
 * @module daemon/resolve-peer
 * `<address|name>` arguments: an address is used as is (the node matches addresses
 * case-insensitively); anything else must match exactly one contact's name, ignoring case
 * and surrounding spaces. Unknown → NOT_FOUND, ambiguous → BAD_INPUT listing the candidates.
 */
import { BridgeError, type ContactT } from '../../src-preload/contract';
import { oneLine } from './format';

const ADDRESS_RE = /^0x[0-9a-fA-F]{40}$/;

export function isAddress(s: string): boolean {
  return ADDRESS_RE.test(s);
}

export function resolvePeer(ref: string, contacts: readonly ContactT[]): ContactT | { address: string; name: string } {
  const wanted = ref.trim();
  if (isAddress(wanted)) {
    return contacts.find((c) => c.address.toLowerCase() === wanted.toLowerCase()) ?? { address: wanted, name: '' };
  }
  if (/^0x[0-9a-f]*$/i.test(wanted) && wanted.length > 2) {
    throw new BridgeError('BAD_INPUT', `"${oneLine(wanted)}" is not a full address (0x followed by 40 hex digits)`);
  }
  const key = wanted.toLocaleLowerCase();
  const hits = contacts.filter((c) => c.name.trim().toLocaleLowerCase() === key);
  if (hits.length === 1) return hits[0]!;
  if (hits.length === 0) {
    throw new BridgeError('NOT_FOUND', `no contact named "${oneLine(wanted)}" (see: bitunicom contacts)`);
  }
  throw new BridgeError(
    'BAD_INPUT',
    `"${oneLine(wanted)}" matches ${hits.length} contacts (${hits.map((c) => c.address).join(', ')}); use the address`,
  );
}
