/**
 * @module dapps/channels/methods
 * The channel methods a dapp calls through its EIP-1193 provider (registered as a
 * ProviderExtension of dapps/provider; resources/dapp-runtime/provider.js wraps them as
 * `window.bitunicom.channel`), all behind the manifest permission 'p2p-channel':
 *
 * - `bitunicom_requestChannel` [{friend?}] → a 'channel' pending request listing the friends
 *   who have the dapp (online or not); approved → `{granted: address[]}`. A friend already
 *   granted answers at once.
 * - `bitunicom_channelFriends` [] → `{friends: FriendState[], invitations: Invitation[]}`.
 * - `bitunicom_send` [{to, data}] → `{delivered: boolean}` (true once the friend's node
 *   acknowledged it; data: JSON, ≤ 16 KiB).
 *
 * Messages reach the dapp as the EIP-1193 `message` event `{type: 'bitunicom_channel',
 * data: ChannelEvent}` (service.ts).
 */
import { getAddress } from 'ethers';
import { BuError } from '../../base';
import type { DappPermissionT, DisplayRowT, PendingRequestT } from '../../../../src-preload/contract';
import type { ChannelService } from './service';

// The parts of dapps/provider's ProviderExtension contract (provider/types.ts) these methods
// use, declared here so the channel layer stands on its own; structurally the same types.

/** What a method sees of one request. */
export type ChannelRequestContext = {
  appId: string;
  info: { name: string };
  /** Queue a request for the user; `approve` runs only if the user approves. */
  pend(
    draft: { kind: PendingRequestT['kind']; title: string; account: string | null; friends?: PendingRequestT['friends']; rows: DisplayRowT[]; warnings?: string[] },
    approve: (d: { accounts?: string[]; friends?: string[] }) => Promise<unknown>,
  ): PendingRequestT;
};

export type ChannelMethod = {
  permission?: DappPermissionT;
  handle(ctx: ChannelRequestContext, params: unknown): Promise<{ kind: 'result'; result: unknown } | { kind: 'pending'; request: PendingRequestT }>;
};

export type ChannelExtension = {
  methods: Record<string, ChannelMethod>;
  /** Apps where we granted at least one friend (dapps.connections lists them). */
  channelApps(): string[];
  channelFriends(appId: string): { address: string; name: string }[];
  revokeChannel(appId: string, friend?: string): void;
};

const bad = (m: string) => new BuError('BAD_INPUT', m);
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The single object parameter of a method (`[obj]`, `obj`, or none → {}). */
function options(params: unknown, method: string, keys: string[]): Record<string, unknown> {
  const p = Array.isArray(params) ? (params.length > 1 ? (() => { throw bad(`${method} takes at most one parameter, an object.`); })() : params[0]) : params;
  if (p === undefined || p === null) return {};
  if (!isObj(p)) throw bad(`${method} takes an object parameter.`);
  for (const k of Object.keys(p)) if (!keys.includes(k)) throw bad(`${method} does not know the field '${k}' (it takes ${keys.join(', ')}).`);
  return p;
}

function address(v: unknown, what: string): string {
  if (typeof v !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(v)) throw bad(`${what} must be an address (0x and 40 hex digits).`);
  try {
    return getAddress(v);
  } catch {
    throw bad(`${what} has a wrong EIP-55 checksum (mixed case).`);
  }
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function channelExtension(service: ChannelService): ChannelExtension {
  const requestChannel: ChannelMethod = {
    permission: 'p2p-channel',
    async handle(ctx: ChannelRequestContext, params: unknown) {
      const o = options(params, 'bitunicom_requestChannel', ['friend']);
      const only = o.friend === undefined ? null : address(o.friend, 'friend');
      const granted = () => ({ granted: service.grantedFriends(ctx.appId).map((f) => f.address) });
      if (only && service.grants.get(ctx.appId, only).me) return { kind: 'result', result: granted() };
      const candidates = (await service.candidates(ctx.appId)).filter((f) => !only || same(f.address, only));
      const choices = candidates.filter((f) => !service.grants.get(ctx.appId, f.address).me);
      if (choices.length === 0) {
        throw new BuError('NOT_FOUND', only ? 'That friend does not have this dapp (or has not been online with it yet).' : 'None of your friends has this dapp yet, or all of them are granted already.');
      }
      const request = ctx.pend(
        {
          kind: 'channel',
          title: `${ctx.info.name} wants to exchange messages with ${only ? choices[0]!.name : 'friends'}`,
          account: null,
          friends: choices.map((f) => ({ address: f.address, name: f.name, online: f.online })),
          rows: [
            { label: 'Dapp', value: ctx.info.name },
            { label: 'What it may do', value: 'Send messages to the friends you choose, and receive theirs, while both of you allow it in this dapp.' },
            { label: 'Friends who have it', value: choices.map((f) => `${f.name}${f.online ? '' : ' (offline)'}`).join(', ') },
          ],
          warnings: [],
        },
        async (d) => {
          const picked = (d.friends ?? (only ? [only] : [])).map((a) => address(a, 'friend'));
          const allowed = picked.filter((a) => choices.some((c) => same(c.address, a)));
          if (allowed.length !== picked.length) throw bad('Only friends listed in the request can be granted.');
          if (allowed.length === 0) throw new BuError('USER_REJECTED', 'No friend was chosen.');
          service.grant(ctx.appId, allowed);
          return granted();
        },
      );
      return { kind: 'pending', request };
    },
  };

  const channelFriends: ChannelMethod = {
    permission: 'p2p-channel',
    async handle(ctx, params) {
      options(params, 'bitunicom_channelFriends', []);
      return { kind: 'result', result: service.friendsOf(ctx.appId) };
    },
  };

  const send: ChannelMethod = {
    permission: 'p2p-channel',
    async handle(ctx, params) {
      const o = options(params, 'bitunicom_send', ['to', 'data']);
      const to = address(o.to, 'to');
      if (!('data' in o)) throw bad('bitunicom_send needs data (any JSON value).');
      return { kind: 'result', result: await service.send(ctx.appId, to, o.data) };
    },
  };

  return {
    methods: { bitunicom_requestChannel: requestChannel, bitunicom_channelFriends: channelFriends, bitunicom_send: send },
    channelApps: () => service.grants.apps().filter((appId) => service.grantedFriends(appId).length > 0),
    channelFriends: (appId) => service.grantedFriends(appId),
    revokeChannel: (appId, friend) => service.revoke(appId, friend),
  };
}
