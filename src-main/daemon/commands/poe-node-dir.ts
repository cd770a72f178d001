/**
 * @module daemon/commands/poe-node-dir
 * What a POE network node (`bitunicom node --role …`) keeps in its DIR:
 *
 *   DIR/node-keys.json  its participant keys (BLS + secp256k1, core/seal/keys.ts format;
 *                       made with randomPoeKey on the first run, mode 0600)
 *   DIR/genesis.json    the network's genesis (copied from --genesis the first time; a later
 *                       --genesis must be the same file)
 *   DIR/chain.db        its ledger (core/chain)
 *
 * The first key's secp256k1 key is also the node's P2P identity (so its P2P address is that
 * participant's address).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { BuError } from '../../core/base';
import type { GethGenesis } from '../../core/chain';
import type { PoeKey } from '../../core/seal';
import type { PoeRole } from './poe-options';

export const NODE_KEYS_FILE = 'node-keys.json';
export const NODE_GENESIS_FILE = 'genesis.json';

export type SealModule = Pick<typeof import('../../core/seal'), 'randomPoeKey' | 'loadDevnetValidators' | 'saveDevnetValidators'>;

/** The node's keys for `role`: loaded, or `count` (default 1) made and saved on the first run. */
export function nodeKeys(seal: SealModule, dir: string, role: PoeRole, count: number | undefined): { keys: PoeKey[]; created: boolean } {
  const file = join(dir, NODE_KEYS_FILE);
  const stored = seal.loadDevnetValidators(file);
  if (stored) {
    const mine = role === 'primary' ? stored.primaries : stored.sealers;
    const other = role === 'primary' ? stored.sealers : stored.primaries;
    if (mine.length === 0) {
      throw new BuError('BAD_INPUT', `${file} holds ${other.length} ${role === 'primary' ? 'sealer' : 'primary'} key(s), not ${role} keys: use --role ${role === 'primary' ? 'sealer' : 'primary'} or another --data DIR.`);
    }
    if (count !== undefined && count !== mine.length) {
      throw new BuError('BAD_INPUT', `${file} holds ${mine.length} ${role} key(s), not ${count}: drop --keys or use another --data DIR.`);
    }
    return { keys: mine, created: false };
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keys = Array.from({ length: count ?? 1 }, () => seal.randomPoeKey());
  seal.saveDevnetValidators(file, role === 'primary' ? { primaries: keys, sealers: [] } : { primaries: [], sealers: keys });
  return { keys, created: true };
}

/** The network's genesis: DIR/genesis.json, copied there from `from` on the first run. */
export function nodeGenesis(dir: string, from: string | undefined): GethGenesis {
  const file = join(dir, NODE_GENESIS_FILE);
  const read = (f: string, what: string): { text: string; genesis: GethGenesis } => {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch (e) {
      throw new BuError('BAD_INPUT', `Cannot read ${what} ${f}: ${(e as Error).message}`);
    }
    try {
      return { text, genesis: JSON.parse(text) as GethGenesis };
    } catch (e) {
      throw new BuError('BAD_INPUT', `${what} ${f} is not JSON: ${(e as Error).message}`);
    }
  };
  if (existsSync(file)) {
    const mine = read(file, 'The node genesis');
    if (from !== undefined && JSON.stringify(read(from, 'The genesis').genesis) !== JSON.stringify(mine.genesis)) {
      throw new BuError('BAD_INPUT', `${dir} already belongs to another network: ${from} differs from ${file} (drop --genesis or use another --data DIR).`);
    }
    return mine.genesis;
  }
  if (from === undefined) throw new BuError('BAD_INPUT', `${dir} has no genesis yet: pass --genesis FILE (the network's genesis.json) on the first run.`);
  const g = read(from, 'The genesis');
  if (!(g.genesis as { bitunicom?: { poe?: unknown } }).bitunicom?.poe) {
    throw new BuError('BAD_INPUT', `${from} is not a POE genesis (it has no bitunicom.poe section).`);
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(`${file}.tmp`, g.text);
  renameSync(`${file}.tmp`, file);
  return g.genesis;
}

/** Which of `keys` the validator set lists in its role. */
export function registeredKeys(keys: PoeKey[], role: PoeRole, set: { primaries: { address: string }[]; sealers: { address: string }[] }): PoeKey[] {
  const listed = new Set((role === 'primary' ? set.primaries : set.sealers).map((v) => v.address.toLowerCase()));
  return keys.filter((k) => listed.has(k.address.toLowerCase()));
}

/** One line on whether this node takes part or only follows the chain. */
export function registrationLine(role: PoeRole, keys: PoeKey[], registered: number): string {
  const n = keys.length;
  const what = `${role} key${n === 1 ? '' : 's'}`;
  if (registered === n) return `Registered: ${n === 1 ? `${role} ${keys[0]!.address}` : `all ${n} ${what}`} in the staking contract.`;
  const tail = `register with: bitunicom node register --role ${role} --stake AMOUNT --data DIR --rpc URL`;
  if (registered === 0) {
    return `Observer: ${n === 1 ? `key ${keys[0]!.address} is` : `none of the ${n} ${what} is`} registered in the staking contract; the node syncs and verifies blocks but does not ${role === 'primary' ? 'vote' : 'seal'} (${tail}).`;
  }
  return `Registered: ${registered} of ${n} ${what}; the other ${n - registered} only follow the chain (${tail}).`;
}
