import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EVENTS, METHODS } from '../../src-preload/contract';

/** Anything that looks like key material must never be a key of an output or event payload. */
const SECRET_KEY = /mnemonic|private_?key|seed|secret|db_?key|passphrase|password/i;

/** Every property name a schema can produce, at any depth (via its JSON Schema). */
function propertyNames(schema: z.ZodType): string[] {
  const names: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    for (const [k, v] of Object.entries(node)) {
      if (k === 'properties' && typeof v === 'object' && v !== null) names.push(...Object.keys(v));
      walk(v);
    }
  };
  walk(z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }));
  return names;
}

describe('contract outputs carry no secrets', () => {
  it('finds nested property names (the walker works)', () => {
    const probe = z.object({ a: z.array(z.object({ privateKey: z.string() }).nullable()) });
    expect(propertyNames(probe)).toEqual(['a', 'privateKey']);
    expect(propertyNames(METHODS['contacts.list'].output)).toContain('lastMessage');
    expect(propertyNames(METHODS['contacts.list'].output)).toContain('direction');
  });

  const outputs = [
    ...Object.entries(METHODS).map(([name, m]) => [`method ${name}`, m.output] as const),
    ...Object.entries(EVENTS).map(([name, s]) => [`event ${name}`, s] as const),
  ];
  it.each(outputs)('%s', (_, schema) => {
    const names = propertyNames(schema as z.ZodType);
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((n) => SECRET_KEY.test(n))).toEqual([]);
  });
});
