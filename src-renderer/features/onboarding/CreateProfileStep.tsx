/**
 * @module renderer/features/onboarding/CreateProfileStep
 * Create, step 1 of 3: display name and password. Nothing is sent to the node yet.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Button } from '../../ui/Button';
import { OnboardingShell } from './OnboardingShell';
import { useOnboardingStore } from './onboarding-store';
import { ProfileFields, validateProfile } from './ProfileFields';
import type { ProfileErrors, ProfileValues } from './ProfileFields';

export function CreateProfileStep() {
  const store = useOnboardingStore();
  const [values, setValues] = useState<ProfileValues>({ name: store.name, password: store.password, confirm: store.password });
  const [submitted, setSubmitted] = useState(false);
  const errors: ProfileErrors = submitted ? validateProfile(values) : {};

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (Object.keys(validateProfile(values)).length > 0) return;
    store.setProfile(values.name.trim(), values.password);
  };

  return (
    <OnboardingShell
      title="Create your account"
      lead="Choose how you appear to friends and a password for this device."
      step={{ index: 1, total: 3 }}
      onBack={() => store.reset()}
      testId="onboarding-profile"
    >
      <form className="form" onSubmit={submit} noValidate>
        <ProfileFields values={values} errors={errors} onChange={setValues} autoFocusName />
        <Button type="submit" variant="primary" size="lg" block data-testid="profile-continue">
          Continue
        </Button>
      </form>
    </OnboardingShell>
  );
}
