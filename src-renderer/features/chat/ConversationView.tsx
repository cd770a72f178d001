/**
 * @module renderer/features/chat/ConversationView
 * Right-hand pane: the selected conversation (header, messages, composer) or an empty
 * state. Friends get a composer; everyone else gets an explanation instead.
 */
import { useMemo } from 'react';
import { Button } from '../../ui/Button';
import { EmptyState } from '../../ui/EmptyState';
import { IconChat, IconUserPlus } from '../../ui/Icons';
import { Spinner } from '../../ui/Spinner';
import { useDialogStore } from '../../layout/dialog-store';
import { contactOf, hasAnyContact, useContactsStore } from '../contacts/contacts-store';
import { loadThread } from './chat-actions';
import { threadOf, useChatStore } from './chat-store';
import { Composer } from './Composer';
import { ComposerNotice } from './ComposerNotice';
import { ConversationHeader } from './ConversationHeader';
import { MessageList } from './MessageList';
import { useMarkRead } from './use-mark-read';

function NoConversation() {
  const byKey = useContactsStore((s) => s.byKey);
  const open = useDialogStore((s) => s.open);
  const anyone = useMemo(() => hasAnyContact(byKey), [byKey]);
  if (!anyone) {
    return (
      <EmptyState
        icon={<IconUserPlus size={32} />}
        title="Start your first conversation"
        testId="no-conversation"
        action={
          <Button variant="primary" onClick={() => open({ kind: 'add-friend' })}>
            Add a friend
          </Button>
        }
      >
        Share your invite link with a friend, or paste theirs. Once a request is accepted you can chat directly and privately.
      </EmptyState>
    );
  }
  return (
    <EmptyState icon={<IconChat size={32} />} title="No conversation selected" testId="no-conversation">
      Pick a conversation on the left. Alt+↑ and Alt+↓ move between them.
    </EmptyState>
  );
}

export function ConversationView() {
  const selected = useChatStore((s) => s.selected);
  const threads = useChatStore((s) => s.threads);
  const byKey = useContactsStore((s) => s.byKey);
  const contact = contactOf(byKey, selected);
  const thread = threadOf(threads, selected);
  useMarkRead(contact?.address ?? null, contact?.unread ?? 0, thread?.status === 'ready');

  if (!contact) {
    return (
      <main className="conversation-view" aria-label="Conversation">
        <NoConversation />
      </main>
    );
  }

  let body;
  if (!thread || (thread.status === 'loading' && thread.items.length === 0)) {
    body = (
      <div className="message-pane center-fill">
        <Spinner size={22} label="Loading messages" />
      </div>
    );
  } else if (thread.status === 'error' && thread.items.length === 0) {
    body = (
      <div className="message-pane center-fill">
        <EmptyState title="Couldn’t load messages">
          <p>{thread.error}</p>
          <Button onClick={() => void loadThread(contact.address)}>Try again</Button>
        </EmptyState>
      </div>
    );
  } else {
    body = <MessageList key={`log-${contact.address.toLowerCase()}`} contact={contact} thread={thread} />;
  }

  return (
    <main className="conversation-view" aria-label={`Conversation with ${contact.name}`} data-testid="conversation-view">
      <ConversationHeader contact={contact} />
      {body}
      {contact.state === 'friend' ? <Composer key={`composer-${contact.address.toLowerCase()}`} contact={contact} /> : <ComposerNotice contact={contact} />}
    </main>
  );
}
