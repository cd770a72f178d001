/**
 * @module renderer/features/settings/BlockedSection
 * Blocked contacts, each with an Unblock action (confirmed).
 */
import { useMemo, useState } from 'react';
import type { ContactT } from '../../../src-preload/contract';
import { shortAddress } from '../../lib/format';
import { Avatar } from '../../ui/Avatar';
import { Button } from '../../ui/Button';
import { BlockDialog } from '../contacts/BlockDialog';
import { blockedContacts, useContactsStore } from '../contacts/contacts-store';

export function BlockedSection() {
  const byKey = useContactsStore((s) => s.byKey);
  const blocked = useMemo(() => blockedContacts(byKey), [byKey]);
  const [confirming, setConfirming] = useState<ContactT | null>(null);
  return (
    <section className="settings-section" aria-labelledby="settings-blocked" data-testid="blocked-list">
      <h3 id="settings-blocked">Blocked contacts</h3>
      {blocked.length === 0 ? (
        <p className="muted">You haven’t blocked anyone.</p>
      ) : (
        <ul className="blocked-list">
          {blocked.map((c) => (
            <li key={c.address} className="blocked-row" data-testid={`blocked-${c.address}`}>
              <Avatar name={c.name} address={c.address} size="sm" />
              <div className="blocked-main">
                <div className="blocked-name">{c.name}</div>
                <div className="muted mono" title={c.address}>
                  {shortAddress(c.address)}
                </div>
              </div>
              <Button size="sm" onClick={() => setConfirming(c)} data-testid={`unblock-${c.address}`}>
                Unblock
              </Button>
            </li>
          ))}
        </ul>
      )}
      {confirming && <BlockDialog contact={confirming} unblock onClose={() => setConfirming(null)} />}
    </section>
  );
}
