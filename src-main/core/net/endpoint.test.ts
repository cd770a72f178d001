import { describe, expect, it } from 'vitest';
import { isBuError } from '../base';
import { endpointKey, parseEndpoint, sameEndpoint } from './endpoint';

describe('endpoints', () => {
  it('formats and parses host:port both ways', () => {
    for (const s of ['127.0.0.1:4000', '10.0.0.7:1', 'example.com:65535', 'localhost:9', '[::1]:4000', '[2001:db8::7]:443']) {
      expect(endpointKey(parseEndpoint(s))).toBe(s);
    }
    expect(parseEndpoint('[::1]:4000')).toEqual({ host: '::1', port: 4000 });
    expect(endpointKey({ host: '192.168.1.2', port: 5 })).toBe('192.168.1.2:5');
  });

  it('rejects malformed endpoints with BAD_INPUT', () => {
    for (const s of ['', '127.0.0.1', ':80', '127.0.0.1:', '127.0.0.1:0', '127.0.0.1:65536', '127.0.0.1:-1', '127.0.0.1:80x', 'a b:80', '::1:80', '[nothost]:80', '[::1]', 'ho_st:80', '-bad.com:80', `${'a'.repeat(64)}.com:80`]) {
      let err: unknown;
      try {
        parseEndpoint(s);
      } catch (e) {
        err = e;
      }
      expect(isBuError(err, 'BAD_INPUT'), s).toBe(true);
    }
    expect(() => parseEndpoint(42 as unknown as string)).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
  });

  it('compares endpoints by value', () => {
    expect(sameEndpoint({ host: '1.2.3.4', port: 5 }, { host: '1.2.3.4', port: 5 })).toBe(true);
    expect(sameEndpoint({ host: '1.2.3.4', port: 5 }, { host: '1.2.3.4', port: 6 })).toBe(false);
  });
});
