/**
 * @module daemon/commands/dapp-keys
 * Where `bitunicom dapp sign` gets the author key, and reading .bud files with a size cap.
 *
 * - `--key-file FILE`: a keystore V3 JSON file (Web3 Secret Storage; its password from
 *   BITUNICOM_PASSWORD, --password-file or a hidden prompt) or a file holding one hex
 *   private key. Never a key on argv (other local users could read it from /proc).
 * - `--account A`: a wallet account of the profile. The bridge never hands out a private key;
 *   what it does hand out is `wallet.exportKeystore` — the account's keystore V3 ciphertext
 *   under the profile password the user typed — so the CLI decrypts that here, signs, and
 *   wipes the key. (A node-side `dapps.sign` method that signs the package digest where the
 *   key lives would keep even that in the node; see core/dapps/package/README.md.)
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { BridgeError } from '../../../src-preload/contract';
import { fromHex } from '../../core/base';
import { isValidPrivateKey } from '../../core/crypto';
import { keySigner, LIMITS, type DigestSigner } from '../../core/dapps/package';
import { UsageError } from '../args';
import type { CommandContext } from '../context';
import { readTextFile, requirePassword } from '../inputs';
import { withDaemonOrLocal } from './common';
import { resolveAccount } from './wallet-args';

/** A signer and how to wipe its key when done. */
export type HeldSigner = { signer: DigestSigner; dispose(): void };

/** Biggest .bud we read: the largest content plus room for the header, index and signature. */
export const MAX_BUD_BYTES = LIMITS.maxTotalBytes + 2 * 1024 * 1024;

export async function readBud(file: string): Promise<Uint8Array> {
  const info = await stat(file).catch(() => null);
  if (!info || !info.isFile()) throw new UsageError(`cannot read ${file}: no such file`);
  if (info.size > MAX_BUD_BYTES) throw new UsageError(`${file} is ${info.size} bytes, larger than any dapp bundle can be (${MAX_BUD_BYTES})`);
  return new Uint8Array(await readFile(file));
}

function held(key: Uint8Array): HeldSigner {
  if (!isValidPrivateKey(key)) {
    key.fill(0);
    throw new UsageError('the key is not a valid secp256k1 private key');
  }
  return { signer: keySigner(key), dispose: () => key.fill(0) };
}

async function decryptKeystore(json: string, password: string): Promise<Uint8Array> {
  const { decryptKeystoreV3 } = await import('../../core/account');
  return decryptKeystoreV3(json, password);
}

export async function signerFromKeyFile(ctx: CommandContext, file: string): Promise<HeldSigner> {
  const text = (await readTextFile(file, 'key file', 64 * 1024, ctx.io.cwd)).trim();
  if (/^(0x)?[0-9a-fA-F]{64}$/.test(text)) return held(fromHex(text));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`the key file ${resolve(ctx.io.cwd, file)} is neither a keystore V3 JSON file nor a hex private key`);
  }
  const password = await requirePassword(ctx.io, ctx.values, 'Keystore password: ');
  return held(await decryptKeystore(JSON.stringify(json), password));
}

export async function signerFromAccount(ctx: CommandContext, ref: string): Promise<HeldSigner> {
  const password = await requirePassword(ctx.io, ctx.values, 'Profile password: ');
  const keystore = await withDaemonOrLocal(ctx, async (caller) => {
    const list = () => caller.call('wallet.accounts', { includeHidden: true });
    const accounts = await list().catch(async (e: unknown) => {
      // a profile opened here (no serve running) starts locked
      if (!(e instanceof Error) || (e as { code?: unknown }).code !== 'LOCKED') throw e;
      await caller.call('account.unlock', { password });
      return list();
    });
    const account = resolveAccount(ref, accounts);
    if (account.kind === 'watch') throw new BridgeError('WATCH_ONLY', `${account.address} is watch-only: it has no key to sign with`);
    return (await caller.call('wallet.exportKeystore', { address: account.address, password })).keystore;
  });
  return held(await decryptKeystore(keystore, password));
}
