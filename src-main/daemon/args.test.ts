import { describe, expect, it } from 'vitest';
import { commandUsage, intOption, mainUsage, parseCommandArgs, splitCommand, UsageError, type CommandSpec } from './args';
import { COMMANDS, findCommand } from './cli';

const spec = (over: Partial<CommandSpec> = {}): CommandSpec => ({
  name: 'send',
  group: 'G',
  summary: 'Send.',
  synopsis: '<to> <text...>',
  minArgs: 2,
  maxArgs: Infinity,
  options: { limit: { type: 'string', value: 'N', description: 'n' } },
  run: async () => {},
  ...over,
});

describe('splitCommand', () => {
  it('finds the command before or after global options, skipping the --data value', () => {
    expect(splitCommand(['status'])).toEqual({ command: 'status', rest: [] });
    expect(splitCommand(['--data', '/x', 'status', '--json'])).toEqual({ command: 'status', rest: ['--data', '/x', '--json'] });
    expect(splitCommand(['--json', 'send', 'bob', 'hi'])).toEqual({ command: 'send', rest: ['--json', 'bob', 'hi'] });
    expect(splitCommand(['--data=/x', 'lock'])).toEqual({ command: 'lock', rest: ['--data=/x'] });
    expect(splitCommand(['--help'])).toEqual({ command: null, rest: ['--help'] });
    expect(splitCommand(['--', 'status'])).toEqual({ command: null, rest: ['--', 'status'] });
  });
});

describe('parseCommandArgs', () => {
  it('parses options and positionals, with -- ending options', () => {
    expect(parseCommandArgs(spec(), ['bob', 'hello', 'there', '--json', '--data', 'd'])).toEqual({
      values: { json: true, data: 'd' },
      args: ['bob', 'hello', 'there'],
    });
    expect(parseCommandArgs(spec(), ['bob', '--', '-1', '--not-an-option']).args).toEqual(['bob', '-1', '--not-an-option']);
    expect(parseCommandArgs(spec(), ['--limit=5', 'a', 'b']).values.limit).toBe('5');
  });

  it('reports usage errors as UsageError naming the problem', () => {
    const err = (argv: string[], s = spec()) => {
      try {
        parseCommandArgs(s, argv);
      } catch (e) {
        expect(e).toBeInstanceOf(UsageError);
        return (e as Error).message;
      }
      throw new Error('no error');
    };
    expect(err(['bob', 'hi', '--bogus'])).toBe('unknown option --bogus');
    expect(err(['bob'])).toBe('missing argument: send <to> <text...>');
    expect(err(['a', 'b'], spec({ name: 'lock', synopsis: undefined, minArgs: 0, maxArgs: 0 }))).toBe('unexpected argument "a" (lock takes none)');
    expect(err(['a', 'b', 'c'], spec({ maxArgs: 2 }))).toBe('unexpected argument "c"');
    expect(err(['a', 'b', '--limit'])).toMatch(/--limit/);
    expect(err(['a', 'b', '--limit='])).toBe('--limit needs a value');
  });

  it('skips argument checks when --help is given', () => {
    expect(parseCommandArgs(spec(), ['--help']).values.help).toBe(true);
    expect(parseCommandArgs(spec(), ['-h']).values.help).toBe(true);
  });

  it('intOption enforces whole numbers in range', () => {
    expect(intOption({ limit: '20' }, 'limit', 1, 500)).toBe(20);
    expect(intOption({}, 'limit', 1, 500)).toBeUndefined();
    for (const bad of ['0', '501', '-1', '1.5', 'ten', '1e2', '']) {
      expect(() => intOption({ limit: bad }, 'limit', 1, 500)).toThrow(UsageError);
    }
  });
});

describe('usage', () => {
  it('lists every command and its options', () => {
    const text = mainUsage(COMMANDS);
    for (const name of ['serve', 'init', 'import', 'status', 'unlock', 'lock', 'invite', 'add', 'requests', 'accept', 'decline', 'block', 'unblock', 'contacts', 'send', 'messages', 'export-keystore', 'call']) {
      expect(findCommand(name), name).toBeDefined();
      expect(text).toContain(`  ${name}`);
    }
    const serve = commandUsage(findCommand('serve')!);
    expect(serve).toMatch(/^Usage: bitunicom serve \[options\]/);
    for (const opt of ['--listen HOST:PORT', '--ui-port N', '--name NAME', '--password-file FILE', '--data DIR', '--json']) {
      expect(serve).toContain(opt);
    }
    expect(commandUsage(findCommand('send')!)).toContain('Usage: bitunicom send <address|name> <text...>');
  });
});
