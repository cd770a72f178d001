import { describe, expect, it } from 'vitest';
import { IPC_INVOKE_CHANNEL, type EventFrame } from '../../src-preload/contract';
import { createDispatcher } from './dispatcher';
import { createEventHub } from './event-hub';
import { createFakeNode } from './fake-node';
import { serveIpc } from './ipc-transport';

function fakeIpcMain() {
  const handlers = new Map<string, (e: unknown, ...args: unknown[]) => unknown>();
  return {
    handlers,
    handle(channel: string, fn: (e: unknown, ...args: unknown[]) => unknown) {
      if (handlers.has(channel)) throw new Error('second handler');
      handlers.set(channel, fn);
    },
    removeHandler(channel: string) {
      handlers.delete(channel);
    },
  };
}

describe('ipc transport', () => {
  it('answers invokes with CallResults, forwards events, and stops cleanly', async () => {
    const node = createFakeNode({ phase: 'locked', password: 'pass-word' });
    const hub = createEventHub(node.events);
    const ipc = fakeIpcMain();
    const sent: EventFrame[] = [];
    const stop = serveIpc(ipc, createDispatcher(node.handlers), hub, (f) => sent.push(f));
    const invoke = ipc.handlers.get(IPC_INVOKE_CHANNEL)!;
    expect(await invoke({}, 'account.unlock', { password: 'wrong' })).toEqual({
      ok: false,
      error: { code: 'WRONG_PASSWORD', message: 'wrong password' },
    });
    expect(await invoke({}, 'account.unlock', { password: 'pass-word' })).toMatchObject({
      ok: true,
      result: { phase: 'unlocked' },
    });
    expect(sent).toEqual([{ event: 'app.state', payload: expect.objectContaining({ phase: 'unlocked' }) }]);
    expect(await invoke({}, 'nope', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    stop();
    expect(ipc.handlers.size).toBe(0);
    await node.handlers['account.lock']({});
    expect(sent).toHaveLength(1);
  });

  it('refuses untrusted senders with UNAUTHORIZED and survives a throwing send', async () => {
    const node = createFakeNode();
    const hub = createEventHub(node.events);
    const ipc = fakeIpcMain();
    serveIpc(
      ipc,
      createDispatcher(node.handlers),
      hub,
      () => {
        throw new Error('window destroyed');
      },
      { isTrustedSender: (e) => (e as { trusted?: boolean }).trusted === true },
    );
    const invoke = ipc.handlers.get(IPC_INVOKE_CHANNEL)!;
    expect(await invoke({ trusted: false }, 'app.getState', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(node.calls).toEqual([]);
    expect(await invoke({ trusted: true }, 'account.create', { mnemonic: 'm', password: '12345678', name: 'A' })).toMatchObject({ ok: true });
  });
});
