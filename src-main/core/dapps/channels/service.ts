/**
 * @module dapps/channels/service
 * Dapp P2P channels (seed 000: "dapps talk to friends" — any pair of nodes can exchange any
 * form of data; every dapp has its own application id) over the end-to-end friend sessions.
 *
 * A frame for app X is handed only to app X here, and only if the sender is a friend
 * (contacts state 'friend'), app X is installed, and we granted that friend for app X;
 * anything else is dropped silently and counted (`stats()`). The friend's side applies the
 * same rules, so a message arrives only when both sides granted each other. Grants live in
 * GrantBook (store.settings); OPEN on every new session resyncs them, and streams (stream.ts)
 * make DATA reliable and ordered while a session lives. Events for the dapp (EIP-1193
 * `message`, `{type: 'bitunicom_channel', data: ChannelEvent}`) go out through `events`.
 */
import { BuError, TypedEmitter } from '../../base';
import { RateLimiter } from '../../net';
import { CloseReason, FrameKind, HAVE_GRANTED, decodeFrame, encodeData, encodeFrame, type Frame, type FrameKindT } from './codec';
import { GrantBook, type PeerGrant } from './grants';
import { InStream, OutStream } from './stream';
import type { ChannelDeps, ChannelEvent, ChannelEvents, ChannelFriend, DropReason, FriendState, Invitation } from './types';

export { CHANNEL_MESSAGE_TYPE } from './types';
export type { ChannelDeps, ChannelEvent, ChannelEvents, ChannelFriend, ChannelTransport, DropReason, FriendState, Invitation } from './types';

type Pair = { out: OutStream; in: InStream; open: boolean };
type ProbeWaiter = { seen: Set<string>; expect: number; done: () => void };

const lc = (a: string) => a.toLowerCase();

