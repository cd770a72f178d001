/**
 * @module renderer/features/dapps/pending-store
 * Provider requests waiting for the user (`PendingRequest`), oldest first; the confirm
 * dialog shows the head of the queue. They arrive three ways — as the `pending` answer to a
 * frame's `dapps.providerRequest` (then a waiter is registered so the decision's result goes
 * back to that frame's port), as `dapps.pending` events, and from `dapps.pending` (the list,
 * read again after a reload or reconnect) — and are merged by id.
 *
 * `decide` sends `dapps.providerDecide` (only the host UI can approve; EIP-1193 says a
 * rejection reaches the dapp as 4001). If the call fails, the list is read again: a request
 * the node no longer holds is removed and its waiter gets the error; one still held stays so
 * the user can try again or reject it.
 */
import { create } from 'zustand';
import type { PendingRequestT } from '../../../src-preload/contract';
import { call, getTransport, subscribe } from '../../bridge';
import { currentEpoch } from '../../lib/epoch';
import { UiError } from '../../lib/errors';

type Waiter = { resolve(result: unknown): void; reject(error: unknown): void };

type PendingStore = { queue: PendingRequestT[]; loaded: boolean };

export const usePendingStore = create<PendingStore>()(() => ({ queue: [], loaded: false }));

const waiters = new Map<string, Waiter[]>();

function sorted(list: PendingRequestT[]): PendingRequestT[] {
  return [...list].sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

/** Add (or refresh) requests in the queue, by id. */
export function enqueue(...requests: PendingRequestT[]): void {
  usePendingStore.setState((s) => {
    const byId = new Map(s.queue.map((r) => [r.id, r]));
    for (const r of requests) byId.set(r.id, r);
    return { queue: sorted([...byId.values()]) };
  });
}

function settle(id: string, outcome: { result: unknown } | { error: unknown }): void {
  const list = waiters.get(id) ?? [];
  waiters.delete(id);
  for (const w of list) {
    if ('result' in outcome) w.resolve(outcome.result);
    else w.reject(outcome.error);
  }
}

function remove(id: string): void {
  usePendingStore.setState((s) => ({ queue: s.queue.filter((r) => r.id !== id) }));
}

/** Queue a request from a frame and wait for the user's decision (the provider host's `confirm`). */
export function confirmRequest(request: PendingRequestT): Promise<unknown> {
  return new Promise((resolve, reject) => {
    waiters.set(request.id, [...(waiters.get(request.id) ?? []), { resolve, reject }]);
    enqueue(request);
  });
}

/** Read the waiting list from the node (start, reload, reconnect). */
export async function loadPending(): Promise<void> {
  const epoch = currentEpoch();
  const list = await call('dapps.pending', {});
  if (epoch !== currentEpoch()) return;
  const ids = new Set(list.map((r) => r.id));
  // Requests the node no longer holds were decided elsewhere or expired: their frames hear so.
  for (const r of usePendingStore.getState().queue) if (!ids.has(r.id)) settle(r.id, { error: new UiError('CANCELLED', null) });
  usePendingStore.setState({ queue: sorted(list), loaded: true });
}

export type Decision = { approve: boolean; accounts?: string[]; friends?: string[] };

/** Send the user's answer; resolves once the node took it (the waiter then gets the result). */
export async function decide(request: PendingRequestT, d: Decision): Promise<void> {
  const input: { id: string; approve: boolean; accounts?: string[]; friends?: string[] } = { id: request.id, approve: d.approve };
  if (d.approve && request.kind === 'connect') input.accounts = d.accounts ?? [];
  if (d.approve && request.kind === 'channel') input.friends = d.friends ?? [];
  try {
    const answer = await call('dapps.providerDecide', input);
    remove(request.id);
    settle(request.id, d.approve ? { result: answer.result } : { error: new UiError('USER_REJECTED', null) });
  } catch (error) {
    const code = error instanceof UiError ? error.code : 'INTERNAL';
    if (!d.approve && code === 'USER_REJECTED') {
      // The node answers a rejection with the EIP-1193 error itself: that is success here.
      remove(request.id);
      settle(request.id, { error });
      return;
    }
    let held = true;
    try {
      held = (await call('dapps.pending', {})).some((r) => r.id === request.id);
    } catch {
      // Cannot tell: keep it, the user may try again or reject.
    }
    if (!held) {
      remove(request.id);
      settle(request.id, { error });
    }
    throw error;
  }
}

let followers = 0;
let unsubscribe: (() => void) | null = null;
let unwatch: (() => void) | null = null;

/** After the web bridge comes back, events may have been missed: read the list again. */
function watchReconnect(): () => void {
  let down = false;
  return getTransport().onConnection((state) => {
    if (state === 'open' && down) void loadPending().catch(() => undefined);
    down = state !== 'open';
  });
}

/**
 * Follow `dapps.pending` events and read the list once (reference-counted: the rail badge and
 * the DApps screen both follow). The last one to stop clears the queue (the account locked).
 */
export function followPending(): () => void {
  followers++;
  if (followers === 1) {
    unsubscribe = subscribe('dapps.pending', (r) => enqueue(r));
    unwatch = watchReconnect();
    void loadPending().catch(() => usePendingStore.setState({ loaded: true }));
  }
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    followers--;
    if (followers > 0) return;
    unsubscribe?.();
    unwatch?.();
    unsubscribe = unwatch = null;
    for (const r of usePendingStore.getState().queue) settle(r.id, { error: new UiError('CANCELLED', null) });
    usePendingStore.setState({ queue: [], loaded: false });
  };
}
