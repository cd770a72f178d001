/**
 * @module call/call-service
 * Calls between friends: signalling over the friend session (signal.ts, repeated until
 * acknowledged), one call at a time, per-call keys (keys.ts) and the media path
 * (call-media.ts). States: outgoing | incoming → connecting → active ⇄ reconnecting → ended.
 *
 * Rules (README "Signalling"):
 * - only friends can ring us; an offer from anyone else is dropped unanswered;
 * - an offer while we are in another call is declined 'busy';
 * - both ringing each other at once ("glare"): the call with the lower id wins on both sides;
 *   the side whose offer lost takes the winning call at once (both wanted to talk);
 * - ringing stops after `ringTimeoutMs` (45 s): 'no-answer' for the caller, missed for the callee;
 *   an offer no one acknowledges within `unreachableMs` (20 s) ends 'unreachable';
 * - a connected call whose link drops (or whose media stops for 5 s) is 'reconnecting' while
 *   the node re-establishes the session (direct, punched or relayed: sessions roam, so media
 *   resumes on whatever path comes back); after `reconnectMs` (20 s) it ends 'failed'.
 */
import { randomBytes } from 'node:crypto';
import { BuError, PAYLOAD_TAG, TypedEmitter, toHex, type Logger } from '../base';
import { sameAddress } from '../crypto';
import type { CallRecordT, CallStatsT, CallT, CallTargetT } from '../../../src-preload/contract';
import { toCall, recordOf, type CallEntry, type LinkKind } from './call-record';
import { CallMedia } from './call-media';
import { ackBytes, ReliableSignals } from './reliable';
import { decodeSignal, encodeSignal, type Signal } from './signal';

export type CallHost = {
  /** Our identity address. */
  self: string;
  /** Sends one session payload to a peer; false when there is no session right now. */
  send(address: string, payload: Uint8Array): boolean;
  isConnected(address: string): boolean;
  /** A friend's display name, or null when the address is not a friend. */
  friend(address: string): { name: string } | null;
  link(address: string): LinkKind;
  /** Ask for a session to the friend (the chat connector: direct, punched or relayed). */
  connect(address: string): void;
  /** Leave the call in the conversation. */
  record(peer: string, record: CallRecordT, at: number): void;
  logger: Logger;
  now?: () => number;
  ringTimeoutMs?: number;
  unreachableMs?: number;
  reconnectMs?: number;
  /** Tests and experiments: drop this fraction of our outgoing media packets. */
  loss?: { rate: number; seed: number };
};

export type CallEvents = {
  changed: CallT;
  stats: CallStatsT;
  target: CallTargetT;
  /** An encoded frame for the renderer (contract/media.ts layout). */
  media: Uint8Array;
};

const MEDIA_SILENCE_MS = 5000;
const CLOSING_GRACE_MS = 5000;

export class CallService extends TypedEmitter<CallEvents> {
  private call: CallEntry | null = null;
  private signals: ReliableSignals | null = null;
  private media: CallMedia | null = null;
  /** Signals of ended calls still waiting for their acknowledgement (final hangup etc.). */
  private closing: Array<{ signals: ReliableSignals; until: number; id: string }> = [];
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private lastStatsAt = 0;

  constructor(private readonly host: CallHost) {
    super();
    this.now = host.now ?? Date.now;
  }

  start(): void {
    this.timer = setInterval(() => this.tick(), 100);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.call && this.call.state !== 'ended') this.hangupQuietly();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  current(): CallT | null {
    return this.call && this.call.state !== 'ended' ? this.view(this.call) : null;
  }

  // ── the user's actions ─────────────────────────────────────────────────────

