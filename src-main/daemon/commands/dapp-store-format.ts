/**
 * @module daemon/commands/dapp-store-format
 * The text of `bitunicom dapp list|search|info|install|update|uninstall`: tables, the detail
 * block, progress lines and the update prompt. Pure; peer- and author-chosen strings (names,
 * descriptions) pass through `oneLine` so control and bidi characters never reach a terminal.
 */
import type { DappCatalogT, DappDetailT, DappProgressT, DappSummaryT, InstalledDappT, UpdateCheckT } from '../../../src-preload/contract';
import { oneLine, table, truncate } from '../format';

/** 1536 → "1.5 KiB" (IEC units, one decimal). */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

const stars = (r: DappSummaryT['rating']) => (r.average === null ? '—' : `${r.average.toFixed(1)}★ (${r.count})`);
const perms = (p: readonly string[]) => (p.length ? p.join(', ') : '(none)');

export function formatInstalled(list: readonly InstalledDappT[]): string {
  if (!list.length) return 'No dapps installed. Find one with: bitunicom dapp search <text>';
  return table(
    ['NAME', 'VERSION', 'APP ID', 'PERMISSIONS', 'SIZE', 'UPDATE'],
    list.map((d) => [truncate(oneLine(d.name), 32), d.version, d.appId, perms(d.permissions), formatSize(d.sizeBytes), d.updateAvailable ?? '']),
  );
}

export function formatCatalog(c: DappCatalogT): string {
  const note = c.state === 'ok' ? [] : [`Registry: ${c.state}${c.message ? ` — ${oneLine(c.message)}` : ''}`];
  if (!c.apps.length) return [...note, 'No dapp in the registry matches.'].join('\n');
  const rows = c.apps.map((a) => [
    truncate(oneLine(a.name), 32),
    a.latestVersion,
    truncate(oneLine(a.category), 16),
    stars(a.rating),
    a.installedVersion ? `installed ${a.installedVersion}${a.updateAvailable ? ' (update)' : ''}` : '',
    a.appId,
  ]);
  return [...note, table(['NAME', 'VERSION', 'CATEGORY', 'RATING', 'STATE', 'APP ID'], rows)].join('\n');
}

export function formatDetail(d: DappDetailT): string {
  const b = d.bundle;
  const lines = [
    `${oneLine(d.name)} ${d.latestVersion}${d.sample ? '  (sample)' : ''}`,
    `  app id        ${d.appId}`,
    `  author        ${d.author}`,
    `  category      ${oneLine(d.category)}`,
    `  rating        ${stars(d.rating)}${d.myRating ? `, yours ${d.myRating}★` : ''}`,
    `  reports       ${d.reportCount}${d.reportsByReason.length ? ` (${d.reportsByReason.map((r) => `${oneLine(r.reason)} ${r.count}`).join(', ')})` : ''}`,
    `  installed     ${d.installedVersion ?? 'no'}${d.updateAvailable ? ` — update to ${d.latestVersion} available` : ''}`,
  ];
  if (b) {
    lines.push(
      `  description   ${oneLine(b.description)}`,
      `  permissions   ${perms(b.permissions)}`,
      `  bundle        ${b.files} files, ${formatSize(b.sizeBytes)}, content ${b.contentHash}`,
      `  signature     ${b.signatureValid ? 'valid, by the listed author key' : 'DOES NOT VERIFY against the listing'}`,
    );
  } else lines.push(`  bundle        not seen yet (${d.holders ? `${d.holders} peers hold it` : 'no peer holding it answered'})`);
  lines.push('  versions:', ...d.versions.map((v) => `    ${v.version.padEnd(10)} ${v.contentHash}  ${v.publishedAt ? new Date(v.publishedAt).toISOString() : `block ${v.block}`}`));
  return lines.join('\n');
}

/** One progress line (stderr), or null for phases that print nothing. */
export function progressLine(name: string, p: DappProgressT): string | null {
  switch (p.phase) {
    case 'finding-peers':
      return `Finding peers that hold ${oneLine(name)}…`;
    case 'downloading':
      return `Downloading ${oneLine(name)}: ${formatSize(p.receivedBytes)}${p.totalBytes ? ` of ${formatSize(p.totalBytes)}` : ''} from ${p.peers} peer${p.peers === 1 ? '' : 's'}`;
    case 'verifying':
      return 'Verifying the bundle (every chunk, the author signature, the registry listing)…';
    case 'installing':
      return 'Installing…';
    default:
      return null;
  }
}

export function updateLines(name: string, u: UpdateCheckT): string[] {
  return [
    `Update ${oneLine(name)} ${u.from} → ${u.to}${u.sizeBytes !== null ? ` (${formatSize(u.sizeBytes)})` : ''}`,
    ...(u.added.length ? [`  NEW permissions it asks for: ${u.added.join(', ')}`] : ['  no new permissions']),
    ...(u.removed.length ? [`  permissions it no longer needs: ${u.removed.join(', ')}`] : []),
  ];
}
