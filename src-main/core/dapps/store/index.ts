/**
 * @module dapps/store
 * The dapp store's service: catalog and detail from the registry, bundles by content hash
 * from peers (one download per hash, cached), install / update / uninstall through the library.
 */
export { BundleCache, type BundleFetchFn, type FetchProgressLike } from './bundles';
export { DappStore, type RegistryLike, type StoreEvents, type StoreOptions } from './store';
export { bundleInfo, dataUrl, installedOf, summaryOf, updateOf } from './views';
