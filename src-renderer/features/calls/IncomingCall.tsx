/**
 * @module renderer/features/calls/IncomingCall
 * The full-window screen for a call that rings us, above everything (a modal dialog):
 * caller avatar and name, "Voice call" / "Video call", Accept (voice), Accept with video and
 * Decline. Enter accepts (voice), Escape declines; Accept has the first focus.
 */
import { useState } from 'react';
import type { ReactNode } from 'react';
import type { CallT } from '../../../src-preload/contract';
import { shortAddress } from '../../lib/format';
import { Avatar } from '../../ui/Avatar';
import { answerCall, declineCall } from './call-actions';
import { kindWord } from './call-format';
import { IconHangUp, IconPhone, IconVideo } from './call-icons';
import { useModal } from '../../ui/use-modal';

export function IncomingCall({ call }: { call: CallT }) {
  const [busy, setBusy] = useState<'accept' | 'video' | 'decline' | null>(null);
  const run = (what: 'accept' | 'video' | 'decline') => {
    if (busy) return;
    setBusy(what);
    const done = () => setBusy(null);
    const p = what === 'decline' ? declineCall() : answerCall(what === 'video');
    void p.finally(done);
  };
  const ref = useModal(() => run('decline'));
  return (
    <dialog
      ref={ref}
      className="call-incoming"
      data-testid="incoming-call"
      data-video={call.video}
      aria-labelledby="call-incoming-name"
      aria-describedby="call-incoming-kind"
      onKeyDown={(e) => {
        // Enter on a focused button presses that button; anywhere else it accepts.
        if (e.key === 'Enter' && !(e.target instanceof HTMLButtonElement)) {
          e.preventDefault();
          run('accept');
        }
      }}
    >
      <div className="call-incoming-card">
        <div className="call-ring-avatar">
          <Avatar name={call.peerName} address={call.peer} size="xl" />
        </div>
        <h2 id="call-incoming-name" className="call-incoming-name">
          {call.peerName}
        </h2>
        <p className="call-incoming-address mono" title={call.peer}>
          {shortAddress(call.peer)}
        </p>
        <p id="call-incoming-kind" className="call-incoming-kind" data-testid="call-state">
          {`Incoming ${kindWord(call.video).toLowerCase()}`}
        </p>
        <div className="call-incoming-actions">
          <CircleButton label="Decline" tone="danger" testId="call-decline" busy={busy === 'decline'} onClick={() => run('decline')}>
            <IconHangUp size={26} />
          </CircleButton>
          <CircleButton label="Accept with video" tone="accept" testId="call-accept-video" busy={busy === 'video'} onClick={() => run('video')}>
            <IconVideo size={26} />
          </CircleButton>
          <CircleButton label="Accept" tone="accept" testId="call-accept" autoFocus busy={busy === 'accept'} onClick={() => run('accept')}>
            <IconPhone size={26} />
          </CircleButton>
        </div>
        <p className="call-incoming-hint">
          <kbd>Enter</kbd> accept · <kbd>Esc</kbd> decline
        </p>
      </div>
    </dialog>
  );
}

type CircleProps = {
  label: string;
  tone: 'accept' | 'danger';
  testId: string;
  busy: boolean;
  autoFocus?: boolean;
  onClick(): void;
  children: ReactNode;
};

function CircleButton({ label, tone, testId, busy, autoFocus, onClick, children }: CircleProps) {
  return (
    <div className="call-circle-wrap">
      <button
        type="button"
        className={`call-circle call-circle-${tone}`}
        aria-label={label}
        title={label}
        data-testid={testId}
        data-autofocus={autoFocus || undefined}
        aria-busy={busy || undefined}
        onClick={onClick}
      >
        {children}
      </button>
      <span className="call-circle-label" aria-hidden="true">
        {label}
      </span>
    </div>
  );
}
