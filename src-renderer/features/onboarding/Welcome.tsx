/**
 * @module renderer/features/onboarding/Welcome
 * First screen on a fresh profile: create an account or restore an existing one.
 */
import { Button } from '../../ui/Button';
import { IconFile, IconKey, IconShield } from '../../ui/Icons';
import { OnboardingShell } from './OnboardingShell';
import { useOnboardingStore } from './onboarding-store';

export function Welcome() {
  const go = useOnboardingStore((s) => s.go);
  return (
    <OnboardingShell
      title="Welcome to BitUnicom"
      lead="Private messages, straight from your device to your friends’. No phone number, no server that can read them."
      testId="onboarding-welcome"
    >
      <ul className="feature-list">
        <li>
          <IconShield size={18} /> End-to-end encrypted and signed with your own key
        </li>
        <li>
          <IconKey size={18} /> Your account is a 12-word recovery phrase only you hold
        </li>
      </ul>
      <div className="stack">
        <Button variant="primary" size="lg" block onClick={() => go('create-profile')} data-testid="onboarding-create" autoFocus>
          Create a new account
        </Button>
        <div className="divider-text">
          <span>Already have an account?</span>
        </div>
        <Button size="lg" block icon={<IconKey size={18} />} onClick={() => go('import-phrase')} data-testid="onboarding-import-phrase">
          Restore with recovery phrase
        </Button>
        <Button size="lg" block icon={<IconFile size={18} />} onClick={() => go('import-keystore')} data-testid="onboarding-import-keystore">
          Import a keystore file
        </Button>
      </div>
    </OnboardingShell>
  );
}
