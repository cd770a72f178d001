/**
 * @module renderer/features/contacts/Sidebar
 * Left column: profile header, search, requests and conversations, with empty and
 * loading states.
 */
import { useMemo } from 'react';
import { useDialogStore } from '../../layout/dialog-store';
import { Button } from '../../ui/Button';
import { EmptyState } from '../../ui/EmptyState';
import { IconUserPlus } from '../../ui/Icons';
import { Spinner } from '../../ui/Spinner';
import { useChatStore } from '../chat/chat-store';
import { openConversation } from '../chat/open-conversation';
import { loadAccountData } from '../status/sync';
import { ConversationItem } from './ConversationItem';
import { conversationList, hasAnyContact, incomingRequests, outgoingRequests, useContactsStore } from './contacts-store';
import { ProfileHeader } from './ProfileHeader';
import { RequestsSection } from './RequestsSection';
import { SearchBox } from './SearchBox';

export function Sidebar() {
  const byKey = useContactsStore((s) => s.byKey);
  const status = useContactsStore((s) => s.status);
  const query = useContactsStore((s) => s.query);
  const selected = useChatStore((s) => s.selected);
  const openDialog = useDialogStore((s) => s.open);

  const conversations = useMemo(() => conversationList(byKey, query), [byKey, query]);
  const incoming = useMemo(() => incomingRequests(byKey, query), [byKey, query]);
  const outgoing = useMemo(() => outgoingRequests(byKey, query), [byKey, query]);
  const anyone = useMemo(() => hasAnyContact(byKey), [byKey]);
  const selectedKey = selected?.toLowerCase() ?? null;

  let body;
  if (status === 'loading' && !anyone) {
    body = (
      <div className="sidebar-loading">
        <Spinner size={18} label="Loading conversations" />
      </div>
    );
  } else if (status === 'error' && !anyone) {
    body = (
      <EmptyState title="Couldn’t load your contacts">
        <Button size="sm" onClick={() => void loadAccountData()}>
          Try again
        </Button>
      </EmptyState>
    );
  } else if (!anyone) {
    body = (
      <EmptyState icon={<IconUserPlus size={28} />} title="No conversations yet" testId="sidebar-empty"
        action={
          <Button variant="primary" icon={<IconUserPlus size={18} />} onClick={() => openDialog({ kind: 'add-friend' })} data-testid="add-friend-empty">
            Add a friend
          </Button>
        }
      >
        Share your invite link or paste a friend’s to start chatting.
      </EmptyState>
    );
  } else {
    const nothing = conversations.length + incoming.length + outgoing.length === 0;
    body = (
      <>
        <RequestsSection incoming={incoming} outgoing={outgoing} selected={selected} onSelect={openConversation} />
        {conversations.length > 0 && (
          <nav className="sidebar-section" aria-label="Conversations">
            {(incoming.length > 0 || outgoing.length > 0) && <h3 className="sidebar-heading">Chats</h3>}
            <ul className="conversation-list" data-testid="conversation-list">
              {conversations.map((c) => (
                <ConversationItem key={c.address} contact={c} selected={c.address.toLowerCase() === selectedKey} onSelect={openConversation} />
              ))}
            </ul>
          </nav>
        )}
        {nothing && query && <p className="sidebar-note">No conversations match “{query.trim()}”.</p>}
        {nothing && !query && <p className="sidebar-note">No chats yet. Friends you add appear here.</p>}
      </>
    );
  }

  return (
    <aside className="sidebar" aria-label="Conversations and requests">
      <ProfileHeader />
      <SearchBox />
      <div className="sidebar-scroll">{body}</div>
    </aside>
  );
}
