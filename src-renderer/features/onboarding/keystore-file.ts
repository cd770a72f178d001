/**
 * @module renderer/features/onboarding/keystore-file
 * Reads a Web3 Secret Storage (keystore V3) file picked by the user and does a shallow
 * sanity check so obvious mistakes (wrong file, too big) show before the node's scrypt
 * work starts. The node does the real parsing and decryption.
 * Format: https://ethereum.org/en/developers/docs/data-structures-and-encoding/web3-secret-storage/
 */
export const MAX_KEYSTORE_BYTES = 64 * 1024;

export type KeystoreFile = { name: string; text: string; address: string | null };

export type KeystoreCheck = { ok: true; file: KeystoreFile } | { ok: false; error: string };

export function checkKeystoreText(name: string, text: string): KeystoreCheck {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: 'This file is not a keystore: it isn’t JSON.' };
  }
  if (!json || typeof json !== 'object') return { ok: false, error: 'This file is not a keystore.' };
  const obj = json as Record<string, unknown>;
  if (obj.version !== 3) return { ok: false, error: 'Only version 3 keystore files are supported.' };
  if (typeof obj.crypto !== 'object' && typeof obj.Crypto !== 'object') {
    return { ok: false, error: 'This keystore file has no encrypted key in it.' };
  }
  const raw = typeof obj.address === 'string' ? obj.address : null;
  const address = raw && /^(0x)?[0-9a-fA-F]{40}$/.test(raw) ? (raw.startsWith('0x') ? raw : `0x${raw}`) : null;
  return { ok: true, file: { name, text, address } };
}

export async function readKeystoreFile(file: File): Promise<KeystoreCheck> {
  if (file.size > MAX_KEYSTORE_BYTES) return { ok: false, error: 'This file is too large to be a keystore.' };
  try {
    return checkKeystoreText(file.name, await file.text());
  } catch {
    return { ok: false, error: 'This file could not be read.' };
  }
}
