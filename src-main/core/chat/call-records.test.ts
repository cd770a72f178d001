/**
 * Call records in the conversation: the summaries, and ChatService.recordCall over real
 * sessions on 127.0.0.1 (the record is stored and emitted, a missed call is unread, a repeat
 * is stored once, and nothing of it ever reaches the friend — a text sent after it does).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { sleep, waitFor } from '../base';
import type { CallRecordT, ContactT, MessageT } from '../../../src-preload/contract';
import { callSummary, formatCallDuration, isMissedCall } from './call-records';
import { TestPeer, befriend } from './test-peers';

const peers: TestPeer[] = [];
async function peer(name: string): Promise<TestPeer> {
  const p = await new TestPeer(name).start();
  peers.push(p);
  return p;
}
afterEach(async () => {
  for (const p of peers.splice(0)) await p.cleanup();
});

const rec = (over: Partial<CallRecordT> = {}): CallRecordT => ({ id: 'a'.repeat(32), direction: 'outgoing', video: false, outcome: 'answered', durationMs: 201_400, ...over });
const codeOf = (f: () => unknown): string => {
  try {
    f();
    return 'ok';
  } catch (e) {
    return (e as { code?: string }).code ?? 'no code';
  }
};

describe('call summaries', () => {
  it('say what happened, from this side', () => {
    expect(callSummary(rec({ video: true }))).toBe('Video call · 3:21');
    expect(callSummary(rec({ direction: 'incoming', durationMs: 3_725_000 }))).toBe('Voice call · 1:02:05');
    expect(callSummary(rec({ direction: 'incoming', outcome: 'missed', durationMs: 0 }))).toBe('Missed voice call');
    expect(callSummary(rec({ direction: 'incoming', outcome: 'cancelled', video: true }))).toBe('Missed video call');
    expect(callSummary(rec({ direction: 'incoming', outcome: 'no-answer' }))).toBe('Missed voice call');
    expect(callSummary(rec({ direction: 'incoming', outcome: 'busy' }))).toBe('Missed voice call (busy)');
    expect(callSummary(rec({ direction: 'incoming', outcome: 'declined' }))).toBe('Declined voice call');
    expect(callSummary(rec({ outcome: 'declined', video: true }))).toBe('Video call declined');
    expect(callSummary(rec({ outcome: 'no-answer' }))).toBe('No answer · voice call');
    expect(callSummary(rec({ outcome: 'busy' }))).toBe('Voice call · busy');
    expect(callSummary(rec({ outcome: 'cancelled' }))).toBe('Cancelled voice call');
    expect(callSummary(rec({ outcome: 'unreachable' }))).toBe('Voice call · unreachable');
    expect(callSummary(rec({ outcome: 'failed', durationMs: 0 }))).toBe('Voice call failed');
    expect(callSummary(rec({ outcome: 'failed', durationMs: 65_000 }))).toBe('Voice call · 1:05 · connection lost');
  });

  it('count only incoming calls we did not take as missed; durations round down to the second', () => {
    expect(isMissedCall(rec({ direction: 'incoming', outcome: 'missed' }))).toBe(true);
    expect(isMissedCall(rec({ direction: 'incoming', outcome: 'declined' }))).toBe(false);
    expect(isMissedCall(rec({ direction: 'outgoing', outcome: 'no-answer' }))).toBe(false);
    expect(isMissedCall(rec({ direction: 'incoming', outcome: 'answered' }))).toBe(false);
    expect([0, 999, 1000, 59_999, 60_000, 3_599_999, 3_600_000].map(formatCallDuration)).toEqual(['0:00', '0:00', '0:01', '0:59', '1:00', '59:59', '1:00:00']);
  });
});

describe('ChatService.recordCall', () => {
  it('stores the call, emits it, shows it in the list and the contact, and counts a missed call unread', async () => {
    const a = await peer('Alice');
    const b = await peer('Bob');
    await befriend(a, b);
    const added: MessageT[] = [];
    const contacts: ContactT[] = [];
    a.chat.on('messageAdded', (m) => added.push(m));
    a.chat.on('contact', (c) => contacts.push(c));

    const out = a.chat.recordCall(b.address, rec({ video: true }), 1_000_000);
    expect(out).toMatchObject({ peer: b.address, direction: 'out', state: 'sent', text: 'Video call · 3:21', sentAt: 1_000_000, payment: null, call: rec({ video: true }) });
    expect(added).toEqual([out]);
    expect(a.store.contacts.get(b.address)?.unread).toBe(0);

    const missed = a.chat.recordCall(b.address, rec({ id: 'b'.repeat(32), direction: 'incoming', outcome: 'missed', durationMs: 0 }), 1_000_500);
    expect(missed).toMatchObject({ direction: 'in', state: 'received', text: 'Missed voice call', call: { outcome: 'missed' } });
    expect(a.store.contacts.get(b.address)?.unread).toBe(1);
    expect(contacts.at(-1)).toMatchObject({ address: b.address, unread: 1, lastMessage: { text: 'Missed voice call', direction: 'in' } });
    expect(a.chat.list(b.address, {}).slice(-2)).toEqual([out, missed]);

    // the same call again (e.g. both the end event and a restart recorded it): one message, no event, no unread
    const again = a.chat.recordCall(b.address, rec({ id: 'b'.repeat(32), direction: 'incoming', outcome: 'missed', durationMs: 0 }), 2_000_000);
    expect(again).toEqual(missed);
    expect(added).toHaveLength(2);
    expect(a.store.contacts.get(b.address)?.unread).toBe(1);
    expect(a.chat.list(b.address, {}).filter((m) => m.call)).toHaveLength(2);
  });

  it('never transmits a call record: the friend gets the text sent after it, and nothing else', async () => {
    const a = await peer('Alice');
    const b = await peer('Bob');
    await befriend(a, b);
    a.chat.recordCall(b.address, rec(), Date.now());
    a.chat.recordCall(b.address, rec({ id: 'c'.repeat(32), direction: 'incoming', outcome: 'declined', durationMs: 0 }), Date.now());
    const text = a.chat.send(b.address, 'after the call');
    a.chat.flushNow(b.address);
    await waitFor(() => a.store.messages.get(b.address, text.id)?.state === 'delivered', 10_000);
    await sleep(300); // several outbox ticks (50 ms) later
    expect(b.chat.list(a.address, {}).map((m) => m.text)).toEqual(['after the call']);
    expect(a.store.messages.pendingCount()).toBe(0);
    expect(a.chat.list(b.address, {}).map((m) => [m.text, m.state])).toEqual([
      ['Voice call · 3:21', 'sent'],
      ['Declined voice call', 'received'],
      ['after the call', 'delivered'],
    ]);
  });

  it('refuses a malformed record or an unknown peer, storing nothing', async () => {
    const a = await peer('Alice');
    const b = await peer('Bob');
    await befriend(a, b);
    expect(codeOf(() => a.chat.recordCall(b.address, rec({ id: 'XYZ' }), 1))).toBe('BAD_INPUT');
    expect(codeOf(() => a.chat.recordCall(b.address, rec({ outcome: 'lost' as never }), 1))).toBe('BAD_INPUT');
    expect(codeOf(() => a.chat.recordCall(b.address, rec({ durationMs: -1 }), 1))).toBe('BAD_INPUT');
    expect(codeOf(() => a.chat.recordCall('0x' + '12'.repeat(20), rec(), 1))).toBe('NOT_FOUND');
    expect(a.chat.list(b.address, {}).filter((m) => m.call)).toEqual([]);
  });
});
