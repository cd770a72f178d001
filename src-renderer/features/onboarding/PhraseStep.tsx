/**
 * @module renderer/features/onboarding/PhraseStep
 * Create, step 2 of 3: the recovery phrase, shown once in a numbered grid. The user must
 * tick "I wrote it down" before continuing; the next step checks three words.
 */
import { useState } from 'react';
import { Button } from '../../ui/Button';
import { IconWarning } from '../../ui/Icons';
import { OnboardingShell } from './OnboardingShell';
import { useOnboardingStore } from './onboarding-store';

export function PhraseStep() {
  const mnemonic = useOnboardingStore((s) => s.mnemonic) ?? '';
  const go = useOnboardingStore((s) => s.go);
  const startConfirm = useOnboardingStore((s) => s.startConfirm);
  const [written, setWritten] = useState(false);
  const words = mnemonic.split(' ').filter(Boolean);

  return (
    <OnboardingShell
      title="Your recovery phrase"
      lead="These 12 words are your account. Write them down on paper, in order, and keep them somewhere safe. Anyone with these words can read your messages."
      step={{ index: 2, total: 3 }}
      onBack={() => go('create-profile')}
      wide
      testId="onboarding-phrase"
    >
      <ol className="phrase-grid" aria-label="Recovery phrase" data-testid="mnemonic-grid">
        {words.map((word, i) => (
          <li key={i} className="phrase-word">
            <span className="phrase-index" aria-hidden="true">
              {i + 1}
            </span>
            <span className="phrase-text" data-testid={`mnemonic-word-${i + 1}`}>
              {word}
            </span>
          </li>
        ))}
      </ol>
      <div className="callout callout-warning">
        <IconWarning size={18} />
        <span>Never share it and never type it into a website. BitUnicom will never ask for it again except to restore your account.</span>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={written} onChange={(e) => setWritten(e.target.checked)} data-testid="mnemonic-written" />
        <span>I wrote down these 12 words in order</span>
      </label>
      <Button variant="primary" size="lg" block disabled={!written} onClick={startConfirm} data-testid="mnemonic-continue">
        Continue
      </Button>
    </OnboardingShell>
  );
}
