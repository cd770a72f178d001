/**
 * @module dapps/registry
 * The DappRegistry contract (resources/contracts/DappRegistry.sol): its ABI, packed-semver
 * helpers and a reader that lists and searches apps from the contract's events.
 */
export { DAPP_REGISTRY_ABI, REGISTRY_TOPICS, REPORT_REASONS, packVersion, registryInterface, unpackVersion } from './abi';
export {
  RegistryReader,
  type DappListing,
  type DappVersion,
  type RegistryReaderOptions,
  type RegistryRequest,
  type SearchOptions,
} from './reader';
