/**
 * The Shared To-Do sample's CRDT (resources/dapps/shared-todo/crdt.js): two and three editors
 * converge whatever the order, duplication or grouping of the exchanged items (merge is
 * commutative, associative, idempotent), concurrent edits resolve by Lamport stamp, deletes
 * win and stick, snapshots fit the 16 KiB channel message, invalid items are ignored, a
 * stored list comes back without reusing ids.
 */
import { describe, expect, it } from 'vitest';
import { MAX_CHANNEL_DATA_BYTES } from '../channels';
import { loadScript } from './load-script';

type Item = { text: [string, [number, string]]; done: [boolean, [number, string]]; deleted: [boolean, [number, string]]; created: [number, string] };
type State = { replica: string; clock: number; counter: number; items: Record<string, Item> };
type Crdt = {
  create(replica: string): State;
  add(s: State, text: string): string;
  check(s: State, id: string, done: boolean): boolean;
  rename(s: State, id: string, text: string): boolean;
  remove(s: State, id: string): boolean;
  merge(s: State, items: unknown): string[];
  delta(s: State, ids: string[]): Record<string, Item>;
  snapshot(s: State, maxBytes?: number): Record<string, Item>[];
  view(s: State): { id: string; text: string; done: boolean }[];
  restore(v: unknown): State | null;
};

const C = loadScript<Crdt>('shared-todo', 'crdt.js', 'TodoCrdt');
const wire = <V>(v: V): V => JSON.parse(JSON.stringify(v)) as V; // what a channel message carries
const view = (s: State) => wire(C.view(s));
const sync = (a: State, b: State) => {
  C.merge(b, wire(C.snapshot(a)[0]));
  C.merge(a, wire(C.snapshot(b)[0]));
};

describe('shared to-do CRDT', () => {
  it('two editors converge after concurrent adds, checks and deletes', () => {
    const a = C.create('alice');
    const b = C.create('bob');
    const milk = C.add(a, 'milk');
    const eggs = C.add(a, 'eggs');
    sync(a, b);
    // concurrently: Alice checks milk and deletes eggs, Bob renames milk and adds bread
    C.check(a, milk, true);
    C.remove(a, eggs);
    C.rename(b, milk, 'oat milk');
    C.add(b, 'bread');
    sync(a, b);
    expect(view(a)).toEqual(view(b));
    expect(view(a).map((i) => [i.text, i.done])).toEqual([
      ['oat milk', true], // different fields: both edits survive
      ['bread', false],
    ]);
  });

  it('resolves the same field edited on both sides by the later Lamport stamp, ties by replica', () => {
    const a = C.create('alice');
    const b = C.create('bob');
    const id = C.add(a, 'task');
    sync(a, b);
    C.check(a, id, true); // stamp [2, alice]
    C.check(b, id, false); // stamp [2, bob]: same clock, "bob" > "alice"
    sync(a, b);
    expect(view(a)[0]!.done).toBe(false);
    expect(view(b)[0]!.done).toBe(false);
    // the clock moved past what was seen: Alice's next edit wins
    C.check(a, id, true);
    sync(a, b);
    expect(view(b)[0]!.done).toBe(true);
  });

  it('is order-, duplicate- and grouping-insensitive across three replicas', () => {
    const reps = ['ann', 'ben', 'cat'].map((r) => C.create(r));
    const updates: Record<string, Item>[] = [];
    let n = 0;
    const record = (s: State, id: string) => updates.push(wire(C.delta(s, [id])));
    for (let round = 0; round < 6; round++) {
      for (const s of reps) {
        const id = C.add(s, `item ${n++}`);
        record(s, id);
        const ids = Object.keys(s.items);
        const other = ids[(round * 7 + n) % ids.length]!;
        if (round % 2 === 0 && C.check(s, other, true)) record(s, other);
        if (round === 4 && C.remove(s, ids[0]!)) record(s, ids[0]!);
      }
      // partial exchanges between rounds
      C.merge(reps[1]!, wire(C.snapshot(reps[0]!)[0]));
    }
    // deliver every update to every replica in a different order, some twice
    const orders = [updates, [...updates].reverse(), [...updates, ...updates].sort((x, y) => Object.keys(x)[0]!.localeCompare(Object.keys(y)[0]!))];
    reps.forEach((s, i) => orders[i]!.forEach((u) => C.merge(s, u)));
    expect(view(reps[0]!)).toEqual(view(reps[1]!));
    expect(view(reps[1]!)).toEqual(view(reps[2]!));
    expect(Object.keys(reps[0]!.items).length).toBe(18); // every add reached every replica
    expect(view(reps[0]!).length).toBeLessThan(18); // and the deletes too
    // merging again changes nothing
    expect(C.merge(reps[0]!, wire(C.snapshot(reps[2]!)[0]))).toEqual([]);
  });

  it('keeps a deleted item deleted, even against later edits of other fields', () => {
    const a = C.create('alice');
    const b = C.create('bob');
    const id = C.add(a, 'x');
    sync(a, b);
    C.remove(a, id);
    C.check(b, id, true);
    C.check(b, id, false);
    sync(a, b);
    expect(view(a)).toEqual([]);
    expect(view(b)).toEqual([]);
    expect(C.check(a, id, true)).toBe(false);
  });

  it('cuts snapshots to fit a channel message and ignores invalid items', () => {
    const a = C.create('alice');
    for (let i = 0; i < 200; i++) C.add(a, `${'long text '.repeat(20)} ${i}`);
    const parts = C.snapshot(a, 12000);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(new TextEncoder().encode(JSON.stringify({ t: 'todo', v: 1, items: p })).length).toBeLessThan(MAX_CHANNEL_DATA_BYTES);
    const b = C.create('bob');
    parts.forEach((p) => C.merge(b, wire(p)));
    expect(view(b)).toEqual(view(a));

    const bad = C.create('carol');
    const good = wire(C.delta(a, [Object.keys(a.items)[0]!]));
    const item = Object.values(good)[0]!;
    expect(C.merge(bad, { 'bad id': item })).toEqual([]);
    expect(C.merge(bad, { 'x:1': { ...item, text: ['', item.text[1]] } })).toEqual([]);
    expect(C.merge(bad, { 'x:1': { ...item, done: ['yes', item.done[1]] } })).toEqual([]);
    expect(C.merge(bad, { 'x:1': { ...item, created: [-1, 'x'] } })).toEqual([]);
    expect(C.merge(bad, null)).toEqual([]);
    expect(() => C.add(bad, '   ')).toThrow(/1 to 500/);
    expect(() => C.create('Not Valid')).toThrow(/replica id/);
  });

  it('restores a stored list without reusing ids', () => {
    const a = C.create('alice');
    C.add(a, 'one');
    C.add(a, 'two');
    const stored = wire({ ...a, counter: 0 }); // an old copy whose counter fell behind
    const back = C.restore(stored)!;
    expect(view(back)).toEqual(view(a));
    const id = C.add(back, 'three');
    expect(Object.keys(a.items)).not.toContain(id);
    expect(C.restore({ nope: true })).toBeNull();
    expect(C.restore(null)).toBeNull();
  });
});
