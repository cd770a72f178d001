import { describe, expect, it } from 'vitest';
import { TypedEmitter } from './events';

describe('TypedEmitter', () => {
  it('delivers in subscription order, unsubscribes, isolates throwing listeners', () => {
    const e = new TypedEmitter<{ x: number }>();
    const seen: string[] = [];
    const errors: unknown[] = [];
    e.onListenerError = (err) => errors.push(err);
    const offA = e.on('x', (n) => seen.push(`a${n}`));
    e.on('x', () => {
      throw new Error('boom');
    });
    e.on('x', (n) => seen.push(`c${n}`));
    e.emit('x', 1);
    offA();
    offA(); // twice is harmless
    e.emit('x', 2);
    expect(seen).toEqual(['a1', 'c1', 'c2']);
    expect(errors).toHaveLength(2);
  });

  it('a listener that unsubscribes during emit does not disturb that emit', () => {
    const e = new TypedEmitter<{ x: number }>();
    const seen: string[] = [];
    const off = e.on('x', () => {
      seen.push('once');
      off();
    });
    e.on('x', () => seen.push('always'));
    e.emit('x', 1);
    e.emit('x', 2);
    expect(seen).toEqual(['once', 'always', 'always']);
  });
});
