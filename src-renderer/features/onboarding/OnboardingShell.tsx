/**
 * @module renderer/features/onboarding/OnboardingShell
 * The centred card every onboarding and unlock screen sits in: logo, optional back
 * button and step counter, title, lead text.
 */
import type { ReactNode } from 'react';
import { IconButton } from '../../ui/Button';
import { IconArrowLeft } from '../../ui/Icons';
import { Logo } from '../../ui/Logo';

type Props = {
  title: string;
  lead?: ReactNode;
  step?: { index: number; total: number };
  onBack?: () => void;
  wide?: boolean;
  children: ReactNode;
  testId?: string;
};

export function OnboardingShell({ title, lead, step, onBack, wide, children, testId }: Props) {
  return (
    <main className="onboarding">
      <section className={`onboarding-card${wide ? ' onboarding-card-wide' : ''}`} data-testid={testId} aria-labelledby="onboarding-title">
        <div className="onboarding-top">
          {onBack ? (
            <IconButton label="Back" onClick={onBack} data-testid="onboarding-back">
              <IconArrowLeft size={20} />
            </IconButton>
          ) : (
            <span className="onboarding-top-spacer" />
          )}
          <Logo size={36} />
          {step ? (
            <span className="onboarding-step" aria-label={`Step ${step.index} of ${step.total}`}>
              {step.index}/{step.total}
            </span>
          ) : (
            <span className="onboarding-top-spacer" />
          )}
        </div>
        <h1 id="onboarding-title" className="onboarding-title">
          {title}
        </h1>
        {lead && <p className="onboarding-lead">{lead}</p>}
        {children}
      </section>
    </main>
  );
}
