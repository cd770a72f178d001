/**
 * @module session/peer
 * Per-peer state: the sessions we hold with one identity and which one carries our traffic.
 *
 * Every session gets an epoch, agreed during its handshake: the initiator proposes one more
 * than the highest epoch it knows for the peer, the responder raises it to one more than the
 * highest it knows, and returns the final value in CONFIRM. Both sides then order sessions the
 * same way — higher epoch first, and for equal epochs (two handshakes that crossed, e.g. a
 * simultaneous connect) the one initiated by the lower address — and send on the best confirmed
 * one. A superseded session keeps receiving for a grace period, so packets in flight across a
 * rekey or a crossed handshake are not lost, then it is erased (forward secrecy).
 */
import type { Endpoint } from '../net';
import { sameEndpoint } from '../net';
import { MAX_OLD_SESSIONS, MAX_REASSEMBLIES_PER_PEER } from './constants';
import { Reassembler } from './fragment';
import type { TransportCipher } from './transport';

export type PeerInfo = { address: string; publicKey: Uint8Array; endpoint: Endpoint };

export type Session = {
  readonly localSid: number;
  readonly cipher: TransportCipher;
  /** True if we sent INIT for this session. */
  readonly initiator: boolean;
  epoch: number;
  readonly createdAt: number;
  /** Initiator: CONFIRM received. Responder: always (FINISH proved the peer holds the keys). */
  confirmed: boolean;
  supersededAt: number | null;
  /** Responder: the FINISH that created it, to answer retransmissions without crypto work. */
  readonly finish: Uint8Array | null;
  nextMsgId: number;
  readonly peer: Peer;
};

export class Peer {
  readonly sessions: Session[] = [];
  current: Session | null = null;
  maxEpoch = 0;
  /** localSid of our in-progress INIT to this peer (connect or rekey), if any. */
  outgoingSid: number | null = null;
  lastReceivedAt: number;
  lastSentAt: number;
  establishedAt = 0;
  rttMs: number | null = null;
  /** We emitted 'established' and not yet 'closed'. */
  connected = false;
  rekeyNotBefore = 0;
  readonly reassembly: Reassembler<Session>;
  private infoCache: PeerInfo;

  constructor(
    readonly key: string,
    readonly address: string,
    readonly publicKey: Uint8Array,
    endpoint: Endpoint,
    private readonly selfKey: string,
    now: number,
    reassemblyTimeoutMs: number,
  ) {
    this.infoCache = { address, publicKey, endpoint };
    this.lastReceivedAt = now;
    this.lastSentAt = now;
    this.reassembly = new Reassembler<Session>({ maxInFlight: MAX_REASSEMBLIES_PER_PEER, timeoutMs: reassemblyTimeoutMs });
  }

  get info(): PeerInfo {
    return this.infoCache;
  }

  get endpoint(): Endpoint {
    return this.infoCache.endpoint;
  }

  /** Roaming: follow the source of authenticated packets (a new PeerInfo object, old ones stay valid). */
  setEndpoint(e: Endpoint): void {
    if (!sameEndpoint(e, this.infoCache.endpoint)) this.infoCache = { address: this.address, publicKey: this.publicKey, endpoint: { host: e.host, port: e.port } };
  }

  noteEpoch(epoch: number): void {
    if (epoch > this.maxEpoch) this.maxEpoch = epoch;
  }

  /** True if session a should carry traffic rather than b (same answer on both sides). */
  better(a: Session, b: Session): boolean {
    if (a.epoch !== b.epoch) return a.epoch > b.epoch;
    const ia = a.initiator ? this.selfKey : this.key;
    const ib = b.initiator ? this.selfKey : this.key;
    if (ia !== ib) return ia < ib;
    return a.createdAt > b.createdAt;
  }

  /** Add a confirmed session and re-pick the current one. Returns sessions that must be erased. */
  install(s: Session, now: number): Session[] {
    this.sessions.push(s);
    this.noteEpoch(s.epoch);
    return this.reselect(now);
  }

  /** Re-pick the current session (after install or an epoch update). Returns sessions to erase. */
  reselect(now: number): Session[] {
    let best: Session | null = null;
    for (const s of this.sessions) if (!best || this.better(s, best)) best = s;
    if (best !== this.current) {
      if (this.current && this.sessions.includes(this.current)) this.current.supersededAt ??= now;
      this.current = best;
      if (best) best.supersededAt = null;
    }
    for (const s of this.sessions) if (s !== this.current) s.supersededAt ??= now;
    const old = this.sessions.filter((s) => s !== this.current).sort((x, y) => x.supersededAt! - y.supersededAt!);
    const evicted = old.slice(0, Math.max(0, old.length - MAX_OLD_SESSIONS));
    for (const s of evicted) this.remove(s);
    return evicted;
  }

  remove(s: Session): void {
    const i = this.sessions.indexOf(s);
    if (i >= 0) this.sessions.splice(i, 1);
    if (this.current === s) this.current = null;
  }
}
