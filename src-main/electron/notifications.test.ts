import { describe, expect, it } from 'vitest';
import { PREVIEW_CHARS, messageNotification, shortAddress } from './notifications';

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
