/**
 * @module renderer/features/settings/SettingsPanel
 * Settings dialog: profile, security (export keystore, lock), blocked contacts, connected
 * dapps (accounts, permissions, channel friends; revoke), a way to the Node screen
 * (network status lives there) and version information.
 */
import { showView } from '../../layout/nav-store';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { IconNode } from '../../ui/Icons';
import { useAppStore } from '../status/app-store';
import { useNodeStore } from '../status/node-store';
import { BlockedSection } from './BlockedSection';
import { ConnectedDappsSection } from './ConnectedDappsSection';
import { ProfileSection } from './ProfileSection';
import { SecuritySection } from './SecuritySection';

export function SettingsPanel({ onClose }: { onClose(): void }) {
  const app = useAppStore((s) => s.app);
  const nodeVersion = useNodeStore((s) => s.status?.version);
  return (
    <Dialog title="Settings" onClose={onClose} size="lg" testId="settings-panel">
      <ProfileSection />
      <SecuritySection onLocked={onClose} />
      <BlockedSection />
      <ConnectedDappsSection />
      <section className="settings-section" aria-labelledby="settings-network">
        <h3 id="settings-network">Network</h3>
        <div className="settings-row">
          <p className="muted">The local network, the RPC endpoint for wallets and tools, and how your node reaches friends are on the Node screen.</p>
          <Button
            icon={<IconNode size={18} />}
            onClick={() => {
              onClose();
              showView('node');
            }}
            data-testid="open-node-screen"
          >
            Open Node
          </Button>
        </div>
      </section>
      <section className="settings-section" aria-labelledby="settings-about">
        <h3 id="settings-about">About</h3>
        <dl className="kv">
          <dt>Version</dt>
          <dd data-testid="app-version">BitUnicom {app?.version ?? nodeVersion ?? 'unknown'}</dd>
          {app?.dataDir && (
            <>
              <dt>Profile folder</dt>
              <dd className="mono break">{app.dataDir}</dd>
            </>
          )}
        </dl>
      </section>
    </Dialog>
  );
}
