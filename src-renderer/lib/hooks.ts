/**
 * @module renderer/lib/hooks
 * Small shared hooks. `useWindowActive` is true while the page is visible and focused
 * (read receipts and unread counts depend on it); `useNow` re-renders periodically so
 * relative times ("5 min ago", "Today") stay right.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';

function subscribeActive(cb: () => void): () => void {
  window.addEventListener('focus', cb);
  window.addEventListener('blur', cb);
  document.addEventListener('visibilitychange', cb);
  return () => {
    window.removeEventListener('focus', cb);
    window.removeEventListener('blur', cb);
    document.removeEventListener('visibilitychange', cb);
  };
}

function activeSnapshot(): boolean {
  return document.visibilityState === 'visible' && document.hasFocus();
}

export function useWindowActive(): boolean {
  return useSyncExternalStore(subscribeActive, activeSnapshot, () => false);
}

export function useNow(intervalMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(t);
  }, [intervalMs]);
  return now;
}
