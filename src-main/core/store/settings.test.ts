import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempStore, type TempStore } from './test-util';

let t: TempStore;
beforeEach(() => {
  t = tempStore();
});
afterEach(() => t.cleanup());

describe('settings', () => {
  it('gets null for a missing key, then the last value set', () => {
    expect(t.store.settings.get('listen.port')).toBeNull();
    t.store.settings.set('listen.port', '40000');
    expect(t.store.settings.get('listen.port')).toBe('40000');
    t.store.settings.set('listen.port', '40001');
    expect(t.store.settings.get('listen.port')).toBe('40001');
    t.store.settings.set('empty', '');
    expect(t.store.settings.get('empty')).toBe('');
  });
});