  startCall(address: string, video: boolean): CallT {
    const f = this.host.friend(address);
    if (!f) throw new BuError('NOT_FRIEND', 'you can only call friends');
    if (this.current()) throw new BuError('BUSY', 'you are already in a call');
    const id = toHex(randomBytes(16));
    const c = this.newEntry(id, address, f.name, 'outgoing', video);
    this.media = new CallMedia({ callId: id, weAreCaller: true, self: this.host.self, peer: address, loss: this.host.loss, send: (p) => this.host.send(address, p), events: this });
    this.signals!.send({ t: 'offer', video, key: this.media.publicKeyHex() });
    this.host.connect(address);
    return this.changed(c);
  }

  answer(callId: string, video: boolean): CallT {
    const c = this.requireCall(callId);
    if (c.direction !== 'incoming' || c.state !== 'incoming') throw new BuError('BAD_INPUT', 'only a ringing incoming call can be answered');
    this.media = new CallMedia({ callId, weAreCaller: false, self: this.host.self, peer: c.peer, loss: this.host.loss, send: (p) => this.host.send(c.peer, p), events: this });
    this.media.agree(c.remoteKey!);
    c.camera = video;
    this.signals!.send({ t: 'answer', video, key: this.media.publicKeyHex() });
    this.enter(c, 'connecting');
    c.answeredAt = this.now();
    return this.changed(c);
  }

  decline(callId: string): CallT {
    const c = this.requireCall(callId);
    if (c.state !== 'incoming') throw new BuError('BAD_INPUT', 'only a ringing incoming call can be declined');
    this.signals!.send({ t: 'decline', reason: 'declined' });
    return this.end(c, 'declined');
  }

  hangup(callId: string): CallT {
    const c = this.requireCall(callId);
    if (c.state === 'incoming') return this.decline(callId);
    if (c.state === 'outgoing') {
      this.signals!.send({ t: 'cancel', reason: 'cancelled' });
      return this.end(c, 'cancelled');
    }
    this.signals!.send({ t: 'hangup' });
    return this.end(c, 'hangup');
  }

  setMedia(callId: string, patch: { muted?: boolean; camera?: boolean }): CallT {
    const c = this.requireCall(callId);
    if (patch.muted !== undefined) c.muted = patch.muted;
    if (patch.camera !== undefined) c.camera = patch.camera;
    if (c.state !== 'outgoing' && c.state !== 'incoming') this.signals!.send({ t: 'media', muted: c.muted, camera: c.camera });
    return this.changed(c);
  }

  stats(callId?: string): CallStatsT {
    const c = callId ? this.requireCall(callId) : this.call;
    if (!c || (callId === undefined && c.state === 'ended')) throw new BuError('NO_CALL', 'there is no call in progress');
    return this.statsOf(c);
  }

  /** A frame from the renderer (untrusted bytes). */
  fromUi(frame: Uint8Array): void {
    const c = this.call;
    if (!c || !this.media || (c.state !== 'connecting' && c.state !== 'active' && c.state !== 'reconnecting')) return;
    this.media.fromUi(frame, c.muted);
  }

  // ── the friend's messages ──────────────────────────────────────────────────

  /** Every session payload that starts with a call tag. */
  onPayload(from: string, data: Uint8Array): void {
    if (data[0] === PAYLOAD_TAG.CALL_MEDIA) {
      if (this.call && this.media && sameAddress(this.call.peer, from)) {
        if (this.media.onPacket(data)) this.call.lastMediaAt = this.now();
      }
      return;
    }
    let s: Signal;
    try {
      s = decodeSignal(data);
    } catch (e) {
      this.host.logger.debug('bad call signal dropped', { peer: from, error: String(e) });
      return;
    }
    if (!this.host.friend(from)) return; // strangers cannot ring (and get no acknowledgement)
    if (s.t === 'ack') {
      if (this.call?.id === s.id && sameAddress(this.call.peer, from)) this.signals?.acked(s.n);
      for (const k of this.closing) if (k.id === s.id) k.signals.acked(s.n);
      return;
    }
    this.host.send(from, ackBytes(s.id, s.n));
    this.onSignal(from, s);
  }

