/**
 * @module renderer/features/dapps/UpdatePrompt
 * Shown when an update asks for permissions the installed version did not have
 * (`dapps.checkUpdate` → `added`): each new permission with its sentence, the ones it drops,
 * and the download size. "Update and allow" sends `dapps.update` accepting exactly those.
 */
import type { UpdateCheckT } from '../../../src-preload/contract';
import { IconShield } from '../../ui/Icons';
import { FormDialog } from '../wallet/FormDialog';
import { applyUpdate } from './dapp-actions';
import { formatBytes, permissionSentence, permissionTitle } from './dapp-format';

export function UpdatePrompt({ appId, name, check, onClose }: { appId: string; name: string; check: UpdateCheckT; onClose(): void }) {
  return (
    <FormDialog
      title={`${name} ${check.to} asks for more`}
      submitLabel="Update and allow"
      testId="update-permissions-dialog"
      size="md"
      onClose={onClose}
      onSubmit={() => applyUpdate(appId, name, check.added)}
      description={`Version ${check.to} (you have ${check.from}) wants permissions your version does not have. Keep ${check.from} if you do not want to allow them.`}
    >
      <ul className="dapp-perms" data-testid="update-added">
        {check.added.map((p) => (
          <li key={p} data-permission={p}>
            <IconShield size={18} />
            <span>
              <strong>{permissionTitle(p)}</strong>
              <span className="muted"> {permissionSentence(p)}</span>
            </span>
          </li>
        ))}
      </ul>
      {check.removed.length > 0 && <p className="muted">It no longer asks to {check.removed.map((p) => permissionTitle(p).toLowerCase()).join(', ')}.</p>}
      {check.sizeBytes !== null && <p className="fine-print">Download: {formatBytes(check.sizeBytes)}.</p>}
    </FormDialog>
  );
}
