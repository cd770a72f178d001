/**
 * @module renderer/features/dapps/host-instance
 * The one ProviderHost of the UI, wired to the real window, the bridge
 * (`dapps.providerRequest`, `dapps.providerEvent`) and the confirm dialog's queue. Created on
 * first use, so nothing listens for messages until a dapp frame is attached.
 */
import { call, subscribe } from '../../bridge';
import { confirmRequest } from './pending-store';
import { ProviderHost } from './provider-host';

let host: ProviderHost | null = null;

export function providerHost(): ProviderHost {
  host ??= new ProviderHost({
    target: window,
    request: (input) => call('dapps.providerRequest', input),
    confirm: confirmRequest,
    onProviderEvent: (listener) => subscribe('dapps.providerEvent', listener),
    newChannel: () => new MessageChannel(),
  });
  return host;
}
