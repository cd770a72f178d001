import { describe, expect, it, vi } from 'vitest';
import { createPreloadApi, rendererError, transportError, unwrapCallResult, type PreloadTransport } from './preload-core';

function fakeTransport(reply: (method: string, input: unknown) => unknown = () => ({ ok: true, result: 'r' })) {
  const calls: Array<[string, unknown]> = [];
  let listener: ((frame: unknown) => void) | null = null;
  let subscriptions = 0;
  let stops = 0;
  const sentMedia: Uint8Array[] = [];
  let mediaListener: ((frame: unknown) => void) | null = null;
  const t: PreloadTransport = {
    sendMedia: (f) => void sentMedia.push(f),
    subscribeMedia(l) {
      mediaListener = l;
      return () => {
        mediaListener = null;
      };
    },
    invoke: async (method, input) => {
      calls.push([method, input]);
      return reply(method, input);
    },
    subscribe(l) {
      subscriptions++;
      listener = l;
      return () => {
        stops++;
        listener = null;
      };
    },
  };
  return {
    t,
    calls,
    emit: (frame: unknown) => listener?.(frame),
    sentMedia,
    emitMedia: (frame: unknown) => mediaListener?.(frame),
    mediaListening: () => mediaListener !== null,
    counts: () => ({ subscriptions, stops, listening: listener !== null }),
  };
}

