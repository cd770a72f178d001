/**
 * @module renderer/features/status/ConnectionBanner
 * Shown above everything while the web bridge is down after having been up: the UI keeps
 * what it has, calls wait in the client's queue, and the data is reloaded on reconnect.
 */
import { Spinner } from '../../ui/Spinner';
import { useAppStore } from './app-store';

export function ConnectionBanner() {
  const connection = useAppStore((s) => s.connection);
  const wasOpen = useAppStore((s) => s.wasOpen);
  if (connection === 'open' || !wasOpen) return null;
  return (
    <div className="connection-banner" role="status" data-testid="connection-banner">
      <Spinner size={14} />
      <span>Connection to the BitUnicom node lost. Reconnecting…</span>
    </div>
  );
}
