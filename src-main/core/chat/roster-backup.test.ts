import { afterEach, describe, expect, it } from 'vitest';
import { TypedEmitter, waitFor, sleep, type Logger } from '../base';
import { identityFromPrivateKey, type Identity } from '../account';
import { generatePrivateKey } from '../crypto';
import type { Endpoint } from '../net';
import type { ContactRow, ContactState, Store } from '../store';
import { tempStore, type TempStore } from '../store/test-util';
import type { ChatEvents, ChatService } from './chat-service';
import { Kind } from './payload';
import { RosterBackup, type RosterPort, type RosterTiming } from './roster-backup';
import { openRoster, sealRoster, type RosterContact } from './roster-blob';

const timing: Partial<RosterTiming> = { debounceMs: 20, retryMs: 20, restoreForMs: 400, holdUnknownMs: 300 };
const stores: TempStore[] = [];
const running: RosterBackup[] = [];
afterEach(() => {
  for (const r of running.splice(0)) r.stop();
  for (const s of stores.splice(0)) s.cleanup();
});

const someone = (): Identity => identityFromPrivateKey(generatePrivateKey());

/** The parts of ChatService the backup uses, recording what it sends. */
class FakeChat extends TypedEmitter<ChatEvents> {
  readonly sent: Array<[string, number]> = [];
  readonly unknown: string[] = [];
  readonly contacts: string[] = [];
  roster: RosterBackup | null = null;
  clock = { now: 1_800_000_000_000 };
  readonly now = () => this.clock.now;
  constructor(
    readonly store: Store,
    readonly identity: Identity,
    readonly logger: Logger,
  ) {
    super();
  }
  emitContact(r: ContactRow): void {
    this.contacts.push(`${r.address}:${r.state}`);
    this.emit('contact', { address: r.address } as ChatEvents['contact']);
  }
  sendControl(c: ContactRow, kind: number): boolean {
    this.sent.push([c.address, kind]);
    return true;
  }
  sendUnknown(peer: string): void {
    if (!this.roster?.holdUnknown(peer)) this.unknown.push(peer);
  }
}

/** Routers' vaults in memory, with the highest-version rule of ar/vault-store.ts. */
class FakeRouters implements RosterPort {
  readonly held = new Map<string, { version: number; blob: Uint8Array }>();
  readonly puts: Array<{ router: string; version: number }> = [];
  homes: string[] = [];
  /** endpoint key → router address, for `via` */
  readonly at = new Map<string, string>();
  previous: Endpoint[] = [];
  private listeners: Array<() => void> = [];
  putRoster(version: number, blob: Uint8Array, routers?: readonly string[]) {
    return Promise.resolve(
      this.homes
        .filter((h) => !routers || routers.includes(h))
        .map((router) => {
          this.puts.push({ router, version });
          const h = this.held.get(router);
          if (!h || version > h.version) this.held.set(router, { version, blob });
          return { router, version: this.held.get(router)!.version };
        }),
    );
  }
  getRoster(via: Endpoint[], verify: (blob: Uint8Array, version: number) => boolean) {
    const asked = [...this.homes, ...via.map((e) => this.at.get(`${e.host}:${e.port}`)).filter((x): x is string => !!x)];
    let best: { router: string; version: number; blob: Uint8Array } | null = null;
    for (const router of asked) {
      const h = this.held.get(router);
      let ok = false;
      try {
        ok = !!h && verify(h.blob, h.version);
      } catch {
        /* invalid copy */
      }
      if (h && ok && (!best || h.version > best.version)) best = { router, ...h };
    }
    return Promise.resolve(best);
  }
  homeRouters() {
    return [...this.homes];
  }
  previousRouters() {
    return Promise.resolve(this.previous);
  }
  onRoutersChanged(cb: () => void) {
    this.listeners.push(cb);
    return () => void (this.listeners = this.listeners.filter((l) => l !== cb));
  }
  hasRouters() {
    return true;
  }
  changed(): void {
    for (const l of this.listeners) l();
  }
}

type Logged = Array<[string, string]>;
function logger(into: Logged): Logger {
  const f = (lvl: string) => (msg: string) => void into.push([lvl, msg]);
  return { debug: f('debug'), info: f('info'), warn: f('warn'), error: f('error') };
}

function setup(o: { store?: TempStore; identity?: Identity; port?: FakeRouters } = {}) {
  const ts = o.store ?? tempStore();
  if (!o.store) stores.push(ts);
  const logs: Logged = [];
  const chat = new FakeChat(ts.store, o.identity ?? someone(), logger(logs));
  const port = o.port ?? new FakeRouters();
  const backup = new RosterBackup(chat as unknown as ChatService, port, chat.logger, timing);
  chat.roster = backup;
  running.push(backup);
  return { ts, chat, port, backup, logs };
}

