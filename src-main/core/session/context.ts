/**
 * @module session/context
 * Internal shared state of a SessionManager, handed to the initiator and responder flows so
 * each concern lives in its own file. Not exported from the module's index.
 */
import type { Logger } from '../base';
import { DEFAULTS } from './constants';
import type { DatagramSocket, Endpoint, RateLimiter } from '../net';
import type { CookieGate } from './cookie';
import type { Initiator, ResponderState } from './handshake';
import type { Peer, PeerInfo, Session } from './peer';

export type SessionIdentity = { privateKey: Uint8Array; publicKey: Uint8Array; address: string };

export type SessionManagerOptions = {
  identity: SessionIdentity;
  /** The shared UDP socket, or a wrapper with the same surface (e.g. ar's RelaySocket). */
  socket: DatagramSocket;
  logger?: Logger;
  /** Called once the peer's identity is proven (both roles, every handshake incl. rekeys). */
  authorize(peer: PeerInfo): 'accept' | 'reject';
  rekeyAfterMs?: number;
  rekeyAfterMessages?: number;
  handshakeTimeoutMs?: number;
  idleTimeoutMs?: number;
  /** When true, INITs must carry a valid cookie MAC (default: a built-in load estimate). */
  underLoad?: () => boolean;
  // ── extensions (not in the shared spec; all optional) ──
  /** Send a keepalive when nothing else was sent for this long (default min(idle/3, 25 s)). */
  keepaliveMs?: number;
  /** How long a superseded session keeps receiving (default 10 s). */
  rekeyGraceMs?: number;
  /** Give up on a partly received fragmented message after this long (default 10 s). */
  reassemblyTimeoutMs?: number;
  /** Per-source-IP budget for INITs that reach DH/signature work (default 20/s, burst 40). */
  handshakeRate?: { ratePerSec: number; burst: number };
};

export type ResolvedOptions = {
  rekeyAfterMs: number;
  rekeyAfterMessages: number;
  handshakeTimeoutMs: number;
  idleTimeoutMs: number;
  keepaliveMs: number;
  rekeyGraceMs: number;
  rejectAfterMs: number;
  reassemblyTimeoutMs: number;
};

export function resolveOptions(o: SessionManagerOptions): ResolvedOptions {
  const pos = (v: number | undefined, d: number) => (v !== undefined && Number.isFinite(v) && v > 0 ? v : d);
  const rekeyAfterMs = pos(o.rekeyAfterMs, DEFAULTS.rekeyAfterMs);
  const handshakeTimeoutMs = pos(o.handshakeTimeoutMs, DEFAULTS.handshakeTimeoutMs);
  const idleTimeoutMs = pos(o.idleTimeoutMs, DEFAULTS.idleTimeoutMs);
  return {
    rekeyAfterMs,
    rekeyAfterMessages: pos(o.rekeyAfterMessages, DEFAULTS.rekeyAfterMessages),
    handshakeTimeoutMs,
    idleTimeoutMs,
    keepaliveMs: pos(o.keepaliveMs, Math.min(idleTimeoutMs / 3, 25_000)),
    rekeyGraceMs: pos(o.rekeyGraceMs, DEFAULTS.rekeyGraceMs),
    // a session that could not be rekeyed in time stops carrying traffic (WireGuard's REJECT_AFTER_TIME)
    rejectAfterMs: rekeyAfterMs * 1.5 + 2 * handshakeTimeoutMs,
    reassemblyTimeoutMs: pos(o.reassemblyTimeoutMs, DEFAULTS.reassemblyTimeoutMs),
  };
}

export type SessionStats = {
  /** INITs whose mac1 was valid (everything else is dropped unseen). */
  initiationsReceived: number;
  cookiesSent: number;
  rateLimited: number;
  /** secp256k1 signatures made, and handshake messages that reached DH + signature verification. */
  signatures: number;
  verifications: number;
  handshakesCompleted: number;
  /** Handshakes we started to replace a live session. */
  rekeys: number;
  /** Peers refused by `authorize`. */
  rejected: number;
  replays: number;
  forged: number;
  /** Unknown, garbled or unexpected packets. */
  dropped: number;
  messagesSent: number;
  messagesReceived: number;
};

export function emptyStats(): SessionStats {
  return {
    initiationsReceived: 0,
    cookiesSent: 0,
    rateLimited: 0,
    signatures: 0,
    verifications: 0,
    handshakesCompleted: 0,
    rekeys: 0,
    rejected: 0,
    replays: 0,
    forged: 0,
    dropped: 0,
    messagesSent: 0,
    messagesReceived: 0,
  };
}

export type Target = { key: string; address: string; publicKey: Uint8Array | null };

export type Outgoing = {
  readonly hs: Initiator;
  readonly target: Target;
  readonly purpose: 'connect' | 'rekey';
  endpoints: Endpoint[];
  /** Endpoints that answered with a different (proven) identity. */
  readonly failed: Set<string>;
  readonly mac1Key: Uint8Array;
  readonly cookieKey: Uint8Array;
  /** INIT with mac1 set, mac2 zero; and its mac1 (AAD of COOKIE replies). */
  readonly init: Uint8Array;
  readonly mac1: Uint8Array;
  readonly cookies: Map<string, Uint8Array>;
  deadline: number;
  phase: 'init' | 'finish';
  lastSentPerf: number;
  rto: number;
  timer: ReturnType<typeof setTimeout> | null;
  session: Session | null;
  finish: Uint8Array | null;
  endpoint: Endpoint | null;
  rttMs: number;
  /** Last time traffic on the unconfirmed session made us resend FINISH early. */
  lastNudge: number;
};

export type HalfOpen = { state: ResponderState; response: Uint8Array; ephKey: string; createdAt: number; sentPerf: number };

export type Waiter = { resolve(p: PeerInfo): void; reject(e: Error): void; timer: ReturnType<typeof setTimeout> };

/** What the flows may touch. */
export type Ctx = {
  readonly identity: SessionIdentity;
  readonly selfKey: string;
  readonly opts: ResolvedOptions;
  readonly socket: DatagramSocket;
  readonly logger: Logger;
  readonly stats: SessionStats;
  readonly authorize: (peer: PeerInfo) => 'accept' | 'reject';
  readonly underLoad: () => boolean;
  readonly sessions: Map<number, Session>;
  readonly peers: Map<string, Peer>;
  readonly outgoing: Map<number, Outgoing>;
  /** At most one outgoing handshake per peer (key = lowercase address). */
  readonly outgoingByPeer: Map<string, Outgoing>;
  readonly halfOpen: Map<number, HalfOpen>;
  readonly halfOpenByEph: Map<string, HalfOpen>;
  readonly gate: CookieGate;
  readonly limiter: RateLimiter;
  /** Cookies we received, by responder endpoint, reused by later handshakes while fresh. */
  readonly cookieJar: Map<string, { cookie: Uint8Array; at: number }>;
  readonly isClosed: () => boolean;
  allocSid(): number;
  /** Find or create the Peer for a proven identity. */
  peerFor(address: string, publicKey: Uint8Array, endpoint: Endpoint): Peer;
  /** Make a confirmed session live for its peer (emits 'established' on the first). */
  install(s: Session, initiator: boolean, rttMs: number): void;
  /** Reject the connect() waiters of an address. */
  failWaiters(key: string, err: Error): void;
  sendControl(s: Session, kind: number, body: Uint8Array | null, to: Endpoint): void;
  /** Drop every session with a peer; `notify` sends CLOSE on the current one first. */
  closePeer(peer: Peer, notify: boolean): void;
};
