/**
 * @module wallet/typed-data
 * Validation of EIP-712 typed structured data as `eth_signTypedData_v4` carries it
 * (`{ types, domain, primaryType, message }`, an object or its JSON text), before anything is
 * signed:
 *  - `types`: struct names and field names are identifiers, each field `{ name, type }`,
 *    at most 64 structs of 64 fields; only the structs reachable from `primaryType` are kept
 *    (ethers' encoder refuses unused ones, MetaMask ignores them);
 *  - `EIP712Domain`, when listed, must name exactly the fields the domain holds, with the
 *    types and in the order of EIP-712 (`name`, `version`, `chainId`, `verifyingContract`,
 *    `salt`): the domain separator is hashed from that order, so another one would give a
 *    signature the dapp cannot check;
 *  - `domain.chainId`, when present, must be the selected network's (`WRONG_NETWORK`
 *    otherwise: a signature for another chain could be replayed there); `verifyingContract`
 *    is an address (EIP-55 checked when mixed case), `salt` 32 bytes;
 *  - `primaryType` is a struct of `types` other than `EIP712Domain`; `message` an object.
 * Recursive struct types are refused (ethers' encoder does not support them).
 */
import { TypedDataEncoder, type TypedDataDomain, type TypedDataField } from 'ethers';
import { BuError } from '../base';
import { parseAddress } from './address';

export const MAX_TYPED_DATA_JSON = 256 * 1024;
const MAX_STRUCTS = 64;
const MAX_FIELDS = 64;
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const DOMAIN_FIELDS = [
  ['name', 'string'],
  ['version', 'string'],
  ['chainId', 'uint256'],
  ['verifyingContract', 'address'],
  ['salt', 'bytes32'],
] as const;

export type TypedDataV4 = { domain: TypedDataDomain; types: Record<string, TypedDataField[]>; primaryType: string; message: Record<string, unknown> };

const bad = (m: string) => new BuError('BAD_INPUT', `That EIP-712 typed data is not valid: ${m}.`);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function asObject(raw: unknown): Record<string, unknown> {
  let v = raw;
  if (typeof raw === 'string') {
    if (raw.length > MAX_TYPED_DATA_JSON) throw bad(`it is over ${MAX_TYPED_DATA_JSON / 1024} KiB`);
    try {
      v = JSON.parse(raw);
    } catch {
      throw bad('the text is not JSON');
    }
  } else {
    let size: number;
    try {
      size = JSON.stringify(raw)?.length ?? 0;
    } catch {
      throw bad('it cannot be written as JSON');
    }
    if (size > MAX_TYPED_DATA_JSON) throw bad(`it is over ${MAX_TYPED_DATA_JSON / 1024} KiB`);
  }
  if (!isObject(v)) throw bad('it must be an object with types, domain, primaryType and message');
  return v;
}

function parseTypes(raw: unknown): Record<string, TypedDataField[]> {
  if (!isObject(raw)) throw bad('"types" must be an object of struct definitions');
  const names = Object.keys(raw);
  if (names.length > MAX_STRUCTS) throw bad(`"types" has ${names.length} structs; at most ${MAX_STRUCTS}`);
  const out: Record<string, TypedDataField[]> = {};
  for (const name of names) {
    if (!IDENT.test(name)) throw bad(`the struct name ${JSON.stringify(name.slice(0, 40))} is not an identifier`);
    const fields = raw[name];
    if (!Array.isArray(fields) || fields.length > MAX_FIELDS) throw bad(`"types.${name}" must be a list of at most ${MAX_FIELDS} fields`);
    out[name] = fields.map((f: unknown, k) => {
      if (!isObject(f) || typeof f.name !== 'string' || typeof f.type !== 'string') throw bad(`field ${k} of ${name} must be { name, type }`);
      if (!IDENT.test(f.name)) throw bad(`the field name ${JSON.stringify(f.name.slice(0, 40))} of ${name} is not an identifier`);
      if (!/^[A-Za-z_$][A-Za-z0-9_$]*(\[\d*\])*$/.test(f.type)) throw bad(`the type ${JSON.stringify(f.type.slice(0, 40))} of ${name}.${f.name} is not a type name`);
      return { name: f.name, type: f.type };
    });
  }
  return out;
}

function parseChainId(v: unknown): bigint {
  try {
    if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) return BigInt(v);
    if (typeof v === 'string' && /^(0x[0-9a-fA-F]{1,64}|\d{1,78})$/.test(v)) return BigInt(v);
    if (typeof v === 'bigint' && v > 0n) return v;
  } catch {
    // fall through
  }
  throw bad('"domain.chainId" must be a positive integer');
}

