/**
 * @module account
 * The unified account (seed 000): BIP-39 phrase → BIP-32/44 keys → chat identity, the
 * password vault that holds them, and Web3 Secret Storage v3 import/export.
 */
export { type Identity, identityFromPrivateKey } from './identity';
export { generateMnemonic, normalizeMnemonic, validateMnemonic, mnemonicToSeed } from './mnemonic';
export { CHAT_IDENTITY_PATH, walletAccountPath, deriveIdentity, deriveChatIdentity } from './hd';
export { encryptKeystoreV3, decryptKeystoreV3, KEYSTORE_DEFAULT_SCRYPT, type KeystoreOptions } from './keystore-v3';
export { Vault, type VaultSecret, type UnlockedVault, VAULT_DEFAULT_SCRYPT_N, MIN_PASSWORD_LENGTH } from './vault';
export { writeFileAtomic } from './atomic-file';
