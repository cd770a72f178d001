/**
 * @module renderer/features/dapps/InstallControls
 * The action area of a listing: Install; while it runs, a progress bar with the phase in
 * words (finding peers / downloading x of y / verifying / installing) and Cancel; once
 * installed, Open, Update (when a newer version is listed) and Uninstall (confirmed).
 */
import type { DappProgressT } from '../../../src-preload/contract';
import { Button } from '../../ui/Button';
import { IconDownload, IconRestart, IconTrash } from '../../ui/Icons';
import { cancelInstall, installDapp, openDapp, startUpdate } from './dapp-actions';
import { isActive, progressFraction, progressLabel } from './dapp-format';
import { useDappsStore } from './dapps-store';
import { openDialog } from './dapps-view';

type Props = {
  appId: string;
  name: string;
  icon: string | null;
  installedVersion: string | null;
  updateAvailable: boolean;
  compact?: boolean;
};

export function ProgressBar({ p }: { p: DappProgressT }) {
  const f = progressFraction(p);
  const label = progressLabel(p);
  return (
    <div className="dapp-progress" data-testid="dapp-progress" data-phase={p.phase}>
      <div
        className={`dapp-progress-track${f === null ? ' is-indeterminate' : ''}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={f === null ? undefined : Math.round(f * 100)}
        aria-valuetext={label}
      >
        <div className="dapp-progress-fill" style={f === null ? undefined : { width: `${Math.round(f * 100)}%` }} />
      </div>
      <span className="dapp-progress-label" aria-live="polite">
        {label}
      </span>
    </div>
  );
}

export function InstallControls({ appId, name, icon, installedVersion, updateAvailable, compact = false }: Props) {
  const progress = useDappsStore((s) => s.progress[appId]);
  const size = compact ? 'sm' : 'md';
  if (isActive(progress))
    return (
      <div className="dapp-actions is-running">
        <ProgressBar p={progress} />
        {progress.phase !== 'installing' && (
          <Button size={size} variant="ghost" onClick={() => void cancelInstall(appId)} data-testid="dapp-cancel">
            Cancel
          </Button>
        )}
      </div>
    );
  if (!installedVersion)
    return (
      <div className="dapp-actions">
        <Button size={size} variant="primary" icon={<IconDownload size={18} />} onClick={() => void installDapp(appId, name)} data-testid="dapp-install">
          Install
        </Button>
      </div>
    );
  return (
    <div className="dapp-actions">
      <Button size={size} variant="primary" onClick={() => openDapp(appId, name, icon)} data-testid="dapp-open">
        Open
      </Button>
      {updateAvailable && (
        <Button size={size} icon={<IconRestart size={18} />} onClick={() => void startUpdate(appId, name)} data-testid="dapp-update">
          Update
        </Button>
      )}
      {!compact && (
        <Button size={size} variant="ghost" icon={<IconTrash size={18} />} onClick={() => openDialog({ kind: 'uninstall', appId, name })} data-testid="dapp-uninstall">
          Uninstall
        </Button>
      )}
    </div>
  );
}