function parseDomain(raw: unknown, chain: { chainId: number; name: string }): TypedDataDomain {
  if (!isObject(raw)) throw bad('"domain" must be an object');
  const known = new Set<string>(DOMAIN_FIELDS.map(([n]) => n));
  for (const k of Object.keys(raw)) if (!known.has(k)) throw bad(`"domain.${k.slice(0, 40)}" is not an EIP-712 domain field`);
  const d: TypedDataDomain = {};
  if (raw.name !== undefined && raw.name !== null) {
    if (typeof raw.name !== 'string') throw bad('"domain.name" must be text');
    d.name = raw.name;
  }
  if (raw.version !== undefined && raw.version !== null) {
    if (typeof raw.version !== 'string') throw bad('"domain.version" must be text');
    d.version = raw.version;
  }
  if (raw.chainId !== undefined && raw.chainId !== null) {
    const id = parseChainId(raw.chainId);
    if (id !== BigInt(chain.chainId)) {
      throw new BuError('WRONG_NETWORK', `The typed data is for chain id ${id}, but the selected network ${chain.name} is chain id ${chain.chainId}: switch networks before signing.`);
    }
    d.chainId = id;
  }
  if (raw.verifyingContract !== undefined && raw.verifyingContract !== null) d.verifyingContract = parseAddress(raw.verifyingContract as string, 'The domain\'s verifyingContract');
  if (raw.salt !== undefined && raw.salt !== null) {
    if (typeof raw.salt !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(raw.salt)) throw bad('"domain.salt" must be 32 bytes of 0x-hex');
    d.salt = raw.salt;
  }
  return d;
}

function checkDomainType(listed: TypedDataField[] | undefined, domain: TypedDataDomain): void {
  if (listed === undefined) return;
  const want = DOMAIN_FIELDS.filter(([n]) => (domain as Record<string, unknown>)[n] !== undefined);
  const same = listed.length === want.length && listed.every((f, k) => f.name === want[k]![0] && f.type === want[k]![1]);
  if (!same) {
    const text = (fs: readonly { name: string; type: string }[]) => fs.map((f) => `${f.type} ${f.name}`).join(', ') || '(none)';
    throw bad(`"types.EIP712Domain" lists ${text(listed)}, but the domain holds ${text(want.map(([name, type]) => ({ name, type })))} (in this order)`);
  }
}

/** The structs reachable from `primary`. */
function reachable(types: Record<string, TypedDataField[]>, primary: string): Record<string, TypedDataField[]> {
  const out: Record<string, TypedDataField[]> = {};
  const todo = [primary];
  while (todo.length) {
    const t = todo.pop()!;
    if (out[t] || !types[t]) continue;
    out[t] = types[t];
    for (const f of types[t]) todo.push(f.type.replace(/(\[\d*\])+$/, ''));
  }
  return out;
}

/** Validated typed data, ready for `WalletSigner.signTypedData` (types without EIP712Domain). */
export function parseTypedData(raw: unknown, chain: { chainId: number; name: string }): TypedDataV4 {
  const o = asObject(raw);
  for (const k of ['types', 'domain', 'primaryType', 'message']) if (o[k] === undefined) throw bad(`"${k}" is missing`);
  const types = parseTypes(o.types);
  const primaryType = o.primaryType;
  if (typeof primaryType !== 'string' || !types[primaryType]) throw bad('"primaryType" must name one of the structs in "types"');
  if (primaryType === 'EIP712Domain') throw bad('"primaryType" cannot be EIP712Domain');
  if (!isObject(o.message)) throw bad('"message" must be an object');
  const domain = parseDomain(o.domain, chain);
  checkDomainType(types.EIP712Domain, domain);
  const { EIP712Domain: _domainType, ...rest } = types;
  const used = reachable(rest, primaryType);
  if (used.EIP712Domain !== undefined || Object.values(used).some((fs) => fs.some((f) => f.type.replace(/(\[\d*\])+$/, '') === 'EIP712Domain'))) throw bad('a struct cannot contain EIP712Domain');
  let encoder: TypedDataEncoder;
  try {
    encoder = TypedDataEncoder.from(used);
    encoder.encodeData(primaryType, o.message); // every value checked against its type
  } catch (err) {
    throw bad((err instanceof Error ? err.message : String(err)).replace(/\s*\(argument=.*$/s, ''));
  }
  if (encoder.primaryType !== primaryType) throw bad(`"primaryType" ${primaryType} is contained in ${encoder.primaryType}`);
  return { domain, types: used, primaryType, message: o.message };
}
