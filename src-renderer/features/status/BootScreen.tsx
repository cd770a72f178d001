/**
 * @module renderer/features/status/BootScreen
 * What the window shows before the node has told us who we are: a calm loading state
 * (with a hint if connecting takes long) or a fatal error with a retry.
 */
import { useEffect, useState } from 'react';
import { Button } from '../../ui/Button';
import { IconWarning } from '../../ui/Icons';
import { Spinner } from '../../ui/Spinner';
import { Logo } from '../../ui/Logo';
import { useAppStore } from './app-store';
import { retryBoot } from './sync';

const SLOW_MS = 5000;

export function BootScreen() {
  const boot = useAppStore((s) => s.boot);
  const connection = useAppStore((s) => s.connection);
  const [slow, setSlow] = useState(false);

  useEffect(() => {
    if (boot.kind !== 'loading') return;
    const t = window.setTimeout(() => setSlow(true), SLOW_MS);
    return () => window.clearTimeout(t);
  }, [boot.kind]);

  if (boot.kind === 'error') {
    return (
      <main className="boot" data-testid="boot-error">
        <div className="boot-card">
          <span className="boot-icon boot-icon-error">
            <IconWarning size={28} />
          </span>
          <h1 className="boot-title">BitUnicom can’t start</h1>
          <p className="boot-text">{boot.message}</p>
          <Button variant="primary" onClick={retryBoot} data-testid="boot-retry">
            Try again
          </Button>
        </div>
      </main>
    );
  }

  return (
    <main className="boot" aria-busy="true" data-testid="boot-loading">
      <div className="boot-card">
        <Logo size={56} />
        <div className="boot-status">
          <Spinner size={18} />
          <span>{connection === 'open' ? 'Starting BitUnicom…' : 'Connecting to your BitUnicom node…'}</span>
        </div>
        {slow && (
          <p className="boot-hint">
            {connection === 'open'
              ? 'This is taking longer than usual.'
              : (
                <>
                  Still trying. Make sure the BitUnicom node is running; if this page came from <code>bitunicom serve</code>, open the link it
                  printed again.
                </>
              )}
          </p>
        )}
      </div>
    </main>
  );
}
