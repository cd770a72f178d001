/**
 * @module dapps/channels
 * Dapp P2P channels (issue 12 item 7; seed 000 "dapps talk to friends"): frames tagged 0xc1
 * on the end-to-end friend sessions, scoped to the application id, delivered only between
 * friends who granted each other for that app; reliable and ordered while a session lives.
 */
export { CHANNEL_VERSION, CloseReason, FrameKind, HEADER_BYTES, MAX_DATA_BYTES, MAX_FRAME_BYTES, decodeFrame, encodeData, encodeFrame, isChannelPayload, type Frame, type FrameKindT } from './codec';
export { GRANTS_PREFIX, GrantBook, type KeyValue, type PeerGrant } from './grants';
export {
  CHANNEL_MESSAGE_TYPE,
  ChannelService,
  type ChannelDeps,
  type ChannelEvent,
  type ChannelEvents,
  type ChannelFriend,
  type ChannelTransport,
  type DropReason,
  type FriendState,
  type Invitation,
} from './service';
export { channelExtension, type ChannelExtension, type ChannelMethod, type ChannelRequestContext } from './methods';
