/**
 * @module dapps/store/views
 * The bridge shapes of the store (src-preload/contract/dapps.ts) from what the node knows: a
 * registry listing (dapps/registry), the installed record (dapps/library) and, once a peer
 * sent it, the bundle's manifest and files (`bundleInfo`). Pure functions.
 */
import type { DappBundleInfoT, DappDetailT, DappPermissionT, DappSummaryT, InstalledDappT } from '../../../../src-preload/contract';
import { contentHashHex, compareSemver, mimeTypeOf, type BundleFile, type OpenedBundle } from '../package';
import { REPORT_REASONS, type DappListing, type DappVersion } from '../registry';
import type { InstalledRecord } from '../library';

const MAX_SCREENSHOTS = 4;

export function dataUrl(file: BundleFile | undefined): string | null {
  const mime = file && mimeTypeOf(file.path);
  return file && mime ? `data:${mime.split(';')[0]};base64,${Buffer.from(file.bytes).toString('base64')}` : null;
}

/** What the detail page shows of a bundle; `signatureValid`: it verified against the listing. */
export function bundleInfo(b: OpenedBundle, signatureValid: boolean): DappBundleInfoT {
  const m = b.manifest;
  const file = (p: string) => b.files.find((f) => f.path === p);
  return {
    contentHash: contentHashHex(b),
    version: m.version,
    description: m.description,
    permissions: [...m.permissions] as DappPermissionT[],
    sizeBytes: b.index.totalSize,
    files: b.index.files.length,
    icon: dataUrl(file(m.icon)),
    screenshots: m.screenshots.slice(0, MAX_SCREENSHOTS).map((p) => dataUrl(file(p))).filter((u): u is string => u !== null),
    signatureValid,
  };
}

/** The newer listed version than the installed one, or null. */
export function updateOf(l: DappListing | null, r: InstalledRecord): string | null {
  if (!l || l.delisted) return null;
  return compareSemver(l.latest.versionText, r.version) > 0 ? l.latest.versionText : null;
}

export function summaryOf(l: DappListing, installed: InstalledRecord | null, info: DappBundleInfoT | null, installedIcon: string | null): DappSummaryT {
  return {
    appId: l.appId,
    name: l.name,
    category: l.category,
    author: l.author,
    latestVersion: l.latest.versionText,
    description: info?.description ?? installed?.description ?? null,
    icon: info?.icon ?? installedIcon,
    rating: { average: l.rating.average, count: l.rating.count },
    reportCount: l.reportCount,
    installedVersion: installed?.version ?? null,
    updateAvailable: installed ? updateOf(l, installed) !== null : false,
    sample: l.seeded,
  };
}

export function versionInfo(v: DappVersion, publishedAt: number | null): DappDetailT['versions'][number] {
  return { version: v.versionText, contentHash: v.contentHash.toLowerCase(), publishedAt, block: v.block.toString(), txHash: v.txHash };
}

export function reportsOf(l: DappListing): DappDetailT['reportsByReason'] {
  return Object.entries(l.reportsByReason)
    .map(([code, count]) => ({ reason: (REPORT_REASONS as Record<string, string>)[code] ?? `reason ${code}`, count }))
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}

export function installedOf(r: InstalledRecord, icon: string | null, update: string | null): InstalledDappT {
  return {
    appId: r.appId,
    name: r.name,
    version: r.version,
    contentHash: r.contentHash,
    permissions: [...r.permissions] as DappPermissionT[],
    icon,
    installedAt: r.installedAt,
    sizeBytes: r.sizeBytes,
    updateAvailable: update,
  };
}
