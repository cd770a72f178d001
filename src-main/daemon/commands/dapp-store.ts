/**
 * @module daemon/commands/dapp-store
 * `bitunicom dapp list|search|info|install|update|uninstall`: the dapp store of the running
 * node over the bridge's `dapps.*` methods (src-preload/contract/dapps.ts) — the CLI can do
 * what the Store screen does, no more. A dapp is named by its app id (0x + 40 hex) or by its
 * name (case-insensitive; two apps of one name: use the id). Install and update print progress
 * lines on stderr (from `dapps.progress` events) and the result on stdout; `--json` prints the
 * bridge's shapes. Update and uninstall ask on a terminal (type `yes`), else need --yes.
 */
import type { DappProgressT, DappSummaryT, InstalledDappT } from '../../../src-preload/contract';
import { BuError } from '../../core/base';
import { UsageError, type CommandSpec } from '../args';
import type { Caller } from '../client';
import type { CommandContext } from '../context';
import { oneLine } from '../format';
import { print, withDaemon } from './common';
import { confirmed, planConfirm, YES_OPTION } from './wallet-common';
import { formatCatalog, formatDetail, formatInstalled, progressLine, updateLines } from './dapp-store-format';

const GROUP = 'DApps';
const APP_ID = /^0x[0-9a-fA-F]{40}$/;

/** `<appId|name>` → the app id, from the catalog and the installed list. */
export async function resolveDapp(caller: Caller, ref: string): Promise<{ appId: string; name: string }> {
  const want = ref.trim();
  if (APP_ID.test(want)) return { appId: want.toLowerCase(), name: want.toLowerCase() };
  const [catalog, installed] = await Promise.all([caller.call('dapps.catalog', {}), caller.call('dapps.installed', {})]);
  const byId = new Map<string, string>();
  for (const a of [...catalog.apps, ...installed] as Array<Pick<DappSummaryT | InstalledDappT, 'appId' | 'name'>>) {
    if (a.name.toLowerCase() === want.toLowerCase()) byId.set(a.appId, a.name);
  }
  if (byId.size === 1) {
    const [appId, name] = [...byId][0]!;
    return { appId, name };
  }
  if (byId.size > 1) throw new BuError('BAD_INPUT', `Several dapps are called "${oneLine(want)}": ${[...byId.keys()].join(', ')}. Use the app id.`);
  throw new BuError('DAPP_NOT_FOUND', `No dapp called "${oneLine(want)}" is listed or installed (see: bitunicom dapp search <text>).`);
}

/** Runs `fn` while printing the progress of `appId` on stderr (human mode: a line per phase, downloads at most twice a second). */
async function withProgress<T>(ctx: CommandContext, caller: Caller, appId: string, name: string, fn: () => Promise<T>): Promise<T> {
  let last = '';
  let lastAt = 0;
  const off = caller.onEvent?.((f) => {
    if (f.event !== 'dapps.progress' || ctx.json) return;
    const p = f.payload as DappProgressT;
    if (p.appId !== appId) return;
    const line = progressLine(name, p);
    const now = Date.now();
    if (!line || line === last || (p.phase === 'downloading' && last.startsWith('Downloading') && now - lastAt < 500)) return;
    last = line;
    lastAt = now;
    ctx.io.err(line);
  });
  try {
    return await fn();
  } finally {
    off?.();
  }
}

const installedText = (verb: string, d: InstalledDappT) =>
  [`${verb} ${oneLine(d.name)} ${d.version} (${d.appId})`, `  permissions: ${d.permissions.length ? d.permissions.join(', ') : '(none)'}`, `Open it from the Store in the app (its own origin, sandboxed).`].join('\n');

const appArg = { synopsis: '<appId|name>', minArgs: 1, maxArgs: Infinity } as const;
const refOf = (ctx: CommandContext) => ctx.args.join(' ');

export const dappListCommand: CommandSpec = {
  name: 'dapp list',
  group: GROUP,
  summary: 'List the installed dapps (version, permissions, available updates).',
  maxArgs: 0,
  run: (ctx) =>
    withDaemon(ctx, async (c) => {
      const list = await c.call('dapps.installed', {});
      print(ctx, list, () => formatInstalled(list));
    }),
};

