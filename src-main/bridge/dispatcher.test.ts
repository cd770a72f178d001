import { describe, expect, it } from 'vitest';
import { BuError, type Logger } from '../core/base';
import type { BridgeHandlers } from '../../src-preload/contract';
import { createDispatcher, describeIssues, implementsContract } from './dispatcher';
import { createFakeNode, fakeContact } from './fake-node';

const ADDR = '0x2222222222222222222222222222222222222222';

function recordingLogger() {
  const lines: Array<{ level: string; msg: string; fields?: Record<string, unknown> }> = [];
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => void lines.push({ level, msg, fields });
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines };
}

function withHandler(overrides: Partial<BridgeHandlers>): BridgeHandlers {
  const node = createFakeNode({ phase: 'unlocked' });
  return { ...node.handlers, ...overrides };
}

describe('dispatcher', () => {
  it('runs a valid call and returns the parsed result', async () => {
    const node = createFakeNode();
    const d = createDispatcher(node.handlers);
    const r = await d.call('app.getState', {});
    expect(r).toEqual({
      ok: true,
      result: { phase: 'no-account', address: null, name: null, dataDir: '/fake', version: '0.0.0-test' },
    });
  });

  it('treats a missing input as {} for methods without fields', async () => {
    const d = createDispatcher(createFakeNode().handlers);
    expect((await d.call('app.getState', undefined)).ok).toBe(true);
    const r = await d.call('app.getState', null);
    expect(r).toEqual({ ok: false, error: { code: 'BAD_INPUT', message: expect.stringContaining('input: ') } });
  });

  it('rejects unknown and non-string methods with UNKNOWN_METHOD', async () => {
    const d = createDispatcher(createFakeNode().handlers);
    expect(await d.call('wallet.drain', {})).toEqual({
      ok: false,
      error: { code: 'UNKNOWN_METHOD', message: 'unknown method "wallet.drain"' },
    });
    expect((await d.call(42, {})) as unknown).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    // Inherited object keys are not methods.
    expect(await d.call('toString', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(await d.call('__proto__', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });

  it('rejects bad input with one readable line naming the field, and does not call the handler', async () => {
    const node = createFakeNode();
    const d = createDispatcher(node.handlers);
    const r = await d.call('account.create', { mnemonic: 'a b c', password: 'short', name: 'Ann' });
    expect(r).toEqual({ ok: false, error: { code: 'BAD_INPUT', message: 'password: use at least 8 characters' } });
    const extra = await d.call('account.unlock', { password: 'x', admin: true });
    expect(extra).toEqual({ ok: false, error: { code: 'BAD_INPUT', message: 'input: Unrecognized key: "admin"' } });
    const addr = await d.call('contacts.accept', { address: '0x123' });
    expect(addr.ok || addr.error.message).toBe('address: an address is 0x followed by 40 hex digits');
    expect(node.calls).toEqual([]);
  });

  it('describeIssues keeps to one line and caps the list', () => {
    const issues = Array.from({ length: 5 }, (_, i) => ({
      code: 'custom' as const,
      path: ['a', i],
      message: `bad\nvalue ${i}`,
      input: undefined,
    }));
    const line = describeIssues(issues);
    expect(line).toBe('a.0: bad value 0; a.1: bad value 1; a.2: bad value 2; and 2 more');
    expect(line).not.toContain('\n');
  });

  it('passes the validated (transformed) input to the handler', async () => {
    let seen: unknown;
    const d = createDispatcher(withHandler({ 'profile.setName': (i) => ((seen = i), createFakeNode().handlers['app.getState']({}) as never) }));
    await d.call('profile.setName', { name: '  Ann  ' });
    expect(seen).toEqual({ name: 'Ann' });
  });

  it('maps a BuError to its code and message', async () => {
    const d = createDispatcher(
      withHandler({
        'account.unlock': async () => {
          throw new BuError('WRONG_PASSWORD', 'the password does not open this vault');
        },
      }),
    );
    expect(await d.call('account.unlock', { password: 'nope' })).toEqual({
      ok: false,
      error: { code: 'WRONG_PASSWORD', message: 'the password does not open this vault' },
    });
  });

  it('maps any other error to INTERNAL with a generic message and logs the details', async () => {
    const { logger, lines } = recordingLogger();
    const d = createDispatcher(
      withHandler({
        'node.status': () => {
          throw new TypeError('secret path /home/x/.db exploded');
        },
      }),
      { logger },
    );
    const r = await d.call('node.status', {});
    expect(r).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'Something went wrong inside the node.' } });
    expect(JSON.stringify(r)).not.toContain('exploded');
    expect(lines).toHaveLength(1);
    expect(lines[0]?.fields?.error).toBe('TypeError: secret path /home/x/.db exploded');
    expect(String(lines[0]?.fields?.stack)).toContain('dispatcher.test.ts');
  });

  it('treats a BuError INTERNAL and a thrown non-Error like any internal failure', async () => {
    const d = createDispatcher(
      withHandler({
        'contacts.list': () => {
          throw new BuError('INTERNAL', 'sqlite said something revealing');
        },
        'contacts.requests': () => {
          throw 'a string';
        },
      }),
    );
    expect(await d.call('contacts.list', {})).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'Something went wrong inside the node.' },
    });
    expect(await d.call('contacts.requests', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('strips undeclared output keys so secrets cannot leak', async () => {
    const d = createDispatcher(
      withHandler({
        'contacts.accept': () =>
          ({ ...fakeContact(ADDR, 'Bob'), privateKey: 'deadbeef', publicKey: new Uint8Array(33) }) as never,
      }),
    );
    const r = await d.call('contacts.accept', { address: ADDR });
    expect(r.ok).toBe(true);
    expect(r.ok && Object.keys(r.result as object).sort()).toEqual(
      ['address', 'createdAt', 'lastMessage', 'name', 'online', 'state', 'unread', 'updatedAt', 'wallet'].sort(),
    );
  });

  it('passes the code of a BuError subclass that renames itself (RPC errors)', async () => {
    class RpcLikeError extends BuError {
      constructor() {
        super('RPC_UNREACHABLE', 'The RPC at 127.0.0.1:9 cannot be reached.');
        this.name = 'RpcClientError';
      }
    }
    const d = createDispatcher(withHandler({ 'wallet.networks': () => { throw new RpcLikeError(); } }));
    expect(await d.call('wallet.networks', {})).toEqual({ ok: false, error: { code: 'RPC_UNREACHABLE', message: 'The RPC at 127.0.0.1:9 cannot be reached.' } });
  });

  it('turns an output outside the contract into INTERNAL and logs only paths', async () => {
    const { logger, lines } = recordingLogger();
    const d = createDispatcher(withHandler({ 'contacts.invite': () => ({ link: 42 }) as never }), { logger });
    expect(await d.call('contacts.invite', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(lines[0]?.fields?.issues).toEqual(['link: invalid_type']);
  });

  it('calls handlers as methods (this is the handlers object)', async () => {
    const base = createFakeNode().handlers;
    const handlers = {
      ...base,
      prefix: 'v',
      'contacts.invite'(this: { prefix: string }) {
        return { link: `${this.prefix}1` };
      },
    };
    const d = createDispatcher(handlers as unknown as BridgeHandlers);
    expect(await d.call('contacts.invite', {})).toEqual({ ok: true, result: { link: 'v1' } });
  });

  it('implementsContract accepts a full handler table (compile-time check)', () => {
    const h = implementsContract(createFakeNode().handlers);
    expect(Object.keys(h).length).toBeGreaterThan(10);
    // @ts-expect-error a table missing methods does not satisfy the contract
    implementsContract({ 'app.getState': () => createFakeNode().handlers['app.getState']({}) });
  });
});
