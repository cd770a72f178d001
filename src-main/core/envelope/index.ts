/**
 * @module envelope
 * The seed's protobuf `Msg` envelope: codec (msg-codec) and sign+encrypt / decrypt+verify (seal).
 */
export { type Msg, ENVELOPE_VERSION, SCHEME_SESSION, SCHEME_RATCHET, MAX_ENVELOPE_BYTES, encodeMsg, decodeMsg, msgType, MSG_DESCRIPTOR } from './msg-codec';
export { sealEnvelope, sealEnvelopeWith, openEnvelope, openEnvelopeWith, envelopeHeader, envelopeSigningHash, type Signer } from './seal';
