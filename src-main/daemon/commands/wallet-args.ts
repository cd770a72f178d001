/**
 * @module daemon/commands/wallet-args
 * Argument parsing and name resolution shared by the `bitunicom wallet …` commands, all pure
 * (the lists they search are passed in): a network by id or name, an account by address or
 * name, a recipient by wallet address or friend (contact name or identity address), amounts
 * and fees as exact decimal text (no floats: `--max-fee 1.5` gwei is 1500000000 wei).
 */
import { BridgeError, type ContactT, type WalletAccountT, type WalletNetworkT } from '../../../src-preload/contract';
import { MAX_UINT256 } from '../../core/base';
import { UsageError } from '../args';
import { oneLine } from '../format';
import { isAddress, resolvePeer } from '../resolve-peer';

export const FEE_TIERS = ['slow', 'normal', 'fast'] as const;
export type Tier = (typeof FEE_TIERS)[number];

const AMOUNT_RE = /^\d{1,78}(\.\d{1,77})?$/;
const HASH_RE = /^0x[0-9a-fA-F]{64}$/;

/** `--amount X`: digits with an optional fraction ("1.5"); the node checks it against the token's decimals. */
export function parseAmount(v: unknown, option = 'amount', command?: string): string {
  const s = typeof v === 'string' ? v.trim() : '';
  if (!AMOUNT_RE.test(s)) throw new UsageError(`--${option} is an amount like 1.5 (digits and one "." — no commas, signs or exponents)`, command);
  return s;
}

/** `--fee slow|normal|fast`. */
export function parseTier(v: unknown, command?: string): Tier | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string' && (FEE_TIERS as readonly string[]).includes(v)) return v as Tier;
  throw new UsageError(`--fee must be one of ${FEE_TIERS.join(', ')}`, command);
}

/** Gwei as decimal text → wei as decimal text, exactly ("1.5" → "1500000000"); at most 9 fraction digits. */
export function gweiToWei(v: unknown, option = 'max-fee', command?: string): string {
  const s = typeof v === 'string' ? v.trim() : '';
  const m = /^(\d{1,60})(?:\.(\d{1,9}))?$/.exec(s);
  if (!m) throw new UsageError(`--${option} is a fee in gwei per gas, like 2 or 1.5 (at most 9 digits after the point)`, command);
  const wei = BigInt(m[1]!) * 10n ** 9n + BigInt((m[2] ?? '').padEnd(9, '0'));
  if (wei === 0n) throw new UsageError(`--${option} must be more than 0`, command);
  if (wei > MAX_UINT256) throw new UsageError(`--${option} is too large`, command);
  return wei.toString();
}

/** An address option (0x + 40 hex digits); the node checks the EIP-55 checksum of mixed case. */
export function parseAddressArg(v: unknown, what: string, command?: string): string {
  const s = typeof v === 'string' ? v.trim() : '';
  if (!isAddress(s)) throw new UsageError(`${what} must be an address (0x followed by 40 hex digits)`, command);
  return s;
}

/** A transaction hash argument. */
export function parseHash(v: unknown, command?: string): string {
  const s = typeof v === 'string' ? v.trim() : '';
  if (!HASH_RE.test(s)) throw new UsageError('a transaction hash is 0x followed by 64 hex digits', command);
  return s;
}

/** `--chain-id`: decimal or 0x-hex, as EIP-3085 allows; kept as text for the node to compare. */
export function parseChainId(v: unknown, command?: string): string | undefined {
  if (v === undefined) return undefined;
  const s = typeof v === 'string' ? v.trim() : '';
  if (!/^(?:[1-9]\d{0,18}|0x[0-9a-fA-F]{1,16})$/.test(s) || BigInt(s) === 0n) {
    throw new UsageError('--chain-id is a positive number (decimal, or hex with 0x)', command);
  }
  return s;
}

/** A network by its id, else by its name (ignoring case and surrounding spaces). */
export function resolveNetwork(ref: string, networks: readonly WalletNetworkT[]): WalletNetworkT {
  const wanted = ref.trim();
  const byId = networks.find((n) => n.id === wanted);
  if (byId) return byId;
  const key = wanted.toLocaleLowerCase();
  const hits = networks.filter((n) => n.name.trim().toLocaleLowerCase() === key || n.id.toLocaleLowerCase() === key);
  if (hits.length === 1) return hits[0]!;
  if (hits.length === 0) throw new BridgeError('NOT_FOUND', `no network "${oneLine(wanted)}" (see: bitunicom wallet networks)`);
  throw new BridgeError('BAD_INPUT', `"${oneLine(wanted)}" names ${hits.length} networks (${hits.map((n) => n.id).join(', ')}); use the id`);
}

/** One of your accounts by address (any case) or by name (ignoring case); hidden ones included. */
export function resolveAccount(ref: string, accounts: readonly WalletAccountT[]): WalletAccountT {
  const wanted = ref.trim();
  if (isAddress(wanted)) {
    const hit = accounts.find((a) => a.address.toLowerCase() === wanted.toLowerCase());
    if (!hit) throw new BridgeError('NOT_FOUND', `${wanted} is not one of your accounts (see: bitunicom wallet accounts --all)`);
    return hit;
  }
  const key = wanted.toLocaleLowerCase();
  const hits = accounts.filter((a) => a.name.trim().toLocaleLowerCase() === key);
  if (hits.length === 1) return hits[0]!;
  if (hits.length === 0) throw new BridgeError('NOT_FOUND', `no account named "${oneLine(wanted)}" (see: bitunicom wallet accounts --all)`);
  throw new BridgeError('BAD_INPUT', `"${oneLine(wanted)}" names ${hits.length} accounts (${hits.map((a) => a.address).join(', ')}); use the address`);
}

/**
 * `--to ADDRESS|FRIEND` → the bridge's `to` (a wallet address) or `friend` (a contact's
 * identity address: the node pays the wallet address of their signed profile). An address
 * that is a contact's identity is that friend; any other address is paid as is; a name must
 * match one contact.
 */
export function resolveRecipient(ref: string, contacts: readonly ContactT[]): { to: string } | { friend: string } {
  const wanted = ref.trim();
  if (isAddress(wanted)) {
    const c = contacts.find((x) => x.address.toLowerCase() === wanted.toLowerCase());
    return c ? { friend: c.address } : { to: wanted };
  }
  return { friend: resolvePeer(wanted, contacts).address };
}
