/**
 * @module renderer/features/onboarding/onboarding-store
 * The onboarding wizard: which step is showing and the draft it carries between steps
 * (profile name, the new password, the generated phrase and the positions to confirm).
 * Secrets live only here, in memory, and `reset()` drops them once the account exists or
 * the user backs out.
 */
import { create } from 'zustand';
import { newMnemonic, pickPositions } from '../../lib/mnemonic';

export type Step = 'welcome' | 'create-profile' | 'create-phrase' | 'create-confirm' | 'import-phrase' | 'import-keystore';

export const CONFIRM_COUNT = 3;

type OnboardingStore = {
  step: Step;
  name: string;
  password: string;
  mnemonic: string | null;
  positions: number[];
  go(step: Step): void;
  setProfile(name: string, password: string): void;
  /** Phrase shown → confirmation: picks fresh positions each time. */
  startConfirm(): void;
  reset(): void;
};

const INITIAL = { step: 'welcome' as Step, name: '', password: '', mnemonic: null, positions: [] };

export const useOnboardingStore = create<OnboardingStore>()((set, get) => ({
  ...INITIAL,
  go: (step) => set({ step }),
  setProfile: (name, password) => set({ name, password, mnemonic: get().mnemonic ?? newMnemonic(), step: 'create-phrase' }),
  startConfirm: () => {
    const words = get().mnemonic?.split(' ').length ?? 12;
    set({ positions: pickPositions(CONFIRM_COUNT, words), step: 'create-confirm' });
  },
  reset: () => set({ ...INITIAL }),
}));
