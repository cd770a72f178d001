/**
 * @module renderer/features/chat/ConversationHeader
 * Name, short address (copyable) and presence of the open conversation, with its menu.
 */
import type { ContactT } from '../../../src-preload/contract';
import { formatAgo, shortAddress } from '../../lib/format';
import { useNow } from '../../lib/hooks';
import { Avatar } from '../../ui/Avatar';
import { CopyButton } from '../../ui/CopyButton';
import { ContactMenu } from '../contacts/ContactMenu';
import { CallButtons } from '../calls/CallButtons';
import { peerLink, useNodeStore } from '../status/node-store';

function presence(contact: ContactT, lastSeenAt: number | null, now: number): string {
  switch (contact.state) {
    case 'pending_in':
      return 'Wants to be your friend';
    case 'pending_out':
      return 'Request sent';
    case 'blocked':
      return 'Blocked';
    case 'declined':
      return 'Request declined';
    default:
      if (contact.online) return 'Online';
      return lastSeenAt ? `Last seen ${formatAgo(lastSeenAt, now)}` : 'Offline';
  }
}

export function ConversationHeader({ contact }: { contact: ContactT }) {
  const status = useNodeStore((s) => s.status);
  const now = useNow();
  const link = peerLink(status, contact.address);
  const online = contact.state === 'friend' ? contact.online : undefined;
  return (
    <header className="conversation-header" data-testid="conversation-header">
      <Avatar name={contact.name} address={contact.address} size="md" online={online} />
      <div className="conversation-header-main">
        <h2 className="conversation-header-name" data-testid="conversation-name">
          {contact.name}
        </h2>
        <div className="conversation-header-sub">
          <span className={`presence-text${contact.online && contact.state === 'friend' ? ' is-online' : ''}`} data-testid="conversation-presence">
            {presence(contact, link?.lastSeenAt ?? null, now)}
          </span>
          <span aria-hidden="true">·</span>
          <span className="mono" title={contact.address}>
            {shortAddress(contact.address)}
          </span>
          <CopyButton value={contact.address} label={`Copy ${contact.name}’s address`} />
        </div>
      </div>
      <CallButtons contact={contact} />
      <ContactMenu contact={contact} />
    </header>
  );
}
