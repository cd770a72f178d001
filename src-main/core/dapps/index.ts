/**
 * @module dapps
 * Layer 8: the dapp store's core (issue 12). `package/`: the signed, content-addressed bundle
 * format (manifest, .bud container, author signature, update rules). `registry/`: the
 * DappRegistry contract's ABI and the chain-event reader (listing, search, ratings).
 */
export * from './package';
export * from './registry';
export * from './distribution';
export * from './provider';
export * from './channels';
export * from './library';
export * from './store';
export * from './storage';
