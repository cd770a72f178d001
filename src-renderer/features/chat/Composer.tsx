/**
 * @module renderer/features/chat/Composer
 * Message input. Enter sends, Shift+Enter inserts a newline (IME composition is left
 * alone). The draft is kept per conversation; it is cleared as soon as a send starts and
 * put back if the node refuses it. A counter appears near the 4000-character limit
 * (`MessageText` in the contract). The money button (payments/PayButton) sits before the input.
 */
import { useRef, useState } from 'react';
import type { ContactT } from '../../../src-preload/contract';
import { addrKey } from '../../lib/format';
import { IconButton } from '../../ui/Button';
import { IconSend } from '../../ui/Icons';
import { toast } from '../../ui/toast-store';
import { sendMessage } from './chat-actions';
import { useChatStore } from './chat-store';
import { PayButton } from './payments/PayButton';

export const MAX_MESSAGE = 4000;
const COUNTER_FROM = 3500;

export function Composer({ contact }: { contact: ContactT }) {
  const key = addrKey(contact.address);
  const draft = useChatStore((s) => s.drafts[key] ?? '');
  const setDraft = useChatStore((s) => s.setDraft);
  const [sending, setSending] = useState(0);
  const area = useRef<HTMLTextAreaElement>(null);

  const length = draft.length;
  const over = length > MAX_MESSAGE;
  const empty = draft.trim().length === 0;

  const send = async () => {
    if (empty || over) return;
    const text = draft;
    setDraft(contact.address, '');
    setSending((n) => n + 1);
    try {
      await sendMessage(contact.address, text);
    } catch (e) {
      toast.error(e);
      const current = useChatStore.getState().drafts[key] ?? '';
      if (!current) setDraft(contact.address, text);
    } finally {
      setSending((n) => n - 1);
      area.current?.focus();
    }
  };

  return (
    <div className="composer">
      <div className={`composer-box${over ? ' composer-over' : ''}`}>
        <PayButton contact={contact} />
        <textarea
          ref={area}
          className="composer-input"
          rows={1}
          placeholder={`Message ${contact.name}`}
          aria-label={`Message ${contact.name}`}
          aria-describedby={length >= COUNTER_FROM ? 'composer-counter' : undefined}
          value={draft}
          autoFocus
          data-testid="composer"
          onChange={(e) => setDraft(contact.address, e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.altKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              void send();
            }
          }}
        />
        {length >= COUNTER_FROM && (
          <span id="composer-counter" className={`composer-counter${over ? ' is-over' : ''}`} aria-live="polite" data-testid="composer-counter">
            {over ? `${length - MAX_MESSAGE} over the limit` : `${MAX_MESSAGE - length} left`}
          </span>
        )}
        <IconButton label="Send message" className="composer-send" disabled={empty || over} aria-busy={sending > 0 || undefined} onClick={() => void send()} data-testid="send-button">
          <IconSend size={20} />
        </IconButton>
      </div>
      <div className="composer-hint" aria-hidden="true">
        Enter to send · Shift+Enter for a new line
      </div>
    </div>
  );
}
