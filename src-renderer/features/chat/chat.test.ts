import { describe, expect, it } from 'vitest';
import type { MessageT } from '../../../src-preload/contract';
import { unionMessages, upsertMessage, useChatStore } from './chat-store';
import { groupMessages } from './group-messages';

const PEER = '0x52908400098527886E0F7030069857D2E4169EE7';
let seq = 0;
function msg(over: Partial<MessageT> = {}): MessageT {
  seq += 1;
  return { id: `m${seq}`, peer: PEER, direction: 'out', text: 'hi', state: 'sent', sentAt: 1000 * seq, localAt: 1000 * seq, seq, payment: null, ...over };
}

describe('chat store merging', () => {
  it('upserts by id and keeps seq order', () => {
    const a = msg();
    const b = msg();
    let items = upsertMessage([], b);
    items = upsertMessage(items, a);
    expect(items.map((m) => m.id)).toEqual([a.id, b.id]);
    items = upsertMessage(items, { ...a, state: 'delivered' });
    expect(items).toHaveLength(2);
    expect(items[0]?.state).toBe('delivered');
  });

  it('keeps the more advanced state when a page load races an event', () => {
    const a = msg({ state: 'delivered' });
    const merged = unionMessages([a], [{ ...a, state: 'sending' }, msg()]);
    expect(merged).toHaveLength(2);
    expect(merged[0]?.state).toBe('delivered');
  });

  it('merges events only into threads that were opened, without duplicates', () => {
    const store = useChatStore.getState();
    store.reset();
    const a = msg();
    store.merge(a);
    expect(useChatStore.getState().threads).toEqual({});
    store.startLoad(PEER);
    store.merge(a);
    store.setPage(PEER, [a], { older: false, hasMore: false });
    store.merge({ ...a, state: 'delivered' });
    const t = useChatStore.getState().threads[PEER.toLowerCase()];
    expect(t?.items).toHaveLength(1);
    expect(t?.items[0]?.state).toBe('delivered');
    expect(t?.status).toBe('ready');
  });
});

describe('groupMessages', () => {
  it('splits by day and by sender runs', () => {
    const day1 = new Date(2025, 0, 1, 10, 0).getTime();
    const day2 = new Date(2025, 0, 2, 10, 0).getTime();
    const items = [
      msg({ localAt: day1, direction: 'out' }),
      msg({ localAt: day1 + 60_000, direction: 'out' }),
      msg({ localAt: day1 + 120_000, direction: 'in' }),
      msg({ localAt: day1 + 20 * 60_000, direction: 'in' }),
      msg({ localAt: day2, direction: 'in' }),
    ];
    const days = groupMessages(items, day2 + 1000);
    expect(days.map((d) => d.label)).toEqual([expect.any(String), 'Today']);
    expect(days[0]?.groups.map((g) => g.items.length)).toEqual([2, 1, 1]);
    expect(days[1]?.groups).toHaveLength(1);
  });
});
