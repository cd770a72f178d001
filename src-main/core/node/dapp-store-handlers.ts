/**
 * @module node/dapp-store-handlers
 * The dapp store's bridge methods (src-preload/contract/dapps.ts): catalog, detail, installed,
 * install, checkUpdate, update, uninstall, cancel, rate, report, launch, seedBundle — onto the node's
 * DappHost (node/dapp-host). Inputs arrive validated by the dispatcher; `confirm: true` is
 * required by the contract for everything that changes state or spends.
 */
import type { BridgeHandlers } from '../../../src-preload/contract';
import type { NodeCore } from './node';

export type DappStoreMethod =
  | 'dapps.catalog' | 'dapps.detail' | 'dapps.installed' | 'dapps.install' | 'dapps.checkUpdate' | 'dapps.update'
  | 'dapps.uninstall' | 'dapps.cancel' | 'dapps.rate' | 'dapps.report' | 'dapps.launch' | 'dapps.seedBundle';

export function dappStoreHandlers(node: NodeCore): Pick<BridgeHandlers, DappStoreMethod> {
  const store = () => {
    node.requireRuntime();
    return node.dapps.store;
  };
  return {
    'dapps.catalog': (q) => store().catalog(q),
    'dapps.detail': ({ appId }) => store().detail(appId),
    'dapps.installed': () => store().installed(),
    'dapps.install': ({ appId }) => store().install(appId),
    'dapps.checkUpdate': ({ appId }) => store().checkUpdate(appId),
    'dapps.update': ({ appId, acceptPermissions }) => store().update(appId, acceptPermissions),
    'dapps.uninstall': async ({ appId }) => {
      await store().uninstall(appId);
      return { ok: true as const };
    },
    'dapps.cancel': async ({ appId }) => {
      store().cancel(appId);
      return { ok: true as const };
    },
    'dapps.rate': async ({ appId, stars }) => (store(), node.dapps.rate(appId, stars)),
    'dapps.report': async ({ appId, reason }) => (store(), node.dapps.report(appId, reason)),
    'dapps.launch': async ({ appId }) => (store(), node.dapps.launch(appId)),
    'dapps.seedBundle': async ({ path }) => (store(), node.dapps.seedBundle(path)),
  };
}
