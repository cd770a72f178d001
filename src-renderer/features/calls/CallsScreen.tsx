/**
 * @module renderer/features/calls/CallsScreen
 * The rail's "Calls" screen: every call with every friend, newest first, by day. A row shows
 * the friend, a direction icon (missed in red), "Video call · 3:21" and the time; a row is a
 * button that calls the friend back the same way (voice or video). Without any calls it
 * explains where calls come from and lists friends to call. Older calls load as the list
 * scrolls to its end. Opening the screen marks the missed calls seen (the rail badge).
 */
import { useEffect, useMemo, useRef } from 'react';
import type { ContactT } from '../../../src-preload/contract';
import '../../styles/calls.css';
import { addrKey, formatClock, formatFullDate } from '../../lib/format';
import { useNow } from '../../lib/hooks';
import { Avatar } from '../../ui/Avatar';
import { EmptyState } from '../../ui/EmptyState';
import { Spinner } from '../../ui/Spinner';
import { conversationList, useContactsStore } from '../contacts/contacts-store';
import { startCall } from './call-actions';
import { isMissed, isRunning, recordDetail } from './call-format';
import type { CallRow } from './call-history';
import { groupCalls } from './call-history';
import { useCallStore } from './call-store';
import { CallButtons } from './CallButtons';
import { IconPhone } from './call-icons';
import { CallRecordIcon } from './CallRecordBubble';
import { followHistory, loadHistory, loadMore, useHistoryStore } from './history-store';
import { markCallsSeen } from './missed-store';

export function CallsScreen() {
  const byKey = useContactsStore((s) => s.byKey);
  const entries = useHistoryStore((s) => s.entries);
  const status = useHistoryStore((s) => s.status);
  const more = useHistoryStore((s) => s.next !== null);
  const loadingMore = useHistoryStore((s) => s.loadingMore);
  const now = useNow();
  const friends = useMemo(() => conversationList(byKey), [byKey]);
  const scroller = useRef<HTMLDivElement>(null);
  const end = useRef<HTMLDivElement>(null);

  useEffect(() => {
    void markCallsSeen();
    const stop = followHistory();
    void loadHistory();
    return stop;
  }, []);
  // Read older pages while the end of the list is in view.
  useEffect(() => {
    const target = end.current;
    if (!target || !more || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver((seen) => {
      if (seen.some((e) => e.isIntersecting)) void loadMore();
    }, { root: scroller.current, rootMargin: '0px 0px 200px 0px' });
    io.observe(target);
    return () => io.disconnect();
  }, [more, loadingMore]);

  const days = useMemo(() => groupCalls(entries, now), [entries, now]);
  const loading = (status !== 'ready' && status !== 'error' && entries.length === 0);

  return (
    <div className="node-screen calls-screen" data-testid="calls-screen">
      <header className="screen-header">
        <h1 className="screen-title">Calls</h1>
        <p className="screen-sub">Voice and video calls with your friends, end-to-end encrypted.</p>
      </header>
      <div className="screen-scroll" ref={scroller}>
        <div className="screen-inner">
          {loading ? (
            <p className="node-loading muted">
              <Spinner size={16} /> Reading your call history…
            </p>
          ) : days.length === 0 ? (
            <NoCalls friends={friends} failed={status === 'error'} />
          ) : (
            <>
              {days.map((day) => (
                <section className="calls-day" key={day.key} aria-label={day.label}>
                  <h2 className="calls-day-label">{day.label}</h2>
                  <ul className="calls-list" data-testid="calls-list">
                    {day.rows.map((row) => (
                      <CallHistoryRow key={row.key} row={row} contact={byKey[addrKey(row.peer)] ?? null} />
                    ))}
                  </ul>
                </section>
              ))}
              {more && (
                <div ref={end} className="calls-more" data-testid="calls-more">
                  {loadingMore && (
                    <p className="node-loading muted">
                      <Spinner size={16} /> Reading older calls…
                    </p>
                  )}
                </div>
              )}
            </>
          )}
        </div>
      </div>
    </div>
  );
}

function CallHistoryRow({ row, contact }: { row: CallRow; contact: ContactT | null }) {
  const inCall = useCallStore((s) => isRunning(s.call));
  const name = contact?.name ?? row.peer;
  const canCall = contact?.state === 'friend' && !inCall;
  const missed = isMissed(row.record);
  const verb = row.record.video ? 'Video call' : 'Voice call';
  return (
    <li>
      <button
        type="button"
        className={`calls-row${missed ? ' is-missed' : ''}`}
        data-testid={`call-row-${row.peer}`}
        data-outcome={row.record.outcome}
        disabled={!canCall}
        title={canCall ? `${verb} ${name}` : contact?.state === 'friend' ? 'You are already in a call' : `${name} is not a friend`}
        onClick={() => void startCall(row.peer, row.record.video)}
      >
        <Avatar name={name} address={row.peer} size="md" />
        <span className="calls-row-main">
          <span className="calls-row-name">
            {name}
            {row.count > 1 && <span className="calls-row-count"> ({row.count})</span>}
          </span>
          <span className="calls-row-detail">
            <CallRecordIcon record={row.record} size={14} />
            {recordDetail(row.record)}
          </span>
        </span>
        <time className="calls-row-time" dateTime={new Date(row.at).toISOString()} title={formatFullDate(row.at)}>
          {formatClock(row.at)}
        </time>
      </button>
    </li>
  );
}

function NoCalls({ friends, failed }: { friends: ContactT[]; failed: boolean }) {
  const callable = friends.filter((f) => f.state === 'friend');
  return (
    <div data-testid="calls-empty">
      <EmptyState icon={<IconPhone size={28} />} title={failed ? 'Call history unavailable' : 'No calls yet'}>
        {failed
          ? 'Your call history could not be read just now. Calls you make still work.'
          : callable.length > 0
            ? 'Calls you make and receive show up here. Call a friend:'
            : 'Add a friend first; then call them from here or from your conversation.'}
      </EmptyState>
      {callable.length > 0 && (
        <ul className="calls-friends">
          {callable.map((f) => (
            <li className="calls-friend" key={f.address}>
              <Avatar name={f.name} address={f.address} size="sm" online={f.online} />
              <span className="calls-friend-name">{f.name}</span>
              <CallButtons contact={f} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
