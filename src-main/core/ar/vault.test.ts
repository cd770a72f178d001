import { describe, expect, it } from 'vitest';
import { MAX_PAYLOAD } from '../session';
import { AR_TAG, ArErr, Msg, VAULT_MAX_BLOB } from './constants';
import { decodeArMessage, encodeArMessage, type ArMessage } from './messages';
import { makeIdentity, startClient, startRouter, waitFor, closeAfterEach } from './test-helpers';

const track = closeAfterEach();
const blob = (n: number, fill = 1) => new Uint8Array(n).fill(fill);
const any = () => true;

describe('vault messages', () => {
  const samples: ArMessage[] = [
    { t: Msg.VAULT_PUT, req: 1, version: 1_700_000_000_123, blob: blob(3) },
    { t: Msg.VAULT_PUT, req: 2, version: Number.MAX_SAFE_INTEGER, blob: blob(VAULT_MAX_BLOB) },
    { t: Msg.VAULT_STORED, req: 1, version: 0 },
    { t: Msg.VAULT_GET, req: 0xffffffff },
    { t: Msg.VAULT, req: 4, version: 42, blob: blob(100, 9) },
    { t: Msg.ERROR, req: 4, code: ArErr.NOT_FOUND },
  ];

  it('round-trip, tagged 0xA7, within one session payload', () => {
    for (const m of samples) {
      const b = encodeArMessage(m);
      expect([b[0], b[1]]).toEqual([AR_TAG, m.t]);
      expect(b.length).toBeLessThanOrEqual(MAX_PAYLOAD);
      expect(decodeArMessage(b)).toEqual(m);
    }
  });

  it('decode strictly: short bodies, trailing bytes, empty or oversized blobs, huge versions', () => {
    const stored = encodeArMessage({ t: Msg.VAULT_STORED, req: 1, version: 5 });
    expect(decodeArMessage(stored.subarray(0, stored.length - 1))).toBeNull();
    expect(decodeArMessage(Uint8Array.from([...stored, 0]))).toBeNull();
    const get = encodeArMessage({ t: Msg.VAULT_GET, req: 1 });
    expect(decodeArMessage(get.subarray(0, 5))).toBeNull();
    expect(decodeArMessage(Uint8Array.from([...get, 0]))).toBeNull();
    for (const t of [Msg.VAULT_PUT, Msg.VAULT]) {
      const head = encodeArMessage({ t, req: 1, version: 5, blob: blob(1) }).subarray(0, 14);
      expect(decodeArMessage(head)).toBeNull(); // no blob at all
      expect(decodeArMessage(Uint8Array.from([...head, ...blob(VAULT_MAX_BLOB + 1)]))).toBeNull();
      expect(decodeArMessage(head.subarray(0, 10))).toBeNull(); // version cut short
      const huge = Uint8Array.from([...head.subarray(0, 6), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1]);
      expect(decodeArMessage(huge)).toBeNull(); // > 2^53
      expect(() => encodeArMessage({ t, req: 1, version: 1, blob: new Uint8Array(0) })).toThrow();
      expect(() => encodeArMessage({ t, req: 1, version: 1, blob: blob(VAULT_MAX_BLOB + 1) })).toThrow();
    }
  });
});

describe('router vault over sessions', () => {
  it('stores per authenticated identity: PUT/GET, highest version wins, another identity reads and overwrites nothing', async () => {
    const r = await track(startRouter());
    const alice = makeIdentity();
    const a = await track(startClient({ identity: alice, routers: () => [r.hint] }));
    await a.ar.start();
    expect(await a.ar.vaultGet([], any)).toBeNull(); // NOT_FOUND
    expect(await a.ar.vaultPut(blob(1000, 1), 10)).toBe(1);
    expect(await a.ar.vaultPutReport(blob(1000, 2), 9)).toEqual([{ router: r.id.address, version: 10 }]); // stale: kept 10
    expect(await a.ar.vaultPut(blob(1000, 2), 9)).toBe(0);
    const got = await a.ar.vaultGet([], any);
    expect(got?.version).toBe(10);
    expect(got?.router).toBe(r.id.address);
    expect([...got!.blob.subarray(0, 3)]).toEqual([1, 1, 1]);

    // Mallory is registered too, but the router keys the vault by the session identity
    const m = await track(startClient({ routers: () => [r.hint] }));
    await m.ar.start();
    expect(await m.ar.vaultGet([], any)).toBeNull();
    expect(await m.ar.vaultPut(blob(10, 7), 99)).toBe(1); // her own slot
    expect((await a.ar.vaultGet([], any))?.version).toBe(10);
    expect((await m.ar.vaultGet([], any))?.version).toBe(99);
    expect(r.server.stats().vault).toMatchObject({ stored: 2, unchanged: 2 });

    // the caller's verify decides what counts
    expect(await a.ar.vaultGet([], () => false)).toBeNull();
  });

  it('a new machine holding the key gets the blob, also from a router it is not registered with (via)', async () => {
    const home = await track(startRouter());
    const old = await track(startRouter());
    const bob = makeIdentity();
    const b1 = await track(startClient({ identity: bob, routers: () => [old.hint] }));
    await b1.ar.start();
    expect(await b1.ar.vaultPut(blob(500, 3), 1234)).toBe(1);
    await b1.close();

    const b2 = await track(startClient({ identity: bob, routers: () => [home.hint] }));
    await b2.ar.start();
    expect(b2.ar.connectedRouters().map((x) => x.address)).toEqual([home.id.address]);
    expect(await b2.ar.vaultGet([], any)).toBeNull();
    const got = await b2.ar.vaultGet([old.endpoint], any);
    expect(got).toMatchObject({ router: old.id.address, version: 1234 });
    // the highest valid version wins across routers
    expect(await b2.ar.vaultPut(blob(500, 4), 2000)).toBe(1);
    expect((await b2.ar.vaultGet([old.endpoint], any))?.version).toBe(2000);
    expect((await b2.ar.vaultGet([old.endpoint], (_b, v) => v < 2000))?.version).toBe(1234);
  });

  it('refuses clients that did not register', async () => {
    const r = await track(startRouter());
    const c = await track(startClient());
    // a bare session with the router, no REGISTER
    await c.sessions.connect({ address: r.id.address }, [r.endpoint], 3000);
    const replies: ArMessage[] = [];
    c.sessions.on('message', ({ data }) => {
      const m = decodeArMessage(data);
      if (m) replies.push(m);
    });
    c.sessions.send(r.id.address, () => encodeArMessage({ t: Msg.VAULT_PUT, req: 1, version: 1, blob: blob(5) }));
    c.sessions.send(r.id.address, () => encodeArMessage({ t: Msg.VAULT_GET, req: 2 }));
    await waitFor(() => replies.length === 2, 3000);
    expect(replies).toEqual([
      { t: Msg.ERROR, req: 1, code: ArErr.NOT_REGISTERED },
      { t: Msg.ERROR, req: 2, code: ArErr.NOT_REGISTERED },
    ]);
  });
});
