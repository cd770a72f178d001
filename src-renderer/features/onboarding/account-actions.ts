/**
 * @module renderer/features/onboarding/account-actions
 * Account lifecycle calls (create, import, unlock, lock). Each returns the node's new
 * AppState, which is applied at once (the `app.state` event may follow; applying twice is
 * harmless) so the window switches screens without waiting.
 */
import { call } from '../../bridge';
import { normalizePhrase } from '../../lib/mnemonic';
import { applyAppState } from '../status/sync';
import { useOnboardingStore } from './onboarding-store';

export async function createAccount(mnemonic: string, password: string, name: string): Promise<void> {
  const state = await call('account.create', { mnemonic, password, name: name.trim() });
  useOnboardingStore.getState().reset();
  applyAppState(state);
}

export async function importMnemonic(mnemonic: string, password: string, name: string): Promise<void> {
  const state = await call('account.importMnemonic', { mnemonic: normalizePhrase(mnemonic), password, name: name.trim() });
  useOnboardingStore.getState().reset();
  applyAppState(state);
}

export async function importKeystore(keystore: string, keystorePassword: string, password: string, name: string): Promise<void> {
  const state = await call('account.importKeystore', { keystore, keystorePassword, password, name: name.trim() });
  useOnboardingStore.getState().reset();
  applyAppState(state);
}

export async function unlock(password: string): Promise<void> {
  applyAppState(await call('account.unlock', { password }));
}

export async function lock(): Promise<void> {
  applyAppState(await call('account.lock', {}));
}