export class ChannelService {
  readonly events = new TypedEmitter<ChannelEvents>();
  readonly grants: GrantBook;
  private readonly pairs = new Map<string, Pair>();
  private readonly dropped = new Map<DropReason, number>();
  private readonly inFriend = new RateLimiter({ ratePerSec: 400, burst: 800 });
  private readonly inPair = new RateLimiter({ ratePerSec: 200, burst: 400 });
  private readonly probesIn = new RateLimiter({ ratePerSec: 5, burst: 20 });
  private readonly outPair = new RateLimiter({ ratePerSec: 100, burst: 200 });
  private readonly probeWaiters = new Map<string, Set<ProbeWaiter>>();
  private readonly now: () => number;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly d: ChannelDeps) {
    this.grants = new GrantBook(d.kv);
    this.now = d.now ?? Date.now;
    this.events.onListenerError = (e) => d.logger.warn('channel event listener failed', { error: String(e) });
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.d.tickMs ?? 200);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const p of this.pairs.values()) p.out.reset();
  }

  /** Frames dropped so far, by reason. */
  stats(): Record<DropReason, number> {
    const keys: DropReason[] = ['malformed', 'not-friend', 'not-installed', 'not-granted', 'rate-limited', 'out-of-order', 'duplicate', 'stale-stream'];
    return Object.fromEntries(keys.map((k) => [k, this.dropped.get(k) ?? 0])) as Record<DropReason, number>;
  }

  // ---- what the dapp (through the provider) asks -------------------------------------------

  /** Friends who have the app (asked now with PROBE, or known from before) or a grant either way. */
  async candidates(appId: string): Promise<(ChannelFriend & { online: boolean })[]> {
    const online = this.d.friends().filter((f) => this.d.transport.isConnected(f.address));
    const waiter: ProbeWaiter = { seen: new Set(), expect: online.length, done: () => {} };
    const answered = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.d.probeMs ?? 800);
      waiter.done = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    const waiters = this.probeWaiters.get(appId) ?? new Set<ProbeWaiter>();
    waiters.add(waiter);
    this.probeWaiters.set(appId, waiters);
    for (const f of online) this.frame(f.address, FrameKind.PROBE, appId);
    if (online.length === 0) waiter.done();
    await answered;
    waiters.delete(waiter);
    if (waiters.size === 0) this.probeWaiters.delete(appId);
    const seen = waiter.seen;
    return this.d
      .friends()
      .filter((f) => {
        const g = this.grants.get(appId, f.address);
        return seen.has(lc(f.address)) || g.hasAppAt !== null || g.me || g.them;
      })
      .map((f) => ({ ...f, online: this.d.transport.isConnected(f.address) }));
  }

  /** The user granted these friends: persist, and OPEN to those online. */
  grant(appId: string, friends: string[]): void {
    for (const f of friends) {
      if (!this.d.friend(f)) throw new BuError('NOT_FRIEND', `${f} is not a friend`);
    }
    for (const f of friends) {
      this.grants.update(appId, f, (g) => {
        if (!g.me) g.grantedAt = this.now();
        g.me = true;
        g.invitedAt = null;
      });
      this.frame(f, FrameKind.OPEN, appId);
    }
    this.events.emit('changed', { appId });
  }

  /** Revokes one friend's grant (or all of this app's): CLOSE to them, stop delivery. */
  revoke(appId: string, friend?: string): void {
    const targets = friend ? [lc(friend)] : this.grants.list(appId).filter(([, g]) => g.me).map(([a]) => a);
    for (const f of targets) {
      this.grants.update(appId, f, (g) => {
        g.me = false;
        g.grantedAt = null;
      });
      const p = this.pairs.get(this.pairKey(appId, f));
      if (p) {
        p.open = false;
        p.out.reset();
      }
      this.frame(f, FrameKind.CLOSE, appId, CloseReason.REVOKED);
    }
    this.events.emit('changed', { appId });
  }

  /** The app was uninstalled: CLOSE to every friend that knew, forget its grants. */
  forgetApp(appId: string): void {
    for (const [f, g] of this.grants.list(appId)) {
      if (g.me || g.them) this.frame(f, FrameKind.CLOSE, appId, CloseReason.UNINSTALLED);
      this.pairs.get(this.pairKey(appId, f))?.out.reset();
      this.pairs.delete(this.pairKey(appId, f));
    }
    this.grants.forgetApp(appId);
    this.events.emit('changed', { appId });
  }

  /** Granted friends (with their side's state) and invitations. */
  friendsOf(appId: string): { friends: FriendState[]; invitations: Invitation[] } {
    const friends: FriendState[] = [];
    const invitations: Invitation[] = [];
    for (const [addr, g] of this.grants.list(appId)) {
      const f = this.d.friend(addr);
      if (!f) continue;
      const online = this.d.transport.isConnected(f.address);
      if (g.me) friends.push({ ...f, online, granted: true, grantedByThem: g.them, open: online && g.them && (this.pairs.get(this.pairKey(appId, addr))?.open ?? false) });
      else if (g.them) invitations.push({ ...f, online, at: g.invitedAt ?? 0 });
    }
    return { friends, invitations };
  }

  /** Friends we granted for this app (dapps.connections). */
  grantedFriends(appId: string): ChannelFriend[] {
    return this.grants
      .list(appId)
      .filter(([, g]) => g.me)
      .map(([a]) => this.d.friend(a))
      .filter((f): f is ChannelFriend => f !== null);
  }

  /** Sends one JSON value; resolves when the friend's node acknowledged it (or not, by the deadline). */
  async send(appId: string, to: string, data: unknown): Promise<{ delivered: boolean }> {
    const body = encodeData(data);
    const friend = this.d.friend(to);
    if (!friend) throw new BuError('NOT_FRIEND', `${to} is not a friend`);
    if (!this.d.installed(appId)) throw new BuError('NOT_INSTALLED', 'this dapp is not installed');
    const g = this.grants.get(appId, to);
    if (!g.me) throw new BuError('PERMISSION_DENIED', `${friend.name} has no channel grant for this dapp: ask with bitunicom_requestChannel first`);
    if (!this.outPair.take(this.pairKey(appId, to), this.now())) throw new BuError('BUSY', 'too many channel messages to this friend: slow down');
    if (!g.them || !this.d.transport.isConnected(friend.address)) return { delivered: false };
    const pair = this.pair(appId, friend.address);
    return new Promise((resolve) => {
      if (!pair.out.push(body, (delivered) => resolve({ delivered }), this.now())) {
        resolve({ delivered: false });
      }
    });
  }

  // ---- what the network brings ------------------------------------------------------------

  /** A new friend session: resync every app we share with this friend (OPEN / CLOSE). */
  onSessionUp(address: string): void {
    if (!this.d.friend(address)) return;
    for (const appId of this.grants.friendApps(address)) {
      const g = this.grants.get(appId, address);
      const installed = this.d.installed(appId);
      if (g.me && installed) this.frame(address, FrameKind.OPEN, appId);
      else if (g.me || g.them) this.frame(address, FrameKind.CLOSE, appId, installed ? CloseReason.REVOKED : CloseReason.UNINSTALLED);
    }
  }

  /** The friend session ended: waiting sends fail, dapps hear 'offline'. */
  onSessionDown(address: string): void {
    const friend = this.d.friend(address);
    for (const [key, p] of this.pairs) {
      if (!key.endsWith(`|${lc(address)}`)) continue;
      p.out.reset();
      if (p.open && friend) this.dapp(key.slice(0, 42), { kind: 'offline', from: friend.address, name: friend.name });
      p.open = false;
    }
  }

  /** One 0xc1 payload from the session of `from`. */
  onPayload(from: string, payload: Uint8Array): void {
    let f: Frame;
    try {
      f = decodeFrame(payload);
    } catch (e) {
      this.drop('malformed', from, { error: (e as Error).message });
      return;
    }
    const friend = this.d.friend(from);
    if (!friend) return this.drop('not-friend', from);
    const now = this.now();
    if (!this.inFriend.take(lc(from), now) || !this.inPair.take(this.pairKey(f.appId, from), now)) return this.drop('rate-limited', from);
    if (f.kind === FrameKind.PROBE && !this.probesIn.take(lc(from), now)) return this.drop('rate-limited', from);
    if (!this.d.installed(f.appId)) return this.drop('not-installed', from, { appId: f.appId });
    this.apply(friend, f);
  }

  // ---- internals ----------------------------------------------------------------------------

  private apply(friend: ChannelFriend, f: Frame): void {
    const { appId } = f;
    const g = this.grants.get(appId, friend.address);
    switch (f.kind) {
      case FrameKind.PROBE:
        this.frame(friend.address, FrameKind.HAVE, appId, g.me ? HAVE_GRANTED : 0);
        return;
      case FrameKind.HAVE:
        for (const w of this.probeWaiters.get(appId) ?? []) {
          w.seen.add(lc(friend.address));
          if (w.seen.size >= w.expect) w.done();
        }
        this.remember(appId, friend.address, (r) => {
          r.hasAppAt = this.now();
          if ((f.flags & HAVE_GRANTED) !== 0 && !r.them) {
            r.them = true;
            r.invitedAt = r.me ? null : this.now();
          }
        });
        return;
      case FrameKind.OPEN:
      case FrameKind.ACCEPT:
        this.onGrantFrom(friend, appId, g, f.kind);
        return;
      case FrameKind.CLOSE: {
        this.remember(appId, friend.address, (r) => {
          r.them = false;
          r.invitedAt = null;
          if (f.flags === CloseReason.UNINSTALLED) r.hasAppAt = null; // no longer one to offer
        });
        const p = this.pairs.get(this.pairKey(appId, friend.address));
        if (p) {
          p.open = false;
          p.out.reset();
        }
        this.dapp(appId, { kind: 'close', from: friend.address, name: friend.name, reason: f.flags === CloseReason.UNINSTALLED ? 'uninstalled' : 'revoked' });
        this.events.emit('changed', { appId });
        return;
      }
      case FrameKind.ACK:
        if (!g.me) return this.drop('not-granted', friend.address);
        this.pairs.get(this.pairKey(appId, friend.address))?.out.ack(f.stream, f.seq, this.now());
        return;
      case FrameKind.DATA: {
        if (!g.me) return this.drop('not-granted', friend.address, { appId });
        const pair = this.pair(appId, friend.address);
        const { verdict, ack, deliver } = pair.in.accept(f.stream, f.seq, f.data);
        if (ack !== null) this.frame(friend.address, FrameKind.ACK, appId, 0, f.stream, ack);
        if (verdict !== 'deliver' && verdict !== 'buffered') return this.drop(verdict, friend.address);
        for (const value of deliver) this.dapp(appId, { kind: 'data', from: friend.address, name: friend.name, data: value });
        return;
      }
    }
  }

  /** OPEN or ACCEPT: the friend grants us. */
  private onGrantFrom(friend: ChannelFriend, appId: string, g: PeerGrant, kind: FrameKindT): void {
    const wasInvited = g.them && !g.me;
    this.remember(appId, friend.address, (r) => {
      r.them = true;
      r.hasAppAt = this.now();
      if (!r.me && r.invitedAt === null) r.invitedAt = this.now();
    });
    if (!g.me) {
      // not granted by us: an invitation (silent towards the friend); an ACCEPT means it still
      // believes we granted it, so it hears that we do not
      if (kind === FrameKind.ACCEPT) this.frame(friend.address, FrameKind.CLOSE, appId, CloseReason.REVOKED);
      if (!wasInvited) {
        this.dapp(appId, { kind: 'invite', from: friend.address, name: friend.name });
        this.events.emit('changed', { appId });
      }
      return;
    }
    if (kind === FrameKind.OPEN) this.frame(friend.address, FrameKind.ACCEPT, appId);
    const pair = this.pair(appId, friend.address);
    // an OPEN on a channel we think is open: the friend's side started over (its node
    // restarted, or its session did) — new stream, and our dapp resyncs too
    if (pair.open && kind === FrameKind.OPEN) pair.out.restart(this.now());
    if (!pair.open || kind === FrameKind.OPEN) {
      pair.open = true;
      this.dapp(appId, { kind: 'open', from: friend.address, name: friend.name });
    }
    if (!g.them) this.events.emit('changed', { appId });
  }

  private remember(appId: string, friend: string, change: (g: PeerGrant) => void): void {
    try {
      this.grants.update(appId, friend, change);
    } catch (e) {
      this.d.logger.warn('channel grant not recorded', { appId, error: String(e) });
    }
  }

  private pairKey(appId: string, friend: string): string {
    return `${appId}|${lc(friend)}`;
  }

  private pair(appId: string, friend: string): Pair {
    const key = this.pairKey(appId, friend);
    let p = this.pairs.get(key);
    if (!p) {
      const out = new OutStream((stream, seq, body) => this.frame(friend, FrameKind.DATA, appId, 0, stream, seq, body), this.d.deadlineMs);
      p = { out, in: new InStream(), open: false };
      this.pairs.set(key, p);
    }
    return p;
  }

  private frame(to: string, kind: FrameKindT, appId: string, flags = 0, stream = 0, seq = 0, body?: Uint8Array): void {
    this.d.transport.send(to, encodeFrame({ kind, appId, flags, stream, seq, body }));
  }

  private dapp(appId: string, event: ChannelEvent): void {
    this.events.emit('message', { appId, event });
  }

  private drop(reason: DropReason, from: string, extra: Record<string, unknown> = {}): void {
    this.dropped.set(reason, (this.dropped.get(reason) ?? 0) + 1);
    this.d.logger.debug('dapp channel frame dropped', { reason, from, ...extra });
  }

  private tick(): void {
    const now = this.now();
    for (const p of this.pairs.values()) p.out.tick(now);
  }
}
