/**
 * @module daemon/commands/account
 * Account commands: init, import (may run without a serve), unlock, lock, status,
 * export-keystore (through the serve).
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { AppStateT } from '../../../src-preload/contract';
import { UsageError, type CommandSpec } from '../args';
import type { Caller } from '../client';
import type { CommandContext } from '../context';
import { formatState, formatStatus, oneLine } from '../format';
import { formatChain } from '../format-chain';
import { formatConsensus } from '../format-sealing';
import { PASSWORD_FILE_OPTION, promptOrStdin, readTextFile, requirePassword, stripLineEnd } from '../inputs';
import { print, withDaemon, withDaemonOrLocal } from './common';

export const DEFAULT_PROFILE_NAME = 'Me';

const NAME_OPTION = { name: { type: 'string' as const, value: 'NAME', description: `your display name (default "${DEFAULT_PROFILE_NAME}")` } };

function nameOf(ctx: CommandContext): string {
  return typeof ctx.values.name === 'string' ? ctx.values.name : DEFAULT_PROFILE_NAME;
}

function created(s: AppStateT, caller: Caller, verb: string): string {
  const where = caller.via === 'daemon' ? ' (through the running node)' : '';
  return `${verb} ${s.address}${s.name ? ` (${oneLine(s.name)})` : ''}${where}.\nProfile: ${s.dataDir}`;
}

export const initCommand: CommandSpec = {
  name: 'init',
  group: 'Account',
  summary: 'Create a new account and show its recovery phrase once.',
  options: { ...NAME_OPTION, ...PASSWORD_FILE_OPTION },
  details: 'Needs a password of at least 8 characters from BITUNICOM_PASSWORD or --password-file.',
  async run(ctx) {
    const password = await requirePassword(ctx.io, ctx.values);
    const name = nameOf(ctx);
    const core = await ctx.deps.loadCore();
    await withDaemonOrLocal(ctx, async (caller) => {
      const mnemonic = core.generateMnemonic();
      const s = await caller.call('account.create', { mnemonic, password, name });
      if (ctx.json) {
        ctx.io.out(JSON.stringify({ ...s, mnemonic }, null, 2));
        return;
      }
      ctx.io.out(created(s, caller, 'Account created:'));
      ctx.io.out('');
      ctx.io.out('RECOVERY PHRASE: write these words down, in order, and keep them offline.');
      ctx.io.out('They are shown only this once and are the only way to restore this account:');
      ctx.io.out('');
      ctx.io.out(`    ${mnemonic}`);
      ctx.io.out('');
    });
  },
};

export const importCommand: CommandSpec = {
  name: 'import',
  group: 'Account',
  summary: 'Restore an account from a recovery phrase (stdin or file) or a keystore file.',
  options: {
    'mnemonic-file': { type: 'string', value: 'FILE', description: 'read the recovery phrase from FILE (default: stdin)' },
    keystore: { type: 'string', value: 'FILE', description: 'import a Web3 Secret Storage (V3) keystore file' },
    'keystore-password-file': { type: 'string', value: 'FILE', description: "the keystore's password" },
    ...NAME_OPTION,
    ...PASSWORD_FILE_OPTION,
  },
  details: 'The new account password comes from BITUNICOM_PASSWORD or --password-file.',
  async run(ctx) {
    const v = ctx.values;
    if (typeof v.keystore === 'string' && typeof v['mnemonic-file'] === 'string') {
      throw new UsageError('use either --mnemonic-file or --keystore, not both');
    }
    if (typeof v['keystore-password-file'] === 'string' && typeof v.keystore !== 'string') {
      throw new UsageError('--keystore-password-file goes with --keystore FILE');
    }
    const password = await requirePassword(ctx.io, v);
    const name = nameOf(ctx);
    let call: (caller: Caller) => Promise<AppStateT>;
    if (typeof v.keystore === 'string') {
      const keystore = await readTextFile(v.keystore, 'keystore file', 64 * 1024, ctx.io.cwd);
      const pwFile = v['keystore-password-file'];
      if (typeof pwFile !== 'string') throw new UsageError('--keystore needs --keystore-password-file FILE');
      const keystorePassword = stripLineEnd(await readTextFile(pwFile, 'keystore password file', 4096, ctx.io.cwd));
      call = (c) => c.call('account.importKeystore', { keystore, keystorePassword, password, name });
    } else {
      const raw =
        typeof v['mnemonic-file'] === 'string'
          ? await readTextFile(v['mnemonic-file'], 'mnemonic file', 4096, ctx.io.cwd)
          : await promptOrStdin(ctx.io, 'Recovery phrase: ', 4096);
      const mnemonic = raw.trim();
      if (!mnemonic) throw new UsageError('no recovery phrase given (pipe it on stdin or use --mnemonic-file FILE)');
      call = (c) => c.call('account.importMnemonic', { mnemonic, password, name });
    }
    await withDaemonOrLocal(ctx, async (caller) => {
      const s = await call(caller);
      print(ctx, s, () => created(s, caller, 'Account imported:'));
    });
  },
};

export const unlockCommand: CommandSpec = {
  name: 'unlock',
  group: 'Account',
  summary: 'Unlock the account of the running node.',
  options: { ...PASSWORD_FILE_OPTION },
  async run(ctx) {
    await withDaemon(ctx, async (caller) => {
      const before = await caller.call('app.getState', {});
      if (before.phase === 'unlocked') return print(ctx, before, () => `Already unlocked: ${before.address}`);
      const password = await requirePassword(ctx.io, ctx.values, 'Password: ');
      const s = await caller.call('account.unlock', { password });
      print(ctx, s, () => `Unlocked: ${s.address}`);
    });
  },
};

export const lockCommand: CommandSpec = {
  name: 'lock',
  group: 'Account',
  summary: 'Lock the account of the running node (it goes offline until unlocked).',
  async run(ctx) {
    await withDaemon(ctx, async (caller) => {
      const s = await caller.call('account.lock', {});
      print(ctx, s, () => (s.phase === 'locked' ? 'Locked.' : formatState(s)));
    });
  },
};

export const statusCommand: CommandSpec = {
  name: 'status',
  group: 'Node',
  summary: 'Show the running node: account, network, peers, UI link, chain and RPC URL.',
  details: 'Same as `bitunicom node status`. --json prints the node status (rpcUrl, chain, peers, …) plus pid, ui, startedAt.',
  async run(ctx) {
    await withDaemon(ctx, async (caller) => {
      const s = await caller.call('node.status', {});
      const ui = `http://127.0.0.1:${caller.info.uiPort}/?token=${caller.info.token}`;
      print(ctx, { ...s, pid: caller.info.pid, ui, startedAt: caller.info.startedAt }, () =>
        [formatStatus(s, { pid: caller.info.pid, ui, startedAt: caller.info.startedAt }), '', formatChain(s), ...(s.sealing || s.poe ? ['', formatConsensus(s)] : [])].join('\n'),
      );
    });
  },
};

export const exportKeystoreCommand: CommandSpec = {
  name: 'export-keystore',
  group: 'Account',
  summary: "Export the account key as a keystore file encrypted with the account's password.",
  options: {
    out: { type: 'string', value: 'FILE', description: 'write it to FILE (never overwrites; default: print it)' },
    ...PASSWORD_FILE_OPTION,
  },
  async run(ctx) {
    const password = await requirePassword(ctx.io, ctx.values, 'Password: ');
    await withDaemon(ctx, async (caller) => {
      const r = await caller.call('account.exportKeystore', { password });
      const out = ctx.values.out;
      if (typeof out !== 'string') return print(ctx, r, () => r.keystore);
      const file = resolve(ctx.io.cwd, out);
      try {
        await writeFile(file, `${r.keystore}\n`, { flag: 'wx', mode: 0o600 });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new UsageError(code === 'EEXIST' ? `${file} already exists; choose another --out` : `cannot write ${file} (${code ?? 'error'})`);
      }
      print(ctx, { file, filename: r.filename }, () => `Keystore written to ${file}`);
    });
  },
};
