/**
 * @module renderer/features/dapps/dapp-actions
 * What the DApps screen's buttons do, with their toasts: install (progress arrives as
 * `dapps.progress`; Cancel stops it and keeps what was fetched), update (first
 * `dapps.checkUpdate`: added permissions are asked for before `dapps.update`), uninstall
 * (the origin is learnt first so its storage can be cleared once the files are gone), rate
 * and report (each a transaction), and open (each time the frame mounts it asks for a fresh
 * launch — its URL carries a one-use token — which must pass `launchProblem`).
 */
import type { DappLaunchT, DappPermissionT } from '../../../src-preload/contract';
import { call } from '../../bridge';
import { errorCode, errorText } from '../../lib/errors';
import { toast } from '../../ui/toast-store';
import { launchProblem } from './dapp-format';
import type { ReportReason } from './dapp-format';
import { clearProgress, refreshAfterChange, setProgress, useDappsStore } from './dapps-store';
import { clearOrigin, openDialog, showRunning, stopRunning } from './dapps-view';

const installing = new Set<string>();

export function isInstalling(appId: string): boolean {
  return installing.has(appId);
}

export async function installDapp(appId: string, name: string): Promise<void> {
  if (installing.has(appId)) return;
  installing.add(appId);
  setProgress({ appId, phase: 'finding-peers', receivedBytes: 0, totalBytes: null, peers: 0, message: null });
  try {
    await call('dapps.install', { appId });
    toast.success(`${name} is installed.`);
  } catch (error) {
    if (errorCode(error) === 'CANCELLED') toast.info(`Download of ${name} cancelled. What was fetched is kept for next time.`);
    else toast.error(error);
  } finally {
    installing.delete(appId);
    clearProgress(appId);
    await refreshAfterChange(appId);
  }
}

export async function cancelInstall(appId: string): Promise<void> {
  try {
    await call('dapps.cancel', { appId });
  } catch (error) {
    toast.error(error);
  }
}

/** Update now, or first ask for the permissions the new version adds. */
export async function startUpdate(appId: string, name: string): Promise<void> {
  try {
    const check = await call('dapps.checkUpdate', { appId });
    if (check.added.length > 0) openDialog({ kind: 'update-permissions', appId, name, check });
    else await applyUpdate(appId, name, []);
  } catch (error) {
    toast.error(error);
  }
}

/** `dapps.update` with the permissions the user accepted (throws so a dialog can show it). */
export async function applyUpdate(appId: string, name: string, acceptPermissions: DappPermissionT[]): Promise<void> {
  installing.add(appId);
  setProgress({ appId, phase: 'finding-peers', receivedBytes: 0, totalBytes: null, peers: 0, message: null });
  try {
    const done = await call('dapps.update', { appId, acceptPermissions, confirm: true });
    toast.success(`${name} is updated to version ${done.version}.`);
    // A running copy reloads with the new files.
    stopRunning(appId);
  } finally {
    installing.delete(appId);
    clearProgress(appId);
    await refreshAfterChange(appId);
  }
}

/** Remove the files, grants and accounts; then load the origin's clear page so its storage goes too. */
export async function uninstallDapp(appId: string, name: string): Promise<void> {
  const launch = await call('dapps.launch', { appId }).catch(() => null);
  await call('dapps.uninstall', { appId, confirm: true });
  stopRunning(appId);
  if (launch && launchProblem(launch, window.location.origin) === null) clearOrigin(launch.origin);
  toast.success(`${name} is uninstalled and its data removed.`);
  await refreshAfterChange(appId);
}

export async function rateDapp(appId: string, stars: number): Promise<void> {
  await call('dapps.rate', { appId, stars, confirm: true });
  toast.success('Rating sent. It counts once its transaction is in a block.');
  useDappsStore.setState((s) => ({ sentRatings: { ...s.sentRatings, [appId]: stars } }));
}

export async function reportDapp(appId: string, reason: ReportReason): Promise<void> {
  await call('dapps.report', { appId, reason, confirm: true });
  toast.success('Report sent. Thank you: it counts once its transaction is in a block.');
}

/** Show an installed dapp in the DApp view. */
export function openDapp(appId: string, name: string, icon: string | null): void {
  showRunning({ appId, name, icon });
}

/** A fresh launch for the frame (one-use URL), or why it cannot be shown, in words. */
export async function fetchLaunch(appId: string): Promise<{ launch: DappLaunchT } | { problem: string }> {
  try {
    const launch = await call('dapps.launch', { appId });
    const problem = launchProblem(launch, window.location.origin);
    return problem ? { problem } : { launch };
  } catch (error) {
    return { problem: errorText(error) };
  }
}
