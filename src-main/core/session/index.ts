/**
 * @module session
 * Authenticated, forward-secret transport between two secp256k1 identities over UDP:
 * SIGMA-I handshake with ephemeral X25519, AES-256-GCM transport with a replay window,
 * rekeying, cookies against floods, fragmentation of payloads up to 64 KiB.
 */
export { SessionManager, type SessionEvents } from './session-manager';
export type { SessionIdentity, SessionManagerOptions, SessionStats } from './context';
export type { PeerInfo } from './peer';
export { isSessionPacket, MAX_PAYLOAD, MAX_UNFRAGMENTED_PAYLOAD, MAX_DATAGRAM as MAX_SESSION_DATAGRAM } from './constants';
export { ReplayWindow, WINDOW_SIZE as REPLAY_WINDOW_SIZE } from './replay-window';
