/**
 * @module node/dapp-provider-handlers
 * The dapp provider's bridge methods (EIP-1193 requests from sandboxed dapps, the user's
 * decisions, connections and revocation). Being built in issue 12: until the provider host
 * lands these answer UNKNOWN_METHOD.
 */
import type { BridgeHandlers } from '../../../src-preload/contract';
import { BuError } from '../base';
import type { NodeCore } from './node';

export type DappProviderMethod = 'dapps.providerRequest' | 'dapps.providerDecide' | 'dapps.pending' | 'dapps.connections' | 'dapps.revoke';

const notYet = (): never => {
  throw new BuError('UNKNOWN_METHOD', 'the dapp provider is not available in this build yet');
};

export function dappProviderHandlers(_node: NodeCore): Pick<BridgeHandlers, DappProviderMethod> {
  return { 'dapps.providerRequest': notYet, 'dapps.providerDecide': notYet, 'dapps.pending': notYet, 'dapps.connections': notYet, 'dapps.revoke': notYet };
}
