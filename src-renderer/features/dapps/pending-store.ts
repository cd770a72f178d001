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

type Outcome = { result: unknown } | { error: unknown };

/**
 * Decisions nobody was waiting for yet, by id (bounded): the `dapps.pending` event can beat the
 * frame's own answer, so the user may decide before the frame's waiter is registered.
 */
const early = new Map<string, Outcome>();
const MAX_EARLY = 64;

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

function settle(id: string, outcome: Outcome): void {
  const list = waiters.get(id) ?? [];
  waiters.delete(id);
  if (list.length === 0) {
    early.set(id, outcome);
    if (early.size > MAX_EARLY) early.delete(early.keys().next().value!);
  }
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
  const done = early.get(request.id);
  if (done) {
    early.delete(request.id);
    return 'result' in done ? Promise.resolve(done.result) : Promise.reject(done.error);
  }
  return new Promise((resolve, reject) => {
    waiters.set(request.id, [...(waiters.get(request.id) ?? []), { resolve, reject }]);
    enqueue(request);
  });
}

/**
 * Read the waiting list from the node (start, reload, reconnect). A request queued before the
 * read that the node no longer holds was decided elsewhere or expired: its frame hears so.
 * One that arrived while the read was on its way is kept (the list may predate it).
 */
export async function loadPending(): Promise<void> {
  const epoch = currentEpoch();
  const before = new Set(usePendingStore.getState().queue.map((r) => r.id));
  const list = await call('dapps.pending', {});
  if (epoch !== currentEpoch()) return;
  const ids = new Set(list.map((r) => r.id));
  const kept: PendingRequestT[] = [];
  for (const r of usePendingStore.getState().queue) {
    if (ids.has(r.id)) continue;
    if (before.has(r.id)) settle(r.id, { error: new UiError('CANCELLED', null) });
    else kept.push(r);
  }
  usePendingStore.setState({ queue: sorted([...list, ...kept]), loaded: true });
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
    clearPending();
  };
}

/** Forget every request: waiting frames hear CANCELLED (the account left the unlocked app). */
export function clearPending(): void {
  for (const id of [...waiters.keys()]) settle(id, { error: new UiError('CANCELLED', null) });
  early.clear();
  usePendingStore.setState({ queue: [], loaded: false });
}
