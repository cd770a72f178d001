/**
 * @module dapps/channels
 * Dapp P2P channels (issue 12 item 7; seed 000 "dapps talk to friends"): frames tagged 0xc1
 * on the end-to-end friend sessions, scoped to the application id, delivered only between
 * friends who granted each other for that app; reliable and ordered while a session lives.
 * Exported names carry "Channel" where a sibling module could use the plain one.
 */
export {
  CHANNEL_VERSION,
  CloseReason as ChannelCloseReason,
  FrameKind as ChannelFrameKind,
  HEADER_BYTES as CHANNEL_HEADER_BYTES,
  MAX_DATA_BYTES as MAX_CHANNEL_DATA_BYTES,
  MAX_FRAME_BYTES as MAX_CHANNEL_FRAME_BYTES,
  decodeFrame as decodeChannelFrame,
  encodeData as encodeChannelData,
  encodeFrame as encodeChannelFrame,
  isChannelPayload,
  type Frame as ChannelFrame,
  type FrameKindT as ChannelFrameKindT,
} from './codec';
export { GRANTS_PREFIX as CHANNEL_GRANTS_PREFIX, GrantBook as ChannelGrantBook, type KeyValue as ChannelKeyValue, type PeerGrant as ChannelPeerGrant } from './grants';
export {
  CHANNEL_MESSAGE_TYPE,
  ChannelService,
  type ChannelDeps,
  type ChannelEvent,
  type ChannelEvents,
  type ChannelFriend,
  type ChannelTransport,
  type DropReason as ChannelDropReason,
  type FriendState as ChannelFriendState,
  type Invitation as ChannelInvitation,
} from './service';
export { channelExtension, type ChannelExtension, type ChannelMethod, type ChannelRequestContext } from './methods';
