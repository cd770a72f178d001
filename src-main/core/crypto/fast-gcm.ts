/**
 * @module crypto/fast-gcm
 * AES-256-GCM (NIST SP 800-38D) with a persistent cipher context per key, from the optional
 * native addon in native/aead (built by `npm install`). node:crypto rebuilds the key schedule
 * and GHASH tables on every createCipheriv(), which costs about as much as the UDP send itself;
 * the addon keeps one context per direction and only resets the IV. Output is byte-identical
 * to node:crypto's (a test checks it). When the addon is absent — not built, or a runtime with
 * another ABI such as Electron — `createFastGcm` returns null and callers use node:crypto.
 * `BITUNICOM_NATIVE_AEAD=0` disables it.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export type FastGcm = {
  /** ciphertext(a ‖ b) ‖ tag16 */
  seal(nonce: Uint8Array, aad: Uint8Array, a: Uint8Array, b?: Uint8Array): Buffer;
  /** plaintext, or null if authentication fails */
  open(nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Buffer | null;
};

type Addon = {
  create(key: Uint8Array): unknown;
  seal(h: unknown, nonce: Uint8Array, aad: Uint8Array, a: Uint8Array, b?: Uint8Array): Buffer;
  open(h: unknown, nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Buffer | null;
};

let addon: Addon | null | undefined;

function load(): Addon | null {
  if (addon !== undefined) return addon;
  addon = null;
  if (process.env.BITUNICOM_NATIVE_AEAD === '0' || process.versions.electron) return addon;
  const rel = 'native/aead/build/Release/bu_aead.node';
  // from src-main/core/crypto (sources, tests) and from out/main (the bundled CLI)
  for (const up of ['../../../', '../../']) {
    const file = fileURLToPath(new URL(up + rel, import.meta.url));
    if (!existsSync(file)) continue;
    try {
      addon = createRequire(import.meta.url)(file) as Addon;
      break;
    } catch {
      /* built for another ABI: keep looking, else fall back */
    }
  }
  return addon;
}

export function fastGcmAvailable(): boolean {
  return load() !== null;
}

export function createFastGcm(key: Uint8Array): FastGcm | null {
  const a = load();
  if (!a) return null;
  const h = a.create(key);
  return {
    seal: (nonce, aad, x, y) => (y ? a.seal(h, nonce, aad, x, y) : a.seal(h, nonce, aad, x)),
    open: (nonce, aad, sealed) => a.open(h, nonce, aad, sealed),
  };
}
