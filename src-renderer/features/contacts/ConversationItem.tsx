/**
 * @module renderer/features/contacts/ConversationItem
 * One row of the conversation list: avatar with presence, name, time of the last
 * message, one-line preview and the unread badge.
 */
import type { ContactT } from '../../../src-preload/contract';
import { formatListTime, previewText } from '../../lib/format';
import { Avatar } from '../../ui/Avatar';

type Props = { contact: ContactT; selected: boolean; onSelect(address: string): void };

export function ConversationItem({ contact, selected, onSelect }: Props) {
  const last = contact.lastMessage;
  const blocked = contact.state === 'blocked';
  const unread = contact.unread;
  const preview = last ? `${last.direction === 'out' ? 'You: ' : ''}${previewText(last.text)}` : 'No messages yet';
  return (
    <li>
      <button
        type="button"
        className={`conversation${selected ? ' is-selected' : ''}${unread > 0 ? ' has-unread' : ''}`}
        aria-current={selected ? 'true' : undefined}
        data-testid={`conversation-${contact.address}`}
        data-address={contact.address}
        onClick={() => onSelect(contact.address)}
      >
        <Avatar name={contact.name} address={contact.address} online={blocked ? undefined : contact.online} />
        <span className="conversation-main">
          <span className="conversation-top">
            <span className="conversation-name">{contact.name}</span>
            {last && <time className="conversation-time">{formatListTime(last.at)}</time>}
          </span>
          <span className="conversation-bottom">
            <span className="conversation-preview">{blocked ? 'Blocked' : preview}</span>
            {unread > 0 && (
              <span className="badge" aria-label={`${unread} unread message${unread === 1 ? '' : 's'}`} data-testid="unread-badge">
                {unread > 99 ? '99+' : unread}
              </span>
            )}
          </span>
          <span className="visually-hidden">{contact.online && !blocked ? ', online' : ''}</span>
        </span>
      </button>
    </li>
  );
}