describe('invoke', () => {
  it('forwards a contract method and returns its result', async () => {
    const f = fakeTransport(() => ({ ok: true, result: { phase: 'locked' } }));
    const api = createPreloadApi(f.t);
    await expect(api.invoke('app.getState', {})).resolves.toEqual({ phase: 'locked' });
    expect(f.calls).toEqual([['app.getState', {}]]);
  });

  it('sends {} when input is omitted', async () => {
    const f = fakeTransport();
    await createPreloadApi(f.t).invoke('node.status');
    expect(f.calls).toEqual([['node.status', {}]]);
  });

  it('rejects unknown methods before anything crosses IPC', async () => {
    const f = fakeTransport();
    const api = createPreloadApi(f.t);
    for (const m of ['nope', '__proto__', 'constructor', 'toString', 42, null, undefined]) {
      await expect(api.invoke(m, {})).rejects.toMatchObject({ name: 'BridgeError', code: 'UNKNOWN_METHOD' });
    }
    expect(f.calls).toEqual([]);
  });

  it('turns {ok:false} into a plain {code,message} object (survives contextBridge)', async () => {
    const f = fakeTransport(() => ({ ok: false, error: { code: 'WRONG_PASSWORD', message: 'That password is not correct.' } }));
    const err = await createPreloadApi(f.t).invoke('account.unlock', { password: 'x' }).catch((e: unknown) => e);
    expect(err).toEqual({ name: 'BridgeError', code: 'WRONG_PASSWORD', message: 'That password is not correct.' });
    expect(Object.getPrototypeOf(err)).toBe(Object.prototype);
  });

  it('maps transport failures to stable codes', async () => {
    const noHandler = createPreloadApi({ ...fakeTransport().t, invoke: () => Promise.reject(new Error("No handler registered for 'bitunicom:invoke'")) });
    await expect(noHandler.invoke('app.getState', {})).rejects.toMatchObject({ code: 'NOT_RUNNING' });
    const broken = createPreloadApi({ ...fakeTransport().t, invoke: () => Promise.reject(new Error('Error invoking remote method: boom')) });
    await expect(broken.invoke('app.getState', {})).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});

describe('unwrapCallResult', () => {
  it('returns results, throws errors and refuses malformed replies', () => {
    expect(unwrapCallResult({ ok: true, result: 0 })).toBe(0);
    expect(unwrapCallResult({ ok: true, result: undefined })).toBeUndefined();
    expect(() => unwrapCallResult({ ok: false, error: { code: 'LOCKED', message: 'm' } })).toThrow(
      expect.objectContaining({ code: 'LOCKED', message: 'm' }) as unknown as Error,
    );
    for (const bad of [null, undefined, 'x', {}, { ok: true }, { ok: false }, { ok: false, error: { code: 1, message: 'm' } }, { ok: 'yes', result: 1 }]) {
      let thrown: unknown;
      try {
        unwrapCallResult(bad);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toMatchObject({ code: 'INTERNAL' });
    }
  });

  it('never lets an unknown code or a huge message through', () => {
    expect(rendererError('MADE_UP', 'x').code).toBe('INTERNAL');
    expect(rendererError('BAD_INPUT', 'y'.repeat(5000)).message).toHaveLength(1000);
    expect(transportError('weird').code).toBe('INTERNAL');
  });
});

describe('on', () => {
  const contact = { address: '0x52908400098527886E0F7030069857D2E4169EE7', name: 'A' };

  it('delivers only the subscribed contract event, through one IPC listener', () => {
    const f = fakeTransport();
    const api = createPreloadApi(f.t);
    const a = vi.fn();
    const b = vi.fn();
    api.on('contact.updated', a);
    api.on('message.added', b);
    f.emit({ event: 'contact.updated', payload: contact });
    f.emit({ event: 'not.an.event', payload: 1 });
    f.emit({ event: 'toString', payload: 1 });
    f.emit('garbage');
    f.emit(null);
    expect(a).toHaveBeenCalledExactlyOnceWith(contact);
    expect(b).not.toHaveBeenCalled();
    expect(f.counts().subscriptions).toBe(1);
  });

  it('rejects unknown events and non-function listeners without subscribing', () => {
    const f = fakeTransport();
    const api = createPreloadApi(f.t);
    expect(() => api.on('nope', () => {})).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }) as unknown as Error);
    expect(() => api.on('__proto__', () => {})).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }) as unknown as Error);
    expect(() => api.on('message.added', 'not a function')).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }) as unknown as Error);
    expect(f.counts().subscriptions).toBe(0);
  });

  it('unsubscribes idempotently and drops the IPC listener when the last one leaves', () => {
    const f = fakeTransport();
    const api = createPreloadApi(f.t);
    const a = vi.fn();
    const b = vi.fn();
    const offA = api.on('contact.updated', a);
    const offB = api.on('contact.updated', b);
    offA();
    offA();
    f.emit({ event: 'contact.updated', payload: contact });
    expect(a).not.toHaveBeenCalled();
    expect(b).toHaveBeenCalledOnce();
    offB();
    expect(f.counts()).toEqual({ subscriptions: 1, stops: 1, listening: false });
    api.on('contact.updated', a);
    expect(f.counts().subscriptions).toBe(2);
  });

  it('isolates a throwing listener', () => {
    const f = fakeTransport();
    const report = vi.fn();
    const api = createPreloadApi(f.t, report);
    const good = vi.fn();
    api.on('contact.updated', () => {
      throw new Error('ui bug');
    });
    api.on('contact.updated', good);
    f.emit({ event: 'contact.updated', payload: contact });
    expect(good).toHaveBeenCalledOnce();
    expect(report).toHaveBeenCalledOnce();
  });
});

describe('preload media channel', () => {
  const frame = (n: number) => {
    const f = new Uint8Array(48 + n);
    f[0] = 0x4d;
    return f;
  };
  it('forwards Uint8Array frames both ways and refuses anything else', () => {
    const f = fakeTransport();
    const api = createPreloadApi(f.t);
    api.media.send(frame(10));
    expect(f.sentMedia).toHaveLength(1);
    expect(() => api.media.send('hello')).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    expect(() => api.media.send(frame(0))).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    expect(() => api.media.send(frame(512 * 1024 + 1))).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    expect(f.sentMedia).toHaveLength(1);
    const got: Uint8Array[] = [];
    const off = api.media.on((x: Uint8Array) => got.push(x));
    expect(f.mediaListening()).toBe(true);
    f.emitMedia(frame(5));
    f.emitMedia('not bytes');
    expect(got).toHaveLength(1);
    expect(got[0]!.length).toBe(53);
    off();
    expect(f.mediaListening()).toBe(false);
  });
});
