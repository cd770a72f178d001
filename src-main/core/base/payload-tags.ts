/**
 * @module base/payload-tags
 * The first byte of a session payload says which application owns it, so each application
 * on a friend session (chat, application router, calls) reads only its own payloads and never
 * spends a decode on another's. Chat envelopes (protobuf `Msg`) start with field 1's tag 0x08;
 * the others claim bytes no `Msg` starts with.
 */
export const PAYLOAD_TAG = {
  /** Application-router messages (core/ar). */
  AR: 0xa7,
  /** Call signalling (core/call). */
  CALL_SIGNAL: 0xb0,
  /** Call media, end-to-end encrypted per frame (core/call). */
  CALL_MEDIA: 0xb1,
  /** Dapp bundle distribution by content hash (core/dapps/distribution). */
  DAPP_BUNDLE: 0xc0,
  /** A dapp's end-to-end channel to a friend, scoped to its application id (core/dapps/channels). */
  DAPP_CHANNEL: 0xc1,
} as const;

/** True for payloads that belong to calls (signalling or media). */
export function isCallPayload(data: Uint8Array): boolean {
  return data.length > 0 && (data[0] === PAYLOAD_TAG.CALL_SIGNAL || data[0] === PAYLOAD_TAG.CALL_MEDIA);
}

/** True for payloads that belong to dapps (bundle distribution or a dapp's channel). */
export function isDappPayload(data: Uint8Array): boolean {
  return data.length > 0 && (data[0] === PAYLOAD_TAG.DAPP_BUNDLE || data[0] === PAYLOAD_TAG.DAPP_CHANNEL);
}