export const dappSearchCommand: CommandSpec = {
  name: 'dapp search',
  group: GROUP,
  summary: 'Search the dapp store (the on-chain registry) by name, category, app id or author.',
  synopsis: '<text...>',
  minArgs: 1,
  maxArgs: Infinity,
  options: {
    category: { type: 'string', value: 'C', description: 'only this category' },
    sort: { type: 'string', value: 'name|rating|recent', description: 'order (default: first published first)' },
  },
  run: (ctx) =>
    withDaemon(ctx, async (c) => {
      const sort = ctx.values.sort;
      if (sort !== undefined && sort !== 'name' && sort !== 'rating' && sort !== 'recent') throw new UsageError('--sort must be name, rating or recent', 'dapp search');
      const category = typeof ctx.values.category === 'string' ? ctx.values.category : undefined;
      const cat = await c.call('dapps.catalog', { query: ctx.args.join(' ').slice(0, 100), ...(category ? { category } : {}), ...(sort ? { sort } : {}) });
      print(ctx, cat, () => formatCatalog(cat));
    }),
};

export const dappInfoCommand: CommandSpec = {
  name: 'dapp info',
  group: GROUP,
  summary: 'Show a listed dapp: versions, rating, reports, and its bundle (permissions, size) once a peer sent it.',
  ...appArg,
  run: (ctx) =>
    withDaemon(ctx, async (c) => {
      const { appId } = await resolveDapp(c, refOf(ctx));
      const d = await c.call('dapps.detail', { appId });
      print(ctx, d, () => formatDetail(d));
    }),
};

export const dappInstallCommand: CommandSpec = {
  name: 'dapp install',
  group: GROUP,
  summary: 'Install a dapp: fetched from peers by its listed content hash, verified, then installed.',
  ...appArg,
  details: 'Refused (DAPP_REFUSED) unless every chunk, the author signature and the registry listing agree.',
  run: (ctx) =>
    withDaemon(ctx, async (c) => {
      const { appId, name } = await resolveDapp(c, refOf(ctx));
      const d = await withProgress(ctx, c, appId, name, () => c.call('dapps.install', { appId }));
      print(ctx, d, () => installedText('Installed', d));
    }),
};

export const dappUpdateCommand: CommandSpec = {
  name: 'dapp update',
  group: GROUP,
  summary: 'Update an installed dapp to the latest listed version (shows the permissions it adds first).',
  ...appArg,
  options: { ...YES_OPTION },
  details: 'With --yes the new permissions are accepted without asking.',
  run: (ctx) =>
    withDaemon(ctx, async (c) => {
      const { appId, name } = await resolveDapp(c, refOf(ctx));
      const plan = planConfirm(ctx, 'dapp update');
      const check = await withProgress(ctx, c, appId, name, () => c.call('dapps.checkUpdate', { appId }));
      if (check.from === check.to) {
        print(ctx, { updated: false, check }, () => `${oneLine(name)} ${check.from} is up to date.`);
        return 0;
      }
      if (plan === 'go' && !ctx.json) for (const line of updateLines(name, check)) ctx.io.err(line);
      if (!(await confirmed(ctx, plan, updateLines(name, check)))) {
        ctx.io.err('Cancelled: nothing was changed.');
        return 1;
      }
      const d = await withProgress(ctx, c, appId, name, () => c.call('dapps.update', { appId, acceptPermissions: check.added, confirm: true }));
      print(ctx, { updated: true, check, installed: d }, () => installedText('Updated', d));
      return 0;
    }),
};

export const dappUninstallCommand: CommandSpec = {
  name: 'dapp uninstall',
  group: GROUP,
  summary: 'Remove an installed dapp: its files, its grants, and (in the UI) its origin’s storage.',
  ...appArg,
  options: { ...YES_OPTION },
  run: (ctx) =>
    withDaemon(ctx, async (c) => {
      const { appId } = await resolveDapp(c, refOf(ctx));
      const installed = (await c.call('dapps.installed', {})).find((d) => d.appId === appId);
      if (!installed) throw new BuError('NOT_INSTALLED', `${appId} is not installed.`);
      const plan = planConfirm(ctx, 'dapp uninstall');
      if (!(await confirmed(ctx, plan, [`Uninstall ${oneLine(installed.name)} ${installed.version} (${appId})? Its files and the data it stored are removed.`]))) {
        ctx.io.err('Cancelled: nothing was removed.');
        return 1;
      }
      await c.call('dapps.uninstall', { appId, confirm: true });
      print(ctx, { ok: true, appId }, () => `Uninstalled ${oneLine(installed.name)} ${installed.version}.`);
      return 0;
    }),
};

export const DAPP_STORE_COMMANDS: readonly CommandSpec[] = [dappListCommand, dappSearchCommand, dappInfoCommand, dappInstallCommand, dappUpdateCommand, dappUninstallCommand];
