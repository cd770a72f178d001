/**
 * @module renderer/features/chat/MessageList
 * The scrolling message log. Sticks to the bottom while the user is there; if they have
 * scrolled up and a message comes in, a "New messages ↓" pill appears instead of yanking
 * the view. Your own new messages always scroll into view. Scrolling near the top loads
 * older pages and keeps the visible message where it was.
 */
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ContactT } from '../../../src-preload/contract';
import { useNow } from '../../lib/hooks';
import { Button } from '../../ui/Button';
import { IconArrowDown, IconShield } from '../../ui/Icons';
import { Spinner } from '../../ui/Spinner';
import { loadOlder } from './chat-actions';
import type { Thread } from './chat-store';
import { groupMessages } from './group-messages';
import { MessageBubble } from './MessageBubble';
import { CallRecordBubble } from '../calls/CallRecordBubble';

const BOTTOM_SLACK = 48;
const TOP_LOAD_AT = 150;

type Props = { contact: ContactT; thread: Thread };

function position(i: number, n: number): 'single' | 'first' | 'middle' | 'last' {
  if (n === 1) return 'single';
  if (i === 0) return 'first';
  return i === n - 1 ? 'last' : 'middle';
}

export function MessageList({ contact, thread }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const items = thread.items;
  const now = useNow();
  const sections = useMemo(() => groupMessages(items, now), [items, now]);
  const first = items[0];
  const last = items[items.length - 1];
  const lastSeq = last?.seq ?? 0;
  const lastIncomingSeq = useMemo(() => {
    for (let i = items.length - 1; i >= 0; i--) if (items[i]?.direction === 'in') return items[i]?.seq ?? 0;
    return 0;
  }, [items]);

  const [atBottom, setAtBottom] = useState(true);
  const [seenSeq, setSeenSeq] = useState(lastSeq);
  const atBottomRef = useRef(true);
  const fromBottomRef = useRef(0);
  const prevRef = useRef<{ firstId?: string; lastId?: string }>({});

  const scrollToBottom = (smooth = false) => {
    const el = ref.current;
    if (el) el.scrollTo({ top: el.scrollHeight, behavior: smooth ? 'smooth' : 'auto' });
  };

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const prev = prevRef.current;
    prevRef.current = { firstId: first?.id, lastId: last?.id };
    if (!prev.lastId) {
      el.scrollTop = el.scrollHeight; // first render of this conversation
    } else if (last?.id !== prev.lastId) {
      if (atBottomRef.current || last?.direction === 'out') el.scrollTop = el.scrollHeight;
    } else if (first?.id !== prev.firstId) {
      el.scrollTop = el.scrollHeight - el.clientHeight - fromBottomRef.current; // older page prepended
    }
  }, [first?.id, last?.id, last?.direction]);

  const onScroll = () => {
    const el = ref.current;
    if (!el) return;
    const fromBottom = el.scrollHeight - el.scrollTop - el.clientHeight;
    fromBottomRef.current = fromBottom;
    const bottom = fromBottom <= BOTTOM_SLACK;
    atBottomRef.current = bottom;
    if (bottom !== atBottom) setAtBottom(bottom);
    if (bottom && seenSeq !== lastSeq) setSeenSeq(lastSeq);
    if (el.scrollTop < TOP_LOAD_AT && thread.hasMore && !thread.loadingOlder) void loadOlder(contact.address);
  };

  const showPill = !atBottom && lastIncomingSeq > seenSeq;

  return (
    <div className="message-pane">
      <div ref={ref} className="message-scroll" onScroll={onScroll} role="log" aria-label={`Messages with ${contact.name}`} data-testid="message-list">
        <div className="message-inner">
          {thread.hasMore ? (
            <div className="load-older">
              {thread.loadingOlder ? (
                <Spinner size={16} label="Loading earlier messages" />
              ) : (
                <Button size="sm" variant="ghost" onClick={() => void loadOlder(contact.address)}>
                  Load earlier messages
                </Button>
              )}
            </div>
          ) : (
            <div className="thread-start">
              <IconShield size={16} />
              <span>Messages with {contact.name} are end-to-end encrypted. Only the two of you can read them.</span>
            </div>
          )}
          {thread.error && <p className="form-error center">{thread.error}</p>}
          {sections.map((day) => (
            <section key={day.key} className="day" aria-label={day.label}>
              <div className="day-divider">
                <span>{day.label}</span>
              </div>
              {day.groups.map((g) => (
                <div key={g.key} className={`msg-group msg-group-${g.direction}`}>
                  {g.items.map((m, i) =>
                    m.call ? (
                      <CallRecordBubble key={m.id} message={{ ...m, call: m.call }} canCall={contact.state === 'friend'} />
                    ) : (
                      <MessageBubble key={m.id} message={m} canResend={contact.state === 'friend'} position={position(i, g.items.length)} />
                    ),
                  )}
                </div>
              ))}
            </section>
          ))}
        </div>
      </div>
      {showPill && (
        <button type="button" className="new-pill" onClick={() => scrollToBottom(true)} data-testid="new-messages-pill">
          New messages <IconArrowDown size={14} />
        </button>
      )}
    </div>
  );
}
