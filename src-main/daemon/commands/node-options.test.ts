import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../context';
import { bootstrapFrom, loggerFrom, parseEndpointList, parseHostPort } from './node-options';

const ctx = (values: Record<string, unknown>, env: Record<string, string> = {}) =>
  ({ values, io: { env, err: () => {}, out: () => {} } }) as unknown as CommandContext;

describe('shared serve/ar options', () => {
  it('parses HOST:PORT and names the flag in errors', () => {
    expect(parseHostPort('10.0.0.1:7000')).toEqual({ host: '10.0.0.1', port: 7000 });
    expect(parseHostPort('[::1]:80')).toEqual({ host: '::1', port: 80 });
    expect(() => parseHostPort('nope', '--public-address')).toThrow(/--public-address must be HOST:PORT/);
    expect(() => parseHostPort('h:70000')).toThrow(/--listen/);
  });

  it('reads --bootstrap, else BITUNICOM_BOOTSTRAP from the command environment', () => {
    expect(parseEndpointList(' a:1, b:2 ,', '--bootstrap')).toEqual([
      { host: 'a', port: 1 },
      { host: 'b', port: 2 },
    ]);
    expect(bootstrapFrom(ctx({ bootstrap: 'r:7000' }, { BITUNICOM_BOOTSTRAP: 'x:1' }))).toEqual([{ host: 'r', port: 7000 }]);
    expect(bootstrapFrom(ctx({}, { BITUNICOM_BOOTSTRAP: 'x:1' }))).toEqual([{ host: 'x', port: 1 }]);
    expect(() => bootstrapFrom(ctx({ bootstrap: 'r:7000,bad' }))).toThrow(/--bootstrap takes HOST:PORT/);
  });

  it('rejects an unknown log level with a usage error', () => {
    expect(() => loggerFrom(ctx({ 'log-level': 'loud' }))).toThrow(/--log-level must be one of/);
    expect(loggerFrom(ctx({}, { BITUNICOM_LOG: 'debug' }))).toBeTypeOf('object');
  });
});
