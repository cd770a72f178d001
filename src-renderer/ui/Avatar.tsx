/**
 * @module renderer/ui/Avatar
 * Initials on a colour derived from the address (lib/color), with an optional presence dot.
 */
import { avatarColor } from '../lib/color';
import { initials } from '../lib/format';

type Props = { name: string | null; address: string | null; size?: 'sm' | 'md' | 'lg' | 'xl'; online?: boolean };

export function Avatar({ name, address, size = 'md', online }: Props) {
  return (
    <span className={`avatar avatar-${size}`} data-color={avatarColor(address)} aria-hidden="true">
      <span className="avatar-initials">{initials(name)}</span>
      {online !== undefined && <span className={`presence ${online ? 'presence-online' : 'presence-offline'}`} />}
    </span>
  );
}
