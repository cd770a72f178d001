/**
 * @module renderer/App
 * Top-level switch on the app phase: boot (waiting for the node), onboarding (no
 * account), unlock (locked), main layout (unlocked). The connection banner and toasts sit
 * above every screen.
 */
import { useEffect } from 'react';
import { Onboarding } from './features/onboarding/Onboarding';
import { UnlockScreen } from './features/onboarding/UnlockScreen';
import { useAppStore } from './features/status/app-store';
import { BootScreen } from './features/status/BootScreen';
import { ConnectionBanner } from './features/status/ConnectionBanner';
import { startSync } from './features/status/sync';
import { startActivityReporter } from './features/node/activity';
import { MainLayout } from './layout/MainLayout';
import { Toasts } from './ui/Toasts';

function Screen() {
  const app = useAppStore((s) => s.app);
  const boot = useAppStore((s) => s.boot);
  if (!app || boot.kind === 'error') return <BootScreen />;
  switch (app.phase) {
    case 'no-account':
      return <Onboarding />;
    case 'locked':
      return <UnlockScreen />;
    case 'unlocked':
      return <MainLayout />;
  }
}

export function App() {
  useEffect(() => startSync(), []);
  useEffect(() => startActivityReporter(), []);
  return (
    <div className="app">
      <ConnectionBanner />
      <div className="app-body">
        <Screen />
      </div>
      <Toasts />
    </div>
  );
}
