/**
 * @module dapps/library
 * The installed dapps of a profile: verified install/update/uninstall, crash-safe files on
 * disk, state in the store's key-value table, and the resolver the sandbox serves from.
 */
export { DappDisk } from './disk';
export { DappRefusedError, isDappRefused, refusing } from './errors';
export { DappLibrary, STATE_PREFIX, type Candidate, type InstalledRecord, type KeyValue, type LibraryEvents, type LibraryOptions, type Listing, type Resolved } from './library';
