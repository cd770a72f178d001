/**
 * @module chain/test-genesis
 * Deterministic funded accounts and a devnet genesis for tests and benchmarks (the shipped
 * template, its wallet = the first test account, the test token deployed in genesis).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bigIntToHex, bytesToHex, privateToAddress } from '@ethereumjs/util';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { loadArtifact } from './artifacts';
import { materializeDevnet, type DevnetGenesis } from './devnet';

export const RESOURCES_DIR = fileURLToPath(new URL('../../../resources', import.meta.url));

export type TestAccount = { key: `0x${string}`; address: string };

/** Deterministic funded test accounts: key i = keccak("bitunicom test account i"). */
export function testAccounts(n: number): TestAccount[] {
  return Array.from({ length: n }, (_, i) => {
    const key = keccak_256(new TextEncoder().encode(`bitunicom test account ${i}`));
    return { key: bytesToHex(key) as `0x${string}`, address: bytesToHex(privateToAddress(key)) };
  });
}

export async function testDevnetGenesis(accounts: TestAccount[], balanceWei = 10n ** 24n): Promise<DevnetGenesis> {
  const template = readFileSync(join(RESOURCES_DIR, 'chain', 'devnet-genesis.json'), 'utf8');
  const g = await materializeDevnet(template, accounts[0]!.address, (name) => loadArtifact(RESOURCES_DIR, name));
  for (const a of accounts.slice(1)) g.alloc[a.address] = { balance: bigIntToHex(balanceWei) };
  return g;
}
