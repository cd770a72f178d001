/**
 * @module call
 * Voice and video calls between friends (issue 11): signalling over the friend session,
 * per-call end-to-end keys, media packets with redundancy, receiver reports and congestion
 * control. See README.md.
 */
export { CallService, type CallHost, type CallEvents } from './call-service';
export { recordOf, type LinkKind } from './call-record';
export { decodeSignal, encodeSignal, type Signal } from './signal';
export { newCallKeyPair, deriveCallKeys, type CallKeyPair, type CallKeys } from './keys';
export { MediaSession, isCallMediaPacket, type OutboundFrame, type InboundFrame, type MediaTarget, type MediaStats, type MediaSessionOptions } from './media-session';
export { estimateMos } from './quality';
