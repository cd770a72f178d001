/**
 * @module renderer/features/onboarding/Onboarding
 * The "no account" phase: routes between the wizard's steps.
 */
import { ConfirmPhraseStep } from './ConfirmPhraseStep';
import { CreateProfileStep } from './CreateProfileStep';
import { ImportKeystore } from './ImportKeystore';
import { ImportPhrase } from './ImportPhrase';
import { useOnboardingStore } from './onboarding-store';
import { PhraseStep } from './PhraseStep';
import { Welcome } from './Welcome';

export function Onboarding() {
  const step = useOnboardingStore((s) => s.step);
  const hasPhrase = useOnboardingStore((s) => s.mnemonic !== null);
  switch (step) {
    case 'create-profile':
      return <CreateProfileStep />;
    case 'create-phrase':
      return hasPhrase ? <PhraseStep /> : <CreateProfileStep />;
    case 'create-confirm':
      return hasPhrase ? <ConfirmPhraseStep /> : <CreateProfileStep />;
    case 'import-phrase':
      return <ImportPhrase />;
    case 'import-keystore':
      return <ImportKeystore />;
    default:
      return <Welcome />;
  }
}
