/**
 * @module node
 * Assembly of a whole node from the core modules; see node.ts.
 */
import { NodeCore, type NodeOptions, type NodeEvents } from './node';
import { createHandlers } from './handlers';
import type { SealingHost } from './sealing-host';
import type { BridgeHandlers, MediaPort } from '../../../src-preload/contract';
import type { TypedEmitter } from '../base';
import type { DappHost, DappServerPort } from './dapp-host';

export type { NodeOptions, NodeEvents };
export type { DappServerPort };

export type BuNode = {
  dataDir: string;
  handlers: BridgeHandlers;
  events: TypedEmitter<NodeEvents>;
  /** The sealing worker's idle source, for a shell that knows more (Electron: OS idle time, power). */
  idle: Pick<SealingHost, 'systemIdle' | 'setBattery' | 'activity'>;
  /** Call media between the node and the renderers (binary frames). */
  media: MediaPort;
  /** Installed dapps for the shell's dapp server: their files, and who is installed. */
  dapps: Pick<DappHost, 'resolve' | 'isInstalled' | 'installedInfo' | 'on'>;
  /** How this shell serves dapps (the headless dapp server, Electron's bu-dapp://); `dapps.launch` asks it. */
  setDappServer(server: DappServerPort | null): void;
  /** Test and benchmark access to the internals; not for shells. */
  core: NodeCore;
  close(): Promise<void>;
};

/** Open (and lock) the profile in `opts.dataDir`. Does no network work until unlocked. */
export async function createNode(opts: NodeOptions): Promise<BuNode> {
  const core = new NodeCore(opts);
  await core.startChain();
  return {
    dataDir: core.dataDir,
    handlers: createHandlers(core),
    events: core.events,
    idle: core.sealing,
    media: core.media,
    dapps: core.dapps,
    setDappServer: (server) => core.dapps.setServer(server),
    core,
    close: () => core.close(),
  };
}

export { startRouter, loadOrCreateRouterKey, type Router, type RouterOptions } from './router';
