/**
 * @module node/profile
 * The profile's public, non-secret settings kept in clear beside the vault so a locked app can
 * greet its user and run its chain: the display name, the wallet's first address (the devnet
 * genesis funds it; an address is public) and the last JSON-RPC port. Written atomically;
 * `updateProfile` merges, so one setting never erases another.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type ProfileFile = {
  name: string;
  wallet?: string;
  rpcPort?: number;
  /** The POE sealer key's BLS public key (hex, 48 bytes): the devnet genesis registers it. */
  sealerPubkey?: string;
};

export function readProfile(dataDir: string): ProfileFile | null {
  const f = join(dataDir, 'profile.json');
  if (!existsSync(f)) return null;
  try {
    const j = JSON.parse(readFileSync(f, 'utf8')) as { name?: unknown; wallet?: unknown; rpcPort?: unknown; sealerPubkey?: unknown };
    if (typeof j.name !== 'string') return null;
    const p: ProfileFile = { name: j.name };
    if (typeof j.wallet === 'string' && /^0x[0-9a-fA-F]{40}$/.test(j.wallet)) p.wallet = j.wallet;
    if (typeof j.sealerPubkey === 'string' && /^0x[0-9a-f]{96}$/.test(j.sealerPubkey)) p.sealerPubkey = j.sealerPubkey;
    if (typeof j.rpcPort === 'number' && Number.isInteger(j.rpcPort) && j.rpcPort > 0 && j.rpcPort < 65536) p.rpcPort = j.rpcPort;
    return p;
  } catch {
    return null;
  }
}

export function writeProfile(dataDir: string, p: ProfileFile): void {
  const f = join(dataDir, 'profile.json');
  writeFileSync(`${f}.tmp`, JSON.stringify(p), { mode: 0o600 });
  renameSync(`${f}.tmp`, f);
}

export function updateProfile(dataDir: string, patch: Partial<ProfileFile>): ProfileFile {
  const next = { name: 'Me', ...readProfile(dataDir), ...patch };
  writeProfile(dataDir, next);
  return next;
}
