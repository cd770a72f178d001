import { describe, expect, it } from 'vitest';
import { WriteTokens } from './tokens';

describe('write tokens (BEP 5 style)', () => {
  it('are bound to the requester IP and valid for two rotations, not three', () => {
    const clock = { t: 1_000_000 };
    const tokens = new WriteTokens(300_000, () => clock.t);
    const tok = tokens.issue('192.0.2.1');
    expect(tok.length).toBe(16);
    expect(tokens.valid('192.0.2.1', tok)).toBe(true);
    expect(tokens.valid('192.0.2.2', tok)).toBe(false);
    clock.t += 300_000; // one rotation: previous secret still accepted
    expect(tokens.valid('192.0.2.1', tok)).toBe(true);
    clock.t += 300_000; // two rotations: gone
    expect(tokens.valid('192.0.2.1', tok)).toBe(false);
    expect(tokens.valid('192.0.2.1', tokens.issue('192.0.2.1'))).toBe(true);
    expect(tokens.valid('192.0.2.1', new Uint8Array(15))).toBe(false);
  });

  it('differ between nodes (random secrets) and after a clock jump', () => {
    const clock = { t: 0 };
    const a = new WriteTokens(1000, () => clock.t);
    const b = new WriteTokens(1000, () => clock.t);
    expect(b.valid('10.0.0.1', a.issue('10.0.0.1'))).toBe(false);
    const tok = a.issue('10.0.0.1');
    clock.t = 10_000;
    expect(a.valid('10.0.0.1', tok)).toBe(false);
  });
});
