/**
 * @module renderer/features/dapps/pending-store.test
 * The queue of provider requests waiting for the user, against a fake bridge: merged by id
 * and kept oldest first from every source (frame answers, events, the list after a reload);
 * an approval sends the accounts or friends chosen and hands the result to the frame's
 * waiter; a rejection reaches it as USER_REJECTED (also when the node answers the rejection
 * with that error); a failed approval stays queued while the node still holds the request
 * and is dropped (with the error) once it does not; following is reference-counted and the
 * last stop clears the queue; a reconnect reads the list again; a request arriving during
 * a read is kept, and a decision made before the frame's own answer still reaches it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PendingRequestT } from '../../../src-preload/contract';
import { BridgeError } from '../../../src-preload/contract';
import { installBridge } from '../../bridge';
import { UiError } from '../../lib/errors';
import { clearPending, confirmRequest, decide, enqueue, followPending, loadPending, usePendingStore } from './pending-store';
import { fakeBridge, settle } from './test-bridge';

const A = '0x1111111111111111111111111111111111111111';
const id = (n: number) => n.toString(16).padStart(32, '0');
const req = (n: number, o: Partial<PendingRequestT> = {}): PendingRequestT =>
  ({ id: id(n), appId: `0x${'0'.repeat(40)}`, appName: 'Hello', kind: 'connect', createdAt: n * 10, choices: [{ address: A, name: 'Main' }], friends: [], rows: [], warnings: [], ...o }) as PendingRequestT;
const ids = () => usePendingStore.getState().queue.map((r) => r.id);

afterEach(() => {
  installBridge(null);
  clearPending();
});

describe('pending requests', () => {
  it('merges by id and keeps the oldest first', () => {
    enqueue(req(3), req(1));
    enqueue(req(2), req(1, { title: 'again' }));
    expect(ids()).toEqual([id(1), id(2), id(3)]);
    expect(usePendingStore.getState().queue[0]?.title).toBe('again');
  });

  it('approves a connect with the accounts chosen and gives the frame the result', async () => {
    const f = fakeBridge({ 'dapps.providerDecide': () => ({ kind: 'result', result: [A] }) });
    const answer = confirmRequest(req(1));
    expect(ids()).toEqual([id(1)]);
    await decide(req(1), { approve: true, accounts: [A], friends: ['0xignored'] });
    await expect(answer).resolves.toEqual([A]);
    expect(f.calls[0]).toEqual({ method: 'dapps.providerDecide', input: { id: id(1), approve: true, accounts: [A] } });
    expect(ids()).toEqual([]);
  });

  it('sends only the friends for a channel request', async () => {
    const f = fakeBridge({ 'dapps.providerDecide': () => ({ kind: 'result', result: true }) });
    await decide(req(1, { kind: 'channel' }), { approve: true, accounts: [A], friends: [A] });
    expect(f.calls[0]!.input).toEqual({ id: id(1), approve: true, friends: [A] });
  });

  it('rejects: the frame hears USER_REJECTED, whether the node answers or throws it', async () => {
    const f = fakeBridge({ 'dapps.providerDecide': () => ({ kind: 'result', result: null }) });
    const first = confirmRequest(req(1));
    await decide(req(1), { approve: false, accounts: [A] });
    await expect(first).rejects.toMatchObject({ code: 'USER_REJECTED' });
    expect(f.calls[0]!.input).toEqual({ id: id(1), approve: false });
    fakeBridge({ 'dapps.providerDecide': () => Promise.reject(new BridgeError('USER_REJECTED', 'rejected')) });
    const second = confirmRequest(req(2));
    await expect(decide(req(2), { approve: false })).resolves.toBeUndefined();
    await expect(second).rejects.toBeInstanceOf(UiError);
    expect(ids()).toEqual([]);
  });

  it('keeps a failed approval while the node holds it, drops it with the error once not', async () => {
    let held = true;
    fakeBridge({ 'dapps.providerDecide': () => Promise.reject(new BridgeError('NETWORK', 'down')), 'dapps.pending': () => (held ? [req(1)] : []) });
    const answer = confirmRequest(req(1));
    await expect(decide(req(1), { approve: true, accounts: [A] })).rejects.toMatchObject({ code: 'NETWORK' });
    expect(ids()).toEqual([id(1)]);
    held = false;
    await expect(decide(req(1), { approve: true, accounts: [A] })).rejects.toMatchObject({ code: 'NETWORK' });
    expect(ids()).toEqual([]);
    await expect(answer).rejects.toMatchObject({ code: 'NETWORK' });
  });

  it('reads the list again after a reload; requests gone from the node end as cancelled', async () => {
    fakeBridge({ 'dapps.pending': () => [req(2)] });
    const gone = confirmRequest(req(1));
    await loadPending();
    expect(ids()).toEqual([id(2)]);
    await expect(gone).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('keeps a request that arrived while the list was being read', async () => {
    let release: () => void = () => {};
    fakeBridge({ 'dapps.pending': async () => (await new Promise<void>((r) => (release = r)), []) });
    const reading = loadPending();
    const answer = confirmRequest(req(5));
    release();
    await reading;
    expect(ids()).toEqual([id(5)]);
    void answer.catch(() => undefined);
  });

  it('hands a decision made before the frame’s answer arrived to the frame once it asks', async () => {
    fakeBridge({ 'dapps.providerDecide': () => ({ kind: 'result', result: 'sig' }) });
    enqueue(req(6)); // from the dapps.pending event
    await decide(req(6), { approve: true });
    await expect(confirmRequest(req(6))).resolves.toBe('sig');
    expect(ids()).toEqual([]);
  });

  it('follows events once for all followers and clears the queue when the last stops', async () => {
    const f = fakeBridge({ 'dapps.pending': () => [req(1)] });
    const stopA = followPending();
    const stopB = followPending();
    await settle();
    expect(f.methods()).toEqual(['dapps.pending']);
    expect(f.listening('dapps.pending')).toBe(1);
    f.emit('dapps.pending', req(2));
    expect(ids()).toEqual([id(1), id(2)]);
    stopA();
    stopA();
    expect(ids()).toHaveLength(2);
    const waiting = confirmRequest(req(3));
    stopB();
    expect(ids()).toEqual([]);
    expect(f.listening('dapps.pending')).toBe(0);
    await expect(waiting).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('reads the list again when the bridge reconnects', async () => {
    const f = fakeBridge({ 'dapps.pending': () => [req(1)] });
    const stop = followPending();
    await settle();
    f.connection('open');
    await settle();
    expect(f.methods()).toEqual(['dapps.pending']);
    f.connection('closed');
    f.connection('open');
    await settle();
    expect(f.methods()).toEqual(['dapps.pending', 'dapps.pending']);
    stop();
  });

  it('counts as loaded even when the node has no dapp store', async () => {
    fakeBridge({});
    const stop = followPending();
    await settle();
    await settle();
    expect(usePendingStore.getState().loaded).toBe(true);
    stop();
  });
});
