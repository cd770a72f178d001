/**
 * @module node/dapp-provider-handlers
 * The dapp provider's bridge methods (src-preload/contract/dapps.ts) onto the node's
 * DappProvider (node/dapp-provider-host, core/dapps/provider): EIP-1193 requests forwarded by
 * the host UI with the app id of the frame they came from, the user's decisions (only the
 * host UI calls providerDecide; a dapp never reaches the bridge), the waiting requests,
 * connections and revocation (EIP-2255). Inputs arrive validated by the dispatcher.
 */
import type { BridgeHandlers } from '../../../src-preload/contract';
import type { NodeCore } from './node';
import { dappProviderHost } from './dapp-provider-host';

export type DappProviderMethod = 'dapps.providerRequest' | 'dapps.providerDecide' | 'dapps.pending' | 'dapps.connections' | 'dapps.revoke';

export function dappProviderHandlers(node: NodeCore): Pick<BridgeHandlers, DappProviderMethod> {
  const p = () => dappProviderHost(node).provider();
  return {
    'dapps.providerRequest': ({ appId, method, params }) => p().request(appId, method, params),
    'dapps.providerDecide': ({ id, approve, accounts, friends }) => p().decide(id, approve, { accounts, friends }),
    'dapps.pending': () => p().pending(),
    'dapps.connections': () => p().connections(),
    'dapps.revoke': ({ appId, what, friend }) => p().revoke(appId, what, friend),
  };
}
