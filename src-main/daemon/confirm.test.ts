import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { askTyped, confirmPlan, isTypedConfirmation, readLine } from './confirm';
import type { CliIO } from './context';

function io(input: string[]): CliIO & { errors: string[] } {
  const errors: string[] = [];
  return {
    out: () => {},
    err: (t) => void errors.push(t),
    errors,
    env: {},
    stdin: Object.assign(Readable.from(input.map((s) => Buffer.from(s))), { isTTY: true }),
    platform: 'linux',
    home: '/nowhere',
    cwd: '/nowhere',
  };
}

describe('confirm', () => {
  it('goes with --yes, asks on a terminal, refuses otherwise', () => {
    expect(confirmPlan({ yes: true, tty: false })).toBe('go');
    expect(confirmPlan({ yes: true, tty: true })).toBe('go');
    expect(confirmPlan({ yes: false, tty: true })).toBe('ask');
    expect(confirmPlan({ yes: false, tty: false })).toBe('refuse');
  });

  it('accepts only the word itself', () => {
    expect(isTypedConfirmation('reset', 'reset')).toBe(true);
    expect(isTypedConfirmation('  RESET \r', 'reset')).toBe(true);
    for (const no of ['y', 'yes', '', 'resets', 're set', null]) expect(isTypedConfirmation(no, 'reset')).toBe(false);
  });

  it('reads one line, even across chunks, and null when input ends empty', async () => {
    expect(await readLine(io(['re', 'set\r\nmore\n']))).toBe('reset');
    expect(await readLine(io(['no newline']))).toBe('no newline');
    expect(await readLine(io([]))).toBeNull();
    expect(await readLine(io(['x'.repeat(5000)]), 1024)).toBeNull();
  });

  it('shows the warning on stderr, then the question', async () => {
    const t = io(['reset\n']);
    expect(await askTyped(t, ['This erases everything.'], 'reset')).toBe(true);
    expect(t.errors).toEqual(['This erases everything.', "Type 'reset' to continue:"]);
    expect(await askTyped(io(['nope\n']), [], 'reset')).toBe(false);
  });
});
