import { describe, expect, it } from 'vitest';
import { PREVIEW_CHARS, callNotification, messageNotification, shortAddress } from './notifications';

const peer = '0x52908400098527886E0F7030069857D2E4169EE7';

describe('messageNotification', () => {
  it('notifies for an incoming message while unfocused, titled with the contact name', () => {
    expect(messageNotification({ direction: 'in', peer, text: 'hello\n  there' }, 'Alice', false)).toEqual({ title: 'Alice', body: 'hello there' });
  });

  it('stays quiet when focused or for our own messages', () => {
    expect(messageNotification({ direction: 'in', peer, text: 'x' }, 'Alice', true)).toBeNull();
    expect(messageNotification({ direction: 'out', peer, text: 'x' }, 'Alice', false)).toBeNull();
  });

  it('falls back to a short address and cuts long text without splitting emoji', () => {
    const text = '😀'.repeat(PREVIEW_CHARS + 10);
    const n = messageNotification({ direction: 'in', peer, text }, '  ', false)!;
    expect(n.title).toBe('0x5290…9EE7');
    expect(Array.from(n.body)).toHaveLength(PREVIEW_CHARS);
    expect(n.body.endsWith('😀…')).toBe(true);
    expect(shortAddress('0xabc')).toBe('0xabc');
  });
});

describe('callNotification', () => {
  const base = { direction: 'incoming' as const, state: 'incoming' as const, peerName: 'Bob', peer: '0x' + 'ab'.repeat(20), video: false, answeredAt: null, endReason: null };
  it('announces a ringing incoming call, focused or not, naming the kind', () => {
    expect(callNotification(base, true)).toEqual({ title: 'Bob', body: 'Incoming voice call' });
    expect(callNotification({ ...base, video: true, peerName: '' }, false)).toEqual({ title: '0xabab…abab', body: 'Incoming video call' });
  });
  it('tells of a missed call only while unfocused, and never of our own or declined calls', () => {
    const missed = { ...base, state: 'ended' as const, endReason: 'cancelled' as const };
    expect(callNotification(missed, false)).toEqual({ title: 'Bob', body: 'Missed voice call' });
    expect(callNotification(missed, true)).toBeNull();
    expect(callNotification({ ...missed, endReason: 'declined' }, false)).toBeNull();
    expect(callNotification({ ...missed, answeredAt: 5 }, false)).toBeNull();
    expect(callNotification({ ...base, direction: 'outgoing' }, false)).toBeNull();
  });
});