function addContact(store: Store, state: ContactState, name = 'Friend', endpoints: Endpoint[] = []): ContactRow {
  const id = someone();
  const row = store.contacts.upsert({ address: id.address, publicKey: id.publicKey, name, state });
  endpoints.forEach((e, i) => store.endpoints.put(id.address, e.host, e.port, 'observed', 100 + i));
  return row;
}

describe('roster backup', () => {
  it('uploads once per debounce window after contact changes; versions only grow, also across restarts', async () => {
    const { ts, chat, port, backup } = setup();
    port.homes = ['R1'];
    backup.start(false);
    const alice = addContact(ts.store, 'friend', 'Alice', [{ host: '203.0.113.1', port: 7001 }]);
    ts.store.endpoints.put(alice.address, '203.0.113.99', 4444, 'ping', 200); // a NAT mapping: not backed up
    for (let i = 0; i < 3; i++) chat.emitContact(alice);
    await waitFor(() => port.puts.length === 1, 2000);
    await sleep(60);
    expect(port.puts).toHaveLength(1);
    const v1 = port.puts[0]!.version;
    expect(v1).toBe(chat.clock.now);
    const got = openRoster(port.held.get('R1')!.blob, chat.identity);
    expect(got.contacts.map((c) => [c.address, c.name, c.state, c.endpoints])).toEqual([[alice.address, 'Alice', 'friend', [{ host: '203.0.113.1', port: 7001 }]]]);
    expect(backup.status()).toMatchObject({ version: v1, routers: 1, restoring: false });

    // an event without a change uploads nothing; a rename does
    chat.emitContact(alice);
    await sleep(80);
    expect(port.puts).toHaveLength(1);
    chat.emitContact(ts.store.contacts.rename(alice.address, 'Alice B.'));
    await waitFor(() => port.puts.length === 2, 2000);
    const v2 = port.puts[1]!.version;
    expect(v2).toBeGreaterThan(v1);

    // restart with the clock set back: the counter in the store still moves forward
    backup.stop();
    const again = setup({ store: ts, identity: chat.identity, port });
    again.chat.clock.now = 1_000;
    again.backup.start(false);
    port.changed();
    await waitFor(() => port.puts.length === 3, 2000);
    expect(port.puts[2]!.version).toBe(v2 + 1);
  });

  it('sends the latest copy to a router registered later, not again to one that holds it', async () => {
    const { ts, chat, port, backup } = setup();
    port.homes = ['R1'];
    backup.start(false);
    chat.emitContact(addContact(ts.store, 'friend'));
    await waitFor(() => port.puts.length === 1, 2000);
    port.homes = ['R1', 'R2'];
    port.changed();
    await waitFor(() => port.puts.length === 2, 2000);
    expect(port.puts.map((p) => p.router)).toEqual(['R1', 'R2']);
    expect(port.puts[1]!.version).toBe(port.puts[0]!.version);
    port.changed();
    await sleep(80);
    expect(port.puts).toHaveLength(2);
    expect(backup.status().routers).toBe(2);
  });

  it('a newer copy written by another machine raises our counter above it', async () => {
    const { ts, chat, port, backup } = setup();
    port.homes = ['R1'];
    port.held.set('R1', { version: chat.clock.now + 1_000_000, blob: sealRoster(chat.identity, { version: chat.clock.now + 1_000_000, contacts: [] }) });
    backup.start(false);
    chat.emitContact(addContact(ts.store, 'friend'));
    await waitFor(() => port.puts.length === 1, 2000);
    expect(port.held.get('R1')!.version).toBe(chat.clock.now + 1_000_000); // refused: older
    chat.emitContact(addContact(ts.store, 'pending_out'));
    await waitFor(() => port.puts.length === 2, 2000);
    expect(port.puts[1]!.version).toBe(chat.clock.now + 1_000_001);
    expect(openRoster(port.held.get('R1')!.blob, chat.identity).contacts).toHaveLength(2);
  });

  it('restores into an empty profile: one merge (the user’s rows win; a request from a roster friend becomes a friend), ACCEPT to friends, no upload before', async () => {
    const { ts, chat, port, backup, logs } = setup();
    const alice = someone();
    const carol = someone();
    const dave = someone();
    const c = (id: Identity, name: string, state: ContactState, endpoints: Endpoint[] = []): RosterContact => ({ address: id.address, publicKey: id.publicKey, name, state, endpoints });
    const old = 1_700_000_000_000;
    port.held.set('OLD', {
      version: old,
      blob: sealRoster(chat.identity, {
        version: old,
        contacts: [c(alice, 'Alice', 'friend', [{ host: '198.51.100.7', port: 7001 }]), c(carol, 'Carol', 'blocked'), c(dave, 'Dave', 'friend')],
      }),
    });
    port.at.set('192.0.2.1:7000', 'OLD');
    backup.start(true);
    expect(backup.status().restoring).toBe(true);
    // meanwhile: the user adds Carol, Dave asks us (he got no answer he recognised)
    ts.store.contacts.upsert({ address: carol.address, publicKey: carol.publicKey, name: 'Carol (mine)', state: 'pending_out' });
    chat.emitContact(ts.store.contacts.get(carol.address)!);
    ts.store.contacts.upsert({ address: dave.address, publicKey: dave.publicKey, name: 'dave', state: 'pending_in' });
    await sleep(60);
    expect(port.puts).toEqual([]); // never over the backup we are about to fetch
    port.homes = ['R1']; // registered, but the backup is at the router of our previous record
    port.previous = [{ host: '192.0.2.1', port: 7000 }];
    port.changed();
    await waitFor(() => !backup.status().restoring, 2000);

    const get = (id: Identity) => ts.store.contacts.get(id.address)!;
    expect([get(alice).name, get(alice).state]).toEqual(['Alice', 'friend']);
    expect(ts.store.endpoints.list(alice.address).map((e) => `${e.host}:${e.port}`)).toEqual(['198.51.100.7:7001']);
    expect([get(carol).name, get(carol).state]).toEqual(['Carol (mine)', 'pending_out']);
    expect([get(dave).name, get(dave).state]).toEqual(['dave', 'friend']);
    expect(chat.sent.sort()).toEqual([[alice.address, Kind.ACCEPT], [dave.address, Kind.ACCEPT]].sort());
    expect(chat.contacts).toEqual(expect.arrayContaining([`${alice.address}:friend`, `${dave.address}:friend`]));
    expect(backup.status()).toMatchObject({ restoredAt: chat.clock.now, contacts: 2 });
    expect(logs).toContainEqual(['info', 'roster: restored the contact list from a router']);
    // then the merged list is backed up, above the restored version
    await waitFor(() => port.puts.length > 0, 2000);
    expect(port.puts[0]!.version).toBeGreaterThan(old);
    expect(openRoster(port.held.get('R1')!.blob, chat.identity).contacts).toHaveLength(3);
  });

  it('holds UNKNOWN while a backup may come; tells the held peers once the routers have none', async () => {
    const { chat, port, backup } = setup();
    backup.start(true);
    chat.sendUnknown('0x1111111111111111111111111111111111111111');
    expect(chat.unknown).toEqual([]);
    port.homes = ['R1']; // registered: nothing there
    port.changed();
    await waitFor(() => chat.unknown.length === 1, 2000);
    chat.sendUnknown('0x2222222222222222222222222222222222222222');
    expect(chat.unknown).toHaveLength(2);
    expect(backup.status().restoring).toBe(true); // still fetching (other routers may have one)
    chat.clock.now += 1000; // past restoreForMs
    await waitFor(() => !backup.status().restoring, 2000);
    expect(port.puts).toEqual([]); // an empty new account has nothing to back up
  });

  it('ignores invalid copies and copies for another account', async () => {
    const { chat, port, backup } = setup();
    port.homes = ['R1', 'R2'];
    const good = sealRoster(chat.identity, { version: 5, contacts: [] });
    const bad = good.slice();
    bad[50]! ^= 1;
    port.held.set('R1', { version: 9, blob: bad });
    port.held.set('R2', { version: 7, blob: sealRoster(someone(), { version: 7, contacts: [] }) });
    backup.start(true);
    await sleep(60);
    chat.clock.now += 1000;
    await waitFor(() => !backup.status().restoring, 2000);
    expect(backup.status().restoredAt).toBeNull();
    port.held.set('R2', { version: 6, blob: good }); // claims 6, holds 5: refused too
    expect(await port.getRoster([], (b, v) => openRoster(b, chat.identity).version === v)).toBeNull();
  });

  it('drops endpoints first when the list does not fit, then refuses with a logged error', async () => {
    const { ts, chat, port, backup, logs } = setup();
    port.homes = ['R1'];
    const eps = [
      { host: '203.0.113.4', port: 7001 },
      { host: '198.51.100.200', port: 65000 },
      { host: '192.168.100.100', port: 40000 },
      { host: '10.200.200.200', port: 50000 },
    ];
    ts.store.tx(() => {
      for (let i = 0; i < 250; i++) addContact(ts.store, 'friend', 'A friend with a longish name', eps);
    });
    backup.start(false);
    port.changed();
    await waitFor(() => port.puts.length === 1, 5000);
    const r = openRoster(port.held.get('R1')!.blob, chat.identity);
    expect(r.contacts).toHaveLength(250);
    expect(r.contacts.every((c) => c.endpoints.length === 0)).toBe(true);
    expect(logs.some(([lvl, m]) => lvl === 'warn' && /without them/.test(m))).toBe(true);
    ts.store.tx(() => {
      for (let i = 0; i < 250; i++) addContact(ts.store, 'friend', 'A friend with a longish name');
    });
    chat.emitContact(ts.store.contacts.list()[0]!);
    await waitFor(() => logs.some(([lvl, m]) => lvl === 'error' && /too large/.test(m)), 5000);
    expect(port.puts).toHaveLength(1);
  });
});