  private onSignal(from: string, s: Exclude<Signal, { t: 'ack' }>): void {
    const c = this.call;
    const ours = c && c.id === s.id && sameAddress(c.peer, from) ? c : null;
    if (s.t === 'offer') return this.onOffer(from, s);
    if (!ours || ours.state === 'ended') return; // late repeats of an ended call
    switch (s.t) {
      case 'ringing':
        return;
      case 'answer':
        if (ours.direction !== 'outgoing' || ours.state !== 'outgoing') return;
        this.media!.agree(s.key);
        ours.remoteCamera = s.video;
        ours.answeredAt = this.now();
        this.enter(ours, 'connecting');
        this.changed(ours);
        return;
      case 'decline':
        if (ours.state === 'outgoing') this.end(ours, s.reason);
        return;
      case 'cancel':
        if (ours.state === 'incoming') this.end(ours, 'cancelled');
        return;
      case 'hangup':
        this.end(ours, 'remote-hangup');
        return;
      case 'media':
        ours.remoteMuted = s.muted;
        ours.remoteCamera = s.camera;
        this.changed(ours);
        return;
    }
  }

  private onOffer(from: string, s: Extract<Signal, { t: 'offer' }>): void {
    const c = this.current() ? this.call! : null;
    if (c && c.id === s.id) return; // a repeat
    if (c && sameAddress(c.peer, from) && c.state === 'outgoing' && c.direction === 'outgoing') {
      // glare: both rang. The lower call id wins on both sides.
      if (c.id < s.id) return; // ours wins: the friend takes our call
      const video = c.video;
      this.dropQuietly();
      this.acceptOffer(from, s);
      this.answer(s.id, video);
      return;
    }
    if (c) {
      this.host.send(from, busyDecline(s.id));
      return;
    }
    this.acceptOffer(from, s);
  }

  private acceptOffer(from: string, s: Extract<Signal, { t: 'offer' }>): void {
    const f = this.host.friend(from)!;
    const c = this.newEntry(s.id, from, f.name, 'incoming', s.video);
    c.remoteKey = s.key;
    c.remoteCamera = s.video;
    this.signals!.send({ t: 'ringing' });
    this.changed(c);
  }

  // ── time ───────────────────────────────────────────────────────────────────

  tick(): void {
    const now = this.now();
    this.closing = this.closing.filter((k) => {
      k.signals.tick();
      return now < k.until && k.signals.busy();
    });
    const c = this.call;
    if (!c || c.state === 'ended') return;
    this.signals?.tick();
    const age = now - c.since;
    if (c.state === 'outgoing') {
      if (this.signals?.busy() && age > (this.host.unreachableMs ?? 20_000) && now - c.startedAt > (this.host.unreachableMs ?? 20_000)) {
        if (!this.host.isConnected(c.peer)) return void this.end(c, 'unreachable');
      }
      if (now - c.startedAt > (this.host.ringTimeoutMs ?? 45_000)) {
        this.signals!.send({ t: 'cancel', reason: 'no-answer' });
        return void this.end(c, 'no-answer');
      }
      if (!this.host.isConnected(c.peer) && age % 2000 < 100) this.host.connect(c.peer);
      return;
    }
    if (c.state === 'incoming') {
      if (now - c.startedAt > (this.host.ringTimeoutMs ?? 45_000) + 2000) this.end(c, 'cancelled');
      return;
    }
    this.media?.tick();
    const linked = this.host.isConnected(c.peer);
    const silent = now - Math.max(c.lastMediaAt, c.since) > MEDIA_SILENCE_MS;
    if (c.state === 'connecting' && c.lastMediaAt > c.since) this.changed(this.enter(c, 'active'));
    else if (c.state === 'active' && (!linked || silent)) this.changed(this.enter(c, 'reconnecting'));
    else if (c.state === 'reconnecting' && linked && !silent) this.changed(this.enter(c, 'active'));
    if ((c.state === 'reconnecting' || c.state === 'connecting') && !linked && age % 1000 < 100) this.host.connect(c.peer);
    if ((c.state === 'reconnecting' || c.state === 'connecting') && age > (this.host.reconnectMs ?? 20_000)) {
      this.signals!.send({ t: 'hangup' });
      return void this.end(c, 'failed');
    }
    if (now - this.lastStatsAt >= 1000) {
      this.lastStatsAt = now;
      this.emit('stats', this.statsOf(c));
    }
  }

