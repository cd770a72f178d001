/**
 * @module envelope
 * The seed's protobuf `Msg` envelope: codec (msg-codec) and sign+encrypt / decrypt+verify (seal).
 */
export { type Msg, ENVELOPE_VERSION, MAX_ENVELOPE_BYTES, encodeMsg, decodeMsg, msgType, MSG_DESCRIPTOR } from './msg-codec';
export { sealEnvelope, openEnvelope, envelopeHeader, envelopeSigningHash } from './seal';
