/**
 * @module renderer/features/dapps/ClearFrames
 * After an uninstall, `<origin>/__bitunicom/clear` is loaded once in a hidden frame: the
 * dapp server answers it with `Clear-Site-Data: "cache", "cookies", "storage"`, so the
 * storage the dapp kept under its own origin (in this window's storage partition, the same
 * one its frame used) is gone. The frame is sandboxed without scripts (`allow-same-origin`
 * only: the response needs its origin, nothing needs to run) and removed once loaded.
 */
import { useEffect } from 'react';
import { clearedOrigin, useDappsView } from './dapps-view';

const GIVE_UP_MS = 15_000;

export const CLEAR_PATH = '/__bitunicom/clear';

export function ClearFrame({ origin }: { origin: string }) {
  useEffect(() => {
    const t = window.setTimeout(() => clearedOrigin(origin), GIVE_UP_MS);
    return () => window.clearTimeout(t);
  }, [origin]);
  return (
    <iframe
      className="dapp-clear-frame"
      src={`${origin}${CLEAR_PATH}`}
      sandbox="allow-same-origin"
      allow=""
      referrerPolicy="no-referrer"
      title="Removing dapp data"
      aria-hidden="true"
      tabIndex={-1}
      hidden
      data-testid="dapp-clear-frame"
      data-origin={origin}
      onLoad={() => clearedOrigin(origin)}
    />
  );
}

export function ClearFrames() {
  const clearing = useDappsView((s) => s.clearing);
  return (
    <>
      {clearing.map((o) => (
        <ClearFrame key={o} origin={o} />
      ))}
    </>
  );
}
