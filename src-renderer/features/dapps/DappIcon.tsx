/**
 * @module renderer/features/dapps/DappIcon
 * A dapp's icon: its bundle's data: image when known (nothing else is ever loaded as an
 * image), else its initials on a colour derived from the app id (like avatars).
 */
import { avatarColor } from '../../lib/color';
import { initials } from '../../lib/format';
import { safeImage } from './dapp-format';

type Props = { name: string; appId: string; icon: string | null; size?: 'sm' | 'md' | 'lg' | 'xl' };

export function DappIcon({ name, appId, icon, size = 'md' }: Props) {
  const src = safeImage(icon);
  return (
    <span className={`dapp-icon dapp-icon-${size}`} aria-hidden="true">
      {src ? (
        <img src={src} alt="" draggable={false} />
      ) : (
        <span className="avatar dapp-icon-letters" data-color={avatarColor(appId)}>
          {initials(name)}
        </span>
      )}
    </span>
  );
}