  // ── internals ──────────────────────────────────────────────────────────────

  private newEntry(id: string, peer: string, peerName: string, direction: 'outgoing' | 'incoming', video: boolean): CallEntry {
    const now = this.now();
    const c: CallEntry = {
      id, peer, peerName, direction, state: direction, video, startedAt: now, answeredAt: null, endedAt: null,
      endReason: null, muted: false, camera: direction === 'outgoing' && video, remoteMuted: false, remoteCamera: false,
      remoteKey: null, since: now, lastMediaAt: 0,
    };
    this.call = c;
    this.signals = new ReliableSignals(id, (b) => this.host.send(peer, b), this.now);
    return c;
  }

  private enter(c: CallEntry, state: CallEntry['state']): CallEntry {
    c.state = state;
    c.since = this.now();
    return c;
  }

  private end(c: CallEntry, reason: NonNullable<CallEntry['endReason']>): CallT {
    if (c.state === 'ended') return this.view(c);
    const now = this.now();
    c.endedAt = now;
    c.endReason = reason;
    this.enter(c, 'ended');
    this.media?.close();
    this.media = null;
    if (this.signals?.busy()) this.closing.push({ signals: this.signals, until: now + CLOSING_GRACE_MS, id: c.id });
    this.signals = null;
    try {
      this.host.record(c.peer, recordOf(c), now);
    } catch (e) {
      this.host.logger.warn('could not store the call record', { error: String(e) });
    }
    return this.changed(c);
  }

  /** Our losing side of a glare: gone without a record (the winning call is the one). */
  private dropQuietly(): void {
    this.media?.close();
    this.media = null;
    this.signals?.clear();
    this.signals = null;
    this.call = null;
  }

  private hangupQuietly(): void {
    const c = this.call!;
    try {
      this.hangup(c.id);
    } catch {
      // stopping anyway
    }
  }

  private requireCall(callId: string): CallEntry {
    const c = this.call;
    if (!c || c.id !== callId || c.state === 'ended') throw new BuError('NO_CALL', 'that call has ended or does not exist');
    return c;
  }

  private view(c: CallEntry): CallT {
    return toCall(c, this.host.link(c.peer));
  }

  private changed(c: CallEntry): CallT {
    const v = this.view(c);
    this.emit('changed', v);
    return v;
  }

  private statsOf(c: CallEntry): CallStatsT {
    const m = this.media?.stats() ?? null;
    const durationMs = c.answeredAt !== null ? (c.endedAt ?? this.now()) - c.answeredAt : 0;
    const target = m?.target ?? { audioBitrate: 0, videoBitrate: 0, width: 0, height: 0, fps: 0 };
    return {
      callId: c.id, state: c.state, durationMs: Math.max(0, durationMs), link: c.state === 'ended' ? 'none' : this.host.link(c.peer),
      rttMs: m?.rttMs ?? null, lossPercent: m?.lossPercent ?? 0, jitterMs: m?.jitterMs ?? 0, recoveredFrames: m?.recoveredFrames ?? 0,
      sendBitrate: m?.sendBitrate ?? 0, receiveBitrate: m?.receiveBitrate ?? 0, target,
      packetsSent: m?.packetsSent ?? 0, packetsReceived: m?.packetsReceived ?? 0, packetsLost: m?.packetsLost ?? 0, mos: m?.mos ?? null,
    };
  }
}

/** A busy decline for an offer we will not ring for: sent for every copy, never repeated (n = 0). */
function busyDecline(callId: string): Uint8Array {
  return encodeSignal({ t: 'decline', id: callId, n: 0, reason: 'busy' });
}
