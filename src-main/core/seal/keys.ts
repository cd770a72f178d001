/**
 * @module seal/keys
 * Where POE keys come from.
 *  - The user's sealer key: derived from the wallet key at unlock (node/sealing-keys.ts).
 *  - The embedded devnet's in-process primaries (and its helper sealer): random keys made
 *    with the devnet and stored beside it in `<chain>/devnet-validators.json`. They are
 *    local test authorities, like anvil's well-known accounts, and go with a devnet reset.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { bytesToHex, hexToBytes, privateToAddress } from '@ethereumjs/util';
import { BuError } from '../base';
import { blsKeyFromSeed, blsPublicKey, randomBytes } from '../crypto';
import type { PoeKey } from './types';

export function randomPoeKey(): PoeKey {
  const eth = randomBytes(32);
  const { secretKey, publicKey } = blsKeyFromSeed(randomBytes(32));
  return { address: bytesToHex(privateToAddress(eth)) as `0x${string}`, blsSecret: secretKey, blsPublic: publicKey, ethPrivateKey: eth };
}

export type DevnetValidators = { primaries: PoeKey[]; sealers: PoeKey[] };

type Stored = { version: 1; primaries: StoredKey[]; sealers: StoredKey[] };
type StoredKey = { address: string; bls: string; eth?: string };

const toStored = (k: PoeKey): StoredKey => ({ address: k.address, bls: bytesToHex(k.blsSecret), ...(k.ethPrivateKey ? { eth: bytesToHex(k.ethPrivateKey) } : {}) });
function fromStored(s: StoredKey): PoeKey {
  const secret = hexToBytes(s.bls as `0x${string}`);
  const { publicKey } = blsFromSecret(secret);
  return { address: s.address.toLowerCase() as `0x${string}`, blsSecret: secret, blsPublic: publicKey, ...(s.eth ? { ethPrivateKey: hexToBytes(s.eth as `0x${string}`) } : {}) };
}

function blsFromSecret(secret: Uint8Array): { publicKey: Uint8Array } {
  return { publicKey: blsPublicKey(secret) }; // validates the scalar
}

export function loadDevnetValidators(file: string): DevnetValidators | null {
  if (!existsSync(file)) return null;
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as Stored;
    return { primaries: s.primaries.map(fromStored), sealers: s.sealers.map(fromStored) };
  } catch (err) {
    throw new BuError('INTERNAL', `The devnet's validator keys (${file}) are damaged: ${(err as Error).message}`);
  }
}

export function saveDevnetValidators(file: string, v: DevnetValidators): void {
  const s: Stored = { version: 1, primaries: v.primaries.map(toStored), sealers: v.sealers.map(toStored) };
  writeFileSync(`${file}.tmp`, JSON.stringify(s, null, 2), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}
