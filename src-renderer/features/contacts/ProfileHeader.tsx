/**
 * @module renderer/features/contacts/ProfileHeader
 * Top of the sidebar: your avatar, name and short address (copyable), plus the
 * "Add friend" button (Settings is at the bottom of the navigation rail).
 */
import { shortAddress } from '../../lib/format';
import { useDialogStore } from '../../layout/dialog-store';
import { Avatar } from '../../ui/Avatar';
import { IconButton } from '../../ui/Button';
import { CopyButton } from '../../ui/CopyButton';
import { IconUserPlus } from '../../ui/Icons';
import { useAppStore } from '../status/app-store';

export function ProfileHeader() {
  const app = useAppStore((s) => s.app);
  const open = useDialogStore((s) => s.open);
  return (
    <header className="profile-header">
      <Avatar name={app?.name ?? null} address={app?.address ?? null} size="md" />
      <div className="profile-main">
        <div className="profile-name" data-testid="profile-name">
          {app?.name ?? 'You'}
        </div>
        {app?.address && (
          <div className="profile-address">
            <span className="mono" title={app.address} data-testid="profile-address">
              {shortAddress(app.address)}
            </span>
            <CopyButton value={app.address} label="Copy your address" testId="copy-address" />
          </div>
        )}
      </div>
      <IconButton label="Add friend" onClick={() => open({ kind: 'add-friend' })} data-testid="add-friend-button">
        <IconUserPlus />
      </IconButton>
    </header>
  );
}
