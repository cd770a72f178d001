/**
 * @module dapps/channels/types
 * The channel layer's types: what ChannelService needs from the node (a session transport,
 * the friend list, installed apps, a key-value store), what the dapp receives (ChannelEvent,
 * the `data` of the EIP-1193 `message` event {type: 'bitunicom_channel'}), and what the
 * methods answer (FriendState, Invitation).
 */
import type { Logger } from '../../base';
import type { KeyValue } from './grants';

export type ChannelFriend = { address: string; name: string };

export type ChannelTransport = {
  /** Sends one payload on the friend session; false when there is none. */
  send(address: string, payload: Uint8Array): boolean;
  isConnected(address: string): boolean;
};

export type ChannelDeps = {
  kv: KeyValue;
  transport: ChannelTransport;
  /** The contact if its state is 'friend', else null. */
  friend(address: string): ChannelFriend | null;
  friends(): ChannelFriend[];
  /** Whether this app is installed here. */
  installed(appId: string): boolean;
  logger: Logger;
  now?: () => number;
  tickMs?: number;
  /** How long a candidate probe waits for answers (default 800 ms). */
  probeMs?: number;
  /** How long `send` waits for the friend's ACK (default 10 s). */
  deadlineMs?: number;
};

/** What the dapp receives (the `data` of its 'message' event). */
export type ChannelEvent =
  | { kind: 'data'; from: string; name: string; data: unknown }
  /** The channel is usable both ways (after a grant or a reconnect: resync now). */
  | { kind: 'open'; from: string; name: string }
  /** A friend granted us but we have not granted it: show an invitation. */
  | { kind: 'invite'; from: string; name: string }
  /** The friend revoked its grant or uninstalled the app. */
  | { kind: 'close'; from: string; name: string; reason: 'revoked' | 'uninstalled' }
  /** The friend's session ended (a later 'open' means it is back). */
  | { kind: 'offline'; from: string; name: string };

export const CHANNEL_MESSAGE_TYPE = 'bitunicom_channel';

export type ChannelEvents = {
  message: { appId: string; event: ChannelEvent };
  /** Grants of an app changed (dapps.connections). */
  changed: { appId: string };
};

export type DropReason = 'malformed' | 'not-friend' | 'not-installed' | 'not-granted' | 'rate-limited' | 'out-of-order' | 'duplicate' | 'stale-stream';

export type FriendState = { address: string; name: string; online: boolean; granted: boolean; grantedByThem: boolean; open: boolean };
export type Invitation = { address: string; name: string; online: boolean; at: number };
