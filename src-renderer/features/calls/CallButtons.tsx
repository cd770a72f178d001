/**
 * @module renderer/features/calls/CallButtons
 * Voice and video call buttons for the conversation header. Disabled, with the reason as
 * the tooltip, when the contact is not a friend or a call is already running.
 */
import type { ContactT } from '../../../src-preload/contract';
import { IconButton } from '../../ui/Button';
import { startCall } from './call-actions';
import { callBlocker, isRunning } from './call-format';
import { useCallStore } from './call-store';
import { IconPhone, IconVideo } from './call-icons';

export function CallButtons({ contact }: { contact: ContactT }) {
  const inCall = useCallStore((s) => isRunning(s.call));
  const blocker = callBlocker(contact, inCall);
  return (
    <div className="call-buttons">
      <span title={blocker ?? undefined}>
        <IconButton label={blocker ?? `Voice call ${contact.name}`} disabled={blocker !== null} data-testid="call-start-voice" onClick={() => void startCall(contact.address, false)}>
          <IconPhone size={20} />
        </IconButton>
      </span>
      <span title={blocker ?? undefined}>
        <IconButton label={blocker ?? `Video call ${contact.name}`} disabled={blocker !== null} data-testid="call-start-video" onClick={() => void startCall(contact.address, true)}>
          <IconVideo size={20} />
        </IconButton>
      </span>
    </div>
  );
}
