import { describe, expect, it } from 'vitest';
import { TypedEmitter } from '../core/base';
import type { EventFrame } from '../../src-preload/contract';
import { createEventHub } from './event-hub';
import { fakeContact, type FakeEvents } from './fake-node';

const ADDR = '0x2222222222222222222222222222222222222222';

describe('event hub', () => {
  it('fans node events out to every subscriber as frames, stripping undeclared keys', () => {
    const source = new TypedEmitter<FakeEvents>();
    const hub = createEventHub(source);
    const a: EventFrame[] = [];
    const b: EventFrame[] = [];
    hub.subscribe((f) => a.push(f));
    const offB = hub.subscribe((f) => b.push(f));
    source.emit('contact.updated', { ...fakeContact(ADDR, 'Bob'), secret: 'x' } as never);
    offB();
    source.emit('contact.updated', fakeContact(ADDR, 'Bobby'));
    expect(a.map((f) => (f.payload as { name: string }).name)).toEqual(['Bob', 'Bobby']);
    expect(b).toHaveLength(1);
    expect(b[0]?.event).toBe('contact.updated');
    expect(b[0]?.payload).not.toHaveProperty('secret');
  });

  it('validates names on subscribe and publish, and drops payloads outside the contract', () => {
    const hub = createEventHub();
    expect(() => hub.on('wallet.drained', () => {})).toThrow(/unknown event/);
    const got: unknown[] = [];
    hub.on('node.status', (p) => got.push(p));
    expect(hub.publish('nope', {})).toBe(false);
    expect(hub.publish('node.status', { phase: 'bogus' })).toBe(false);
    expect(got).toEqual([]);
  });

  it('isolates a throwing subscriber and detaches from the source on close', () => {
    const source = new TypedEmitter<FakeEvents>();
    const hub = createEventHub(source);
    const got: string[] = [];
    hub.subscribe(() => {
      throw new Error('bad subscriber');
    });
    hub.on('contact.updated', (p) => got.push((p as { name: string }).name));
    source.emit('contact.updated', fakeContact(ADDR, 'Bob'));
    expect(got).toEqual(['Bob']);
    expect(hub.subscriberCount()).toBe(2);
    hub.close();
    source.emit('contact.updated', fakeContact(ADDR, 'Again'));
    expect(got).toEqual(['Bob']);
    expect(hub.subscriberCount()).toBe(0);
  });
});
