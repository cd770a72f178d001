/**
 * @module node/dapp-store-handlers
 * The dapp store's bridge methods (catalog, detail, install, update, uninstall, ratings,
 * launch). Being built in issue 12: until the store host lands these answer UNKNOWN_METHOD.
 */
import type { BridgeHandlers } from '../../../src-preload/contract';
import { BuError } from '../base';
import type { NodeCore } from './node';

export type DappStoreMethod =
  | 'dapps.catalog' | 'dapps.detail' | 'dapps.installed' | 'dapps.install' | 'dapps.checkUpdate' | 'dapps.update'
  | 'dapps.uninstall' | 'dapps.cancel' | 'dapps.rate' | 'dapps.report' | 'dapps.launch';

const notYet = (): never => {
  throw new BuError('UNKNOWN_METHOD', 'the dapp store is not available in this build yet');
};

export function dappStoreHandlers(_node: NodeCore): Pick<BridgeHandlers, DappStoreMethod> {
  return {
    'dapps.catalog': notYet, 'dapps.detail': notYet, 'dapps.installed': notYet, 'dapps.install': notYet,
    'dapps.checkUpdate': notYet, 'dapps.update': notYet, 'dapps.uninstall': notYet, 'dapps.cancel': notYet,
    'dapps.rate': notYet, 'dapps.report': notYet, 'dapps.launch': notYet,
  };
}
