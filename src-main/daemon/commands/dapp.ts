/**
 * @module daemon/commands/dapp
 * `bitunicom dapp …`, the author's side of the dapp package format (core/dapps/package):
 *   dapp pack <dir> [-o FILE.bud]                      deterministic bundle of a static web app
 *   dapp sign <FILE.bud> (--key-file FILE | --account A) [-o OUT]   the author signature
 *   dapp verify <FILE.bud> [--content-hash H] [--author KEY]         everything an installer checks
 *   dapp inspect <FILE.bud> [--json]                   manifest, files, chunks, signature state
 *   dapp publish <FILE.bud> [--account A] [--fee-approve] [--yes]   list it in the DappRegistry
 * Pack, verify and inspect need no node; publish talks to the running node, which keeps the
 * keys and signs (dapp-publish.ts). A refusal exits 1 with its reason (e.g.
 * `SIGNER_MISMATCH`); with --json it prints `{ok: false, reason, message}` on stdout too.
 */
import { writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { BuError } from '../../core/base';
import {
  bundleDirectory,
  contentHashHex,
  encodeContainer,
  isPackageError,
  mimeTypeOf,
  openContainer,
  signContainer,
  verifyBundle,
  type OpenedBundle,
} from '../../core/dapps/package';
import { UsageError, type CommandSpec } from '../args';
import type { CommandContext } from '../context';
import { oneLine } from '../format';
import { PASSWORD_FILE_OPTION } from '../inputs';
import { print } from './common';
import { readBud, signerFromAccount, signerFromKeyFile } from './dapp-keys';
import { PUBLISH_OPTIONS, runPublish } from './dapp-publish';
import { DAPP_STORE_COMMANDS } from './dapp-store';

export const DAPP_GROUP = 'DApps';

const OUT_OPTION = { out: { type: 'string' as const, short: 'o', value: 'FILE', description: 'write the bundle here' } };

const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}`;

function stringValue(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.values[name];
  return typeof v === 'string' ? v : undefined;
}

/** Runs `fn`; a package refusal becomes exit 1 with its reason (JSON on stdout with --json). */
async function refusing(ctx: CommandContext, fn: () => Promise<number | void>): Promise<number> {
  try {
    return (await fn()) ?? 0;
  } catch (e) {
    if (!isPackageError(e)) throw e;
    if (ctx.json) ctx.io.out(JSON.stringify({ ok: false, reason: e.reason, message: e.message }, null, 2));
    throw new BuError('BAD_INPUT', `${e.reason}: ${e.message}`);
  }
}

/** `hello-0.1.0.bud` for the manifest's name and version. */
export function defaultBudName(name: string, version: string): string {
  const slug = name.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'dapp';
  return `${slug}-${version}.bud`;
}

function summary(b: OpenedBundle | (Omit<OpenedBundle, 'containerBytes' | 'signature'> & { containerBytes: number })) {
  const m = b.manifest;
  return {
    name: m.name,
    version: m.version,
    appId: m.appId,
    author: m.author,
    contentHash: contentHashHex(b),
    files: b.index.files.length,
    size: b.index.totalSize,
    chunks: b.index.chunks.length,
    bytes: b.containerBytes,
  };
}

export const dappPackCommand: CommandSpec = {
  name: 'dapp pack',
  group: DAPP_GROUP,
  summary: 'Bundle a static web app (a folder with manifest.json) into a deterministic .bud file.',
  synopsis: '<dir>',
  minArgs: 1,
  maxArgs: 1,
  options: { ...OUT_OPTION },
  details:
    'Files are sorted by path and cut into 256 KiB chunks; the same folder always gives the same\n' +
    'bytes and content hash. Hidden files (.name) are skipped; symlinks, paths with .. and file types\n' +
    'a dapp cannot serve are refused. Default output: NAME-VERSION.bud in the current directory.',
  run: (ctx) =>
    refusing(ctx, async () => {
      const dir = resolve(ctx.io.cwd, ctx.args[0]!);
      const b = await bundleDirectory(dir);
      const bytes = encodeContainer(b);
      const file = resolve(ctx.io.cwd, stringValue(ctx, 'out') ?? defaultBudName(b.manifest.name, b.manifest.version));
      await writeFile(file, bytes);
      const s = { file, ...summary({ ...b, containerBytes: bytes.length }), signed: false, skipped: b.skipped };
      print(ctx, s, () =>
        [
          `Packed ${oneLine(s.name)} ${s.version} → ${file}`,
          `  app id        ${s.appId}`,
          `  content hash  ${s.contentHash}`,
          `  ${s.files} files, ${s.size} bytes in ${s.chunks} chunks (${s.bytes} bytes on disk)`,
          ...(b.skipped.length ? [`  skipped hidden: ${b.skipped.map(oneLine).join(', ')}`] : []),
          `Unsigned. Next: bitunicom dapp sign ${basename(file)} --key-file KEY`,
        ].join('\n'),
      );
    }),
};

export const dappSignCommand: CommandSpec = {
  name: 'dapp sign',
  group: DAPP_GROUP,
  summary: 'Sign a .bud with the author key its manifest names (replaces any earlier signature).',
  synopsis: '<file.bud>',
  minArgs: 1,
  maxArgs: 1,
  options: {
    'key-file': { type: 'string', value: 'FILE', description: 'the author key: a keystore V3 JSON file or a hex private key file' },
    account: { type: 'string', value: 'A', description: 'sign with one of the profile’s wallet accounts (address or name)' },
    ...PASSWORD_FILE_OPTION,
    out: { type: 'string', short: 'o', value: 'FILE', description: 'write the signed bundle here (default: in place)' },
  },
  details:
    'A keystore file or --account needs a password (BITUNICOM_PASSWORD, --password-file, or a prompt):\n' +
    'the keystore’s, or the profile’s for --account. The key must be the manifest’s "author".',
  run: (ctx) =>
    refusing(ctx, async () => {
      const keyFile = stringValue(ctx, 'key-file');
      const account = stringValue(ctx, 'account');
      if ((keyFile === undefined) === (account === undefined)) throw new UsageError('give exactly one of --key-file FILE or --account A', 'dapp sign');
      const file = resolve(ctx.io.cwd, ctx.args[0]!);
      const bud = await readBud(file);
      openContainer(bud); // refuse a damaged bundle before asking for a password
      const signer = keyFile !== undefined ? await signerFromKeyFile(ctx, keyFile) : await signerFromAccount(ctx, account!);
      try {
        const { bytes, bundle, record } = await signContainer(bud, signer.signer);
        const out = resolve(ctx.io.cwd, stringValue(ctx, 'out') ?? file);
        await writeFile(out, bytes);
        const s = { file: out, ...summary({ ...bundle, containerBytes: bytes.length }), signed: true, signer: hex(record.authorKey) };
        print(ctx, s, () => `Signed ${oneLine(s.name)} ${s.version} (content ${s.contentHash}) with ${s.signer} → ${out}`);
      } finally {
        signer.dispose();
      }
    }),
};

export const dappVerifyCommand: CommandSpec = {
  name: 'dapp verify',
  group: DAPP_GROUP,
  summary: 'Check a .bud as an installer does: container, every chunk, the manifest and the author signature.',
  synopsis: '<file.bud>',
  minArgs: 1,
  maxArgs: 1,
  options: {
    'content-hash': { type: 'string', value: 'H', description: 'also require this content hash (as the registry lists it)' },
    author: { type: 'string', value: 'KEY', description: 'also require this author key (compressed secp256k1, hex)' },
  },
  details: 'Exit 0 when every check passes; 1 with the reason (CHUNK_MISMATCH, BAD_SIGNATURE, SIGNER_MISMATCH, …) otherwise.',
  run: (ctx) =>
    refusing(ctx, async () => {
      const contentHash = stringValue(ctx, 'content-hash');
      const author = stringValue(ctx, 'author');
      if (contentHash !== undefined && !/^0x[0-9a-fA-F]{64}$/.test(contentHash)) throw new UsageError('--content-hash must be 0x and 64 hex digits', 'dapp verify');
      if (author !== undefined && !/^0x0[23][0-9a-fA-F]{64}$/.test(author)) throw new UsageError('--author must be a compressed secp256k1 key (0x02…/0x03…, 66 hex digits)', 'dapp verify');
      const file = resolve(ctx.io.cwd, ctx.args[0]!);
      const v = verifyBundle(await readBud(file), { ...(contentHash ? { contentHash } : {}), ...(author ? { authorKey: author } : {}) });
      const s = { ok: true, file, ...summary(v), signer: hex(v.signature.authorKey), permissions: v.manifest.permissions };
      print(ctx, s, () => `OK: ${oneLine(s.name)} ${s.version}, app ${s.appId}, content ${s.contentHash}, signed by its author ${s.signer}`);
    }),
};

export const dappInspectCommand: CommandSpec = {
  name: 'dapp inspect',
  group: DAPP_GROUP,
  summary: 'Show what a .bud holds: its manifest, files, chunks and whether its signature verifies.',
  synopsis: '<file.bud>',
  minArgs: 1,
  maxArgs: 1,
  details: 'A damaged container is an error; a missing or bad signature is shown, not an error.',
  run: (ctx) =>
    refusing(ctx, async () => {
      const file = resolve(ctx.io.cwd, ctx.args[0]!);
      const bud = await readBud(file);
      const b = openContainer(bud);
      let signature: { state: 'valid' | 'unsigned' | 'invalid'; signer: string | null; reason: string | null };
      try {
        const v = verifyBundle(bud);
        signature = { state: 'valid', signer: hex(v.signature.authorKey), reason: null };
      } catch (e) {
        if (!isPackageError(e)) throw e;
        signature = { state: e.reason === 'UNSIGNED' ? 'unsigned' : 'invalid', signer: b.signature ? hex(b.signature.authorKey) : null, reason: e.reason === 'UNSIGNED' ? null : `${e.reason}: ${e.message}` };
      }
      const files = b.index.files.map((f) => ({ path: f.path, size: f.size, sha256: hex(f.sha256), type: mimeTypeOf(f.path) ?? null }));
      const s = { file, ...summary(b), manifest: b.manifest, signature, fileList: files, chunkHashes: b.index.chunks.map(hex) };
      print(ctx, s, () => {
        const m = b.manifest;
        const w = Math.max(...files.map((f) => String(f.size).length));
        return [
          `${oneLine(m.name)} ${m.version}  (${file})`,
          `  app id          ${m.appId}`,
          `  author          ${m.author}`,
          `  content hash    ${s.contentHash}`,
          `  signature       ${signature.state}${signature.signer ? ` (${signature.signer})` : ''}${signature.reason ? ` — ${oneLine(signature.reason)}` : ''}`,
          `  description     ${oneLine(m.description)}`,
          `  categories      ${m.categories.join(', ')}`,
          `  permissions     ${m.permissions.length ? m.permissions.join(', ') : '(none)'}`,
          `  entry / icon    ${m.entry} / ${m.icon}${m.screenshots.length ? `; screenshots: ${m.screenshots.join(', ')}` : ''}`,
          `  needs host      ≥ ${m.minHostVersion}`,
          `  ${s.files} files, ${s.size} bytes, ${s.chunks} chunks of 256 KiB:`,
          ...files.map((f) => `    ${String(f.size).padStart(w)}  ${oneLine(f.path)}  ${f.type}`),
        ].join('\n');
      });
    }),
};

export const dappPublishCommand: CommandSpec = {
  name: 'dapp publish',
  group: DAPP_GROUP,
  summary: 'List a signed .bud in the on-chain dapp registry: pays the publish fee in tokens, signed by the node.',
  synopsis: '<file.bud>',
  minArgs: 1,
  maxArgs: 1,
  options: PUBLISH_OPTIONS,
  details:
    'Needs the running node (bitunicom serve): it holds the keys. The bundle is verified first, then the\n' +
    'registry is read (fee, listing, allowance) and publish is dry-run, so a refusal such as\n' +
    'VersionNotIncreasing or NotAuthor is named before anything is sent. The plan (name, version, app id,\n' +
    'content hash, fee in tokens, network fee) is shown and you type \'yes\'; without a terminal --yes is\n' +
    'required, and --fee-approve too when the registry needs a token approve for the fee first.\n' +
    'The account defaults to the wallet account of the bundle\'s author key. --json prints the receipt.',
  run: (ctx) => refusing(ctx, () => runPublish(ctx)),
};

export const DAPP_COMMANDS: readonly CommandSpec[] = [dappPackCommand, dappSignCommand, dappVerifyCommand, dappInspectCommand, dappPublishCommand, ...DAPP_STORE_COMMANDS];
