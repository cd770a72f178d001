/**
 * @module renderer/features/contacts/InviteTab
 * "Your invite": the signed invite link from `contacts.invite`, to copy or scan.
 */
import { useEffect, useState } from 'react';
import { errorText } from '../../lib/errors';
import { Button } from '../../ui/Button';
import { CopyButton } from '../../ui/CopyButton';
import { QrCode } from '../../ui/QrCode';
import { Spinner } from '../../ui/Spinner';
import { fetchInvite } from './contact-actions';

type State = { kind: 'loading' } | { kind: 'ready'; link: string } | { kind: 'error'; text: string };

export function InviteTab() {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    fetchInvite().then(
      (link) => live && setState({ kind: 'ready', link }),
      (e: unknown) => live && setState({ kind: 'error', text: errorText(e) }),
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  if (state.kind === 'loading') {
    return (
      <div className="invite-loading">
        <Spinner size={20} label="Creating your invite link" />
      </div>
    );
  }
  if (state.kind === 'error') {
    return (
      <div className="invite-error">
        <p className="form-error" role="alert">
          {state.text}
        </p>
        <Button
          onClick={() => {
            setState({ kind: 'loading' });
            setAttempt((a) => a + 1);
          }}
        >
          Try again
        </Button>
      </div>
    );
  }
  return (
    <div className="invite">
      <p className="muted">Send this link to a friend over a channel you trust, or let them scan the code. When they add it, you’ll see their request.</p>
      <div className="invite-qr-wrap">
        <QrCode value={state.link} label="QR code of your invite link" testId="invite-qr" />
      </div>
      <div className="invite-link-box">
        <code className="invite-link" data-testid="invite-link">
          {state.link}
        </code>
        <CopyButton value={state.link} label="Copy invite link" text="Copy link" testId="copy-invite" />
      </div>
    </div>
  );
}
