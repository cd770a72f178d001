/**
 * @module renderer/features/contacts/RequestsSection
 * Friend requests: incoming ones with Accept / Decline, outgoing ones waiting for the
 * other side. Each row also opens the conversation pane for that contact.
 */
import { useState } from 'react';
import type { ContactT } from '../../../src-preload/contract';
import { Avatar } from '../../ui/Avatar';
import { Button } from '../../ui/Button';
import { toast } from '../../ui/toast-store';
import { acceptRequest, declineRequest } from './contact-actions';

type Props = { incoming: ContactT[]; outgoing: ContactT[]; selected: string | null; onSelect(address: string): void };

function IncomingRow({ contact, selected, onSelect }: { contact: ContactT; selected: boolean; onSelect(a: string): void }) {
  const [busy, setBusy] = useState<'accept' | 'decline' | null>(null);
  const run = async (kind: 'accept' | 'decline') => {
    setBusy(kind);
    try {
      await (kind === 'accept' ? acceptRequest(contact.address) : declineRequest(contact.address));
    } catch (e) {
      toast.error(e);
      setBusy(null);
    }
  };
  return (
    <li className={`request${selected ? ' is-selected' : ''}`} data-testid={`request-${contact.address}`}>
      <button type="button" className="request-who" onClick={() => onSelect(contact.address)} aria-current={selected ? 'true' : undefined}>
        <Avatar name={contact.name} address={contact.address} size="sm" />
        <span className="request-text">
          <span className="request-name">{contact.name}</span>
          <span className="request-sub">wants to be your friend</span>
        </span>
      </button>
      <div className="request-actions">
        <Button size="sm" variant="primary" busy={busy === 'accept'} disabled={busy !== null} onClick={() => run('accept')} data-testid={`accept-${contact.address}`}>
          Accept
        </Button>
        <Button size="sm" variant="ghost" busy={busy === 'decline'} disabled={busy !== null} onClick={() => run('decline')} data-testid={`decline-${contact.address}`}>
          Decline
        </Button>
      </div>
    </li>
  );
}

export function RequestsSection({ incoming, outgoing, selected, onSelect }: Props) {
  if (incoming.length === 0 && outgoing.length === 0) return null;
  const isSel = (c: ContactT) => !!selected && selected.toLowerCase() === c.address.toLowerCase();
  return (
    <section className="sidebar-section" aria-labelledby="requests-heading" data-testid="requests">
      <h3 id="requests-heading" className="sidebar-heading">
        Requests <span className="count">{incoming.length + outgoing.length}</span>
      </h3>
      <ul className="request-list">
        {incoming.map((c) => (
          <IncomingRow key={c.address} contact={c} selected={isSel(c)} onSelect={onSelect} />
        ))}
        {outgoing.map((c) => (
          <li key={c.address} className={`request request-out${isSel(c) ? ' is-selected' : ''}`} data-testid={`outgoing-${c.address}`}>
            <button type="button" className="request-who" onClick={() => onSelect(c.address)} aria-current={isSel(c) ? 'true' : undefined}>
              <Avatar name={c.name} address={c.address} size="sm" />
              <span className="request-text">
                <span className="request-name">{c.name}</span>
                <span className="request-sub">Waiting for {c.name} to accept</span>
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
