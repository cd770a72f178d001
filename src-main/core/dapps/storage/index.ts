/**
 * @module dapps/storage
 * Per-dapp persistent key-value storage kept by the node (see storage.ts).
 */
export { DappStorage, STORAGE_LIMITS, storageExtension, type StorageKv } from './storage';
