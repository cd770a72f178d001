/**
 * @module renderer/features/status/sync
 * Keeps the stores in step with the node. Subscribes once to every bridge event and merges
 * each payload into its slice (no refetch). Full loads happen only when they must: at
 * start, when the account becomes unlocked, and after the web bridge reconnects (events
 * may have been missed while it was down). Leaving the unlocked phase drops all account
 * data from memory.
 */
import type { AppStateT, ContactT } from '../../../src-preload/contract';
import { call, getTransport, subscribe } from '../../bridge';
import { bumpEpoch, currentEpoch } from '../../lib/epoch';
import { errorCode, errorText } from '../../lib/errors';
import { toast } from '../../ui/toast-store';
import { loadThread } from '../chat/chat-actions';
import { useChatStore } from '../chat/chat-store';
import { useDialogStore } from '../../layout/dialog-store';
import { useContactsStore } from '../contacts/contacts-store';
import { useOnboardingStore } from '../onboarding/onboarding-store';
import { useAppStore } from './app-store';
import { useNodeStore } from './node-store';

/** Apply a new AppState (from an event or a method result) and load/drop data on phase changes. */
export function applyAppState(next: AppStateT): void {
  const prev = useAppStore.getState().app;
  useAppStore.getState().setApp(next);
  const wasUnlocked = prev?.phase === 'unlocked';
  if (next.phase === 'unlocked' && !wasUnlocked) void loadAccountData();
  if (next.phase !== 'unlocked' && (wasUnlocked || prev === null)) dropAccountData();
  // An account now exists (perhaps created elsewhere): forget any half-finished wizard and its secrets.
  if (next.phase !== 'no-account' && useOnboardingStore.getState().step !== 'welcome') useOnboardingStore.getState().reset();
}

function dropAccountData(): void {
  bumpEpoch();
  useContactsStore.getState().reset();
  useChatStore.getState().reset();
  useNodeStore.getState().reset();
  useDialogStore.getState().close();
}

function mergeContacts(...lists: ContactT[][]): ContactT[] {
  const map = new Map<string, ContactT>();
  for (const list of lists) for (const c of list) map.set(c.address.toLowerCase(), c);
  return [...map.values()];
}

/** Contacts, requests, node status and the open conversation. */
export async function loadAccountData(): Promise<void> {
  const epoch = currentEpoch();
  const contacts = useContactsStore.getState();
  if (contacts.status !== 'ready') contacts.setStatus('loading');
  try {
    const [list, requests] = await Promise.all([call('contacts.list', {}), call('contacts.requests', {})]);
    if (epoch !== currentEpoch()) return;
    useContactsStore.getState().setAll(mergeContacts(list, requests));
  } catch (error) {
    if (epoch !== currentEpoch()) return;
    if (useContactsStore.getState().status !== 'ready') useContactsStore.getState().setStatus('error');
    toast.error(error);
  }
  call('node.status', {})
    .then((s) => epoch === currentEpoch() && useNodeStore.getState().setStatus(s))
    .catch(() => {
      // The status view shows "unavailable"; nothing the user must act on.
    });
  const selected = useChatStore.getState().selected;
  if (selected) void loadThread(selected);
}

const BOOT_RETRY_MS = 1000;
const MAX_BOOT_RETRIES = 15;
let bootRetries = 0;

/**
 * Ask the node who we are; used at start and after reconnecting. `reconnected` forces a
 * reload of account data even when the phase did not change (events may have been missed).
 */
export async function refreshAppState(reconnected = false): Promise<void> {
  try {
    const state = await call('app.getState', {});
    const prev = useAppStore.getState().app;
    applyAppState(state);
    if (reconnected && prev?.phase === 'unlocked' && state.phase === 'unlocked') void loadAccountData();
  } catch (error) {
    const code = errorCode(error);
    const transient = code === 'NETWORK' || code === 'NOT_RUNNING';
    // While the socket is (re)connecting the banner already explains; wait for 'open'.
    if (transient && useAppStore.getState().connection !== 'open') return;
    // The node may still be starting (Electron answers NOT_RUNNING until it is): retry quietly.
    if (transient && useAppStore.getState().app === null && bootRetries < MAX_BOOT_RETRIES) {
      bootRetries += 1;
      setTimeout(() => void refreshAppState(reconnected), BOOT_RETRY_MS);
      return;
    }
    if (useAppStore.getState().app === null) {
      useAppStore.getState().setBoot({ kind: 'error', message: errorText(error) });
    } else {
      toast.error(error);
    }
  }
}

/** Tell the user about changes they did not cause themselves (their own actions toast already). */
function announceContactChange(before: ContactT['state'] | null, c: ContactT): void {
  if (c.state === before) return;
  if (c.state === 'pending_in' && before === null) toast.info(`${c.name} sent you a friend request`);
  else if (c.state === 'friend' && before === 'pending_out') toast.success(`${c.name} accepted your friend request`);
}

let stop: (() => void) | null = null;

/** Start syncing (idempotent). Returns a function that stops it. */
export function startSync(): () => void {
  if (stop) return stop;
  try {
    getTransport();
  } catch (error) {
    useAppStore.getState().setBoot({ kind: 'error', message: errorText(error) });
    return () => {};
  }
  const offs = [
    subscribe('app.state', (s) => applyAppState(s)),
    subscribe('contact.updated', (c) => {
      const before = useContactsStore.getState().byKey[c.address.toLowerCase()];
      useContactsStore.getState().upsert(c);
      announceContactChange(before?.state ?? null, c);
    }),
    subscribe('message.added', (m) => {
      useChatStore.getState().merge(m);
      useContactsStore.getState().noteMessage(m);
    }),
    subscribe('message.updated', (m) => useChatStore.getState().merge(m)),
    subscribe('node.status', (s) => useNodeStore.getState().setStatus(s)),
  ];
  let kicked = false;
  offs.push(
    getTransport().onConnection((state) => {
      const { connection: before, wasOpen } = useAppStore.getState();
      useAppStore.getState().setConnection(state);
      if (state === 'open' && before !== 'open') {
        kicked = true;
        void refreshAppState(wasOpen);
      }
    }),
  );
  // Transports that queue calls until open answer this at once; others fail transiently
  // and the 'open' callback above asks again.
  if (!kicked) void refreshAppState(false);
  stop = () => {
    for (const off of offs) off();
    stop = null;
  };
  return stop;
}

/** "Try again" on the boot error screen: start syncing if that failed, else ask again. */
export function retryBoot(): void {
  bootRetries = 0;
  useAppStore.getState().setBoot({ kind: 'loading' });
  if (stop) void refreshAppState();
  else startSync();
}
