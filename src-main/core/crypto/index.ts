export * from './hash';
export * from './random';
export * from './secp256k1';
export * from './aead';
export * from './x25519';
export * from './fast-gcm';
export * from './bls';
