/**
 * @module renderer/layout/use-unread-title
 * Puts the total unread count in the window title ("(3) BitUnicom"), which Electron and
 * browsers show in the taskbar / tab.
 */
import { useEffect } from 'react';
import { unreadTotal, useContactsStore } from '../features/contacts/contacts-store';

const TITLE = 'BitUnicom';

export function useUnreadTitle(): void {
  const unread = useContactsStore((s) => unreadTotal(s.byKey));
  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) ${TITLE}` : TITLE;
    return () => {
      document.title = TITLE;
    };
  }, [unread]);
}
