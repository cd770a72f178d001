/**
 * @module node/dapp-channel-host
 * The node's dapp channels (core/dapps/channels, issue 12 item 7): one ChannelService per
 * unlocked runtime over the friend sessions — 0xc1 payloads in, session up/down resyncs,
 * friends from the contact list (state 'friend' only; seed 000: a message from an address not
 * added before is discarded), grants in the encrypted store's `settings` table.
 *
 * `wireChannels` joins it to the dapp store's pieces once they exist (the installed-dapps
 * library and the EIP-1193 provider, created when the wallet opens): which apps are installed,
 * grants forgotten on uninstall, the `bitunicom_*` methods registered as a provider extension,
 * and channel messages pushed to the dapp's frame as `dapps.providerEvent` {event: 'message'}.
 */
import type { ProviderEventT } from '../../../src-preload/contract';
import { PAYLOAD_TAG, type Logger } from '../base';
import { CHANNEL_MESSAGE_TYPE, ChannelService, channelExtension, type ChannelExtension } from '../dapps';
import type { SessionManager } from '../session';
import type { Store } from '../store';

export type ChannelHostOptions = {
  store: Store;
  sessions: SessionManager;
  logger: Logger;
  /** Test knobs (tick, probe wait, send deadline). */
  tickMs?: number;
  probeMs?: number;
  deadlineMs?: number;
};

export class ChannelHost {
  readonly service: ChannelService;
  private installed: (appId: string) => boolean = () => false;
  private readonly offs: (() => void)[] = [];

  constructor(o: ChannelHostOptions) {
    const friendOf = (address: string) => {
      const c = o.store.contacts.get(address);
      return c?.state === 'friend' ? { address: c.address, name: c.name } : null;
    };
    this.service = new ChannelService({
      kv: o.store.settings,
      transport: { send: (address, payload) => o.sessions.send(address, () => payload), isConnected: (address) => o.sessions.isConnected(address) },
      friend: friendOf,
      friends: () =>
        o.store.contacts
          .list()
          .filter((c) => c.state === 'friend')
          .map((c) => ({ address: c.address, name: c.name })),
      installed: (appId) => this.installed(appId),
      logger: o.logger,
      tickMs: o.tickMs,
      probeMs: o.probeMs,
      deadlineMs: o.deadlineMs,
    });
    this.offs.push(
      o.sessions.on('established', ({ peer }) => this.service.onSessionUp(peer.address)),
      o.sessions.on('closed', ({ address }) => this.service.onSessionDown(address)),
    );
    this.service.start();
  }

  /** One session payload; true if it was a channel frame (tag 0xc1). */
  onPayload(from: string, data: Uint8Array): boolean {
    if (data.length === 0 || data[0] !== PAYLOAD_TAG.DAPP_CHANNEL) return false;
    this.service.onPayload(from, data);
    return true;
  }

  /** Which apps are installed (until set: none, so every frame is dropped). */
  setInstalled(installed: (appId: string) => boolean): void {
    this.installed = installed;
  }

  close(): void {
    for (const off of this.offs.splice(0)) off();
    this.service.stop();
  }
}

/** The parts of the dapp store's library and provider that channels use. */
export type ChannelWiring = {
  library: {
    get(appId: string): unknown;
    on(event: 'changed', listener: (e: { appId: string; kind: string }) => void): () => void;
  };
  provider: { addExtension(e: ChannelExtension): void };
  /** node.events.emit for 'dapps.providerEvent' and 'dapps.changed'. */
  emitProviderEvent(e: ProviderEventT): void;
  emitConnectionsChanged(appId: string): void;
};

/**
 * Joins the runtime's channels to the library and provider; returns the function that undoes
 * the subscriptions (call it when the provider closes).
 */
export function wireChannels(host: ChannelHost, w: ChannelWiring): () => void {
  host.setInstalled((appId) => w.library.get(appId) !== null && w.library.get(appId) !== undefined);
  w.provider.addExtension(channelExtension(host.service));
  const offs = [
    w.library.on('changed', (e) => e.kind === 'uninstalled' && host.service.forgetApp(e.appId)),
    host.service.events.on('message', ({ appId, event }) => w.emitProviderEvent({ appId, event: 'message', data: { type: CHANNEL_MESSAGE_TYPE, data: event } })),
    host.service.events.on('changed', ({ appId }) => w.emitConnectionsChanged(appId)),
  ];
  return () => {
    for (const off of offs) off();
    host.setInstalled(() => false);
  };
}
