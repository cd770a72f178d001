/**
 * @module contract/errors
 * Stable error codes that cross the bridge. The core throws `BuError` with one of these
 * codes; every transport (Electron IPC, loopback WebSocket, CLI) passes `{code, message}`
 * through unchanged, and the UI maps the code to a human sentence (`errorSentence`).
 * Codes are API: add new ones, never rename or reuse.
 */
export const ERROR_CODES = [
  'BAD_INPUT',
  'UNKNOWN_METHOD',
  'UNAUTHORIZED',
  'NO_ACCOUNT',
  'ACCOUNT_EXISTS',
  'LOCKED',
  'WRONG_PASSWORD',
  'WEAK_PASSWORD',
  'BAD_MNEMONIC',
  'BAD_KEYSTORE',
  'BAD_INVITE',
  'SELF_INVITE',
  'NOT_FOUND',
  'NOT_FRIEND',
  'BLOCKED',
  'ALREADY_FRIENDS',
  'TOO_LONG',
  'PROFILE_IN_USE',
  'BAD_ENVELOPE',
  'NETWORK',
  'NOT_RUNNING',
  'INTERNAL',
  'BAD_ADDRESS',
  'WATCH_ONLY',
  'RPC_UNREACHABLE',
  'RPC_ERROR',
  'RPC_BAD_RESPONSE',
  'CHAIN_ID_MISMATCH',
  'INSUFFICIENT_FUNDS',
  'WRONG_NETWORK',
  'NO_WALLET_ADDRESS',
  'BUSY',
  'NO_CALL',
  'CALL_REVERTED',
  'DAPP_NOT_FOUND',
  'DAPP_REFUSED',
  'DAPP_UNAVAILABLE',
  'NOT_INSTALLED',
  'PERMISSION_DENIED',
  'USER_REJECTED',
  'UNSUPPORTED_METHOD',
  'CANCELLED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export type BridgeErrorShape = { code: ErrorCode; message: string };

const SENTENCES: Record<ErrorCode, string> = {
  BAD_INPUT: 'Some of the information entered is not valid.',
  UNKNOWN_METHOD: 'The app asked for something the node does not know how to do.',
  UNAUTHORIZED: 'This window is not authorised to talk to the node. Reopen it from the link the node printed.',
  NO_ACCOUNT: 'There is no account on this device yet.',
  ACCOUNT_EXISTS: 'An account already exists in this profile.',
  LOCKED: 'Your account is locked. Unlock it with your password first.',
  WRONG_PASSWORD: 'That password is not correct.',
  WEAK_PASSWORD: 'Choose a password of at least 8 characters.',
  BAD_MNEMONIC: 'That recovery phrase is not valid. Check the words and their order.',
  BAD_KEYSTORE: 'That keystore file could not be read.',
  BAD_INVITE: 'That invite link is not valid or has been altered.',
  SELF_INVITE: 'That is your own invite link.',
  NOT_FOUND: 'That contact or message does not exist.',
  NOT_FRIEND: 'You can only message people who accepted your request.',
  BLOCKED: 'This contact is blocked. Unblock them first.',
  ALREADY_FRIENDS: 'You are already friends.',
  TOO_LONG: 'That message is too long.',
  PROFILE_IN_USE: 'This profile is already open in another BitUnicom process.',
  BAD_ENVELOPE: 'A message could not be verified.',
  NETWORK: 'The network is not available right now.',
  NOT_RUNNING: 'No BitUnicom node is running for this profile.',
  INTERNAL: 'Something went wrong inside the node.',
  BAD_ADDRESS: 'That address is not valid. Check it for typos.',
  WATCH_ONLY: 'This account is watch-only: it has no key to sign with.',
  RPC_UNREACHABLE: 'The network\'s RPC server cannot be reached.',
  RPC_ERROR: 'The network\'s RPC server refused the request.',
  RPC_BAD_RESPONSE: 'The network\'s RPC server sent an answer that is not valid.',
  CHAIN_ID_MISMATCH: 'That RPC server belongs to a different network (chain id).',
  INSUFFICIENT_FUNDS: 'The balance does not cover the amount and the network fee.',
  WRONG_NETWORK: 'That belongs to a network you have not added or not selected.',
  NO_WALLET_ADDRESS: 'This friend has not shared a wallet address yet (their app needs to come online once).',
  BUSY: 'You are already in a call. Hang up first.',
  NO_CALL: 'That call has ended or does not exist.',
  CALL_REVERTED: 'The contract refused this transaction (it would revert).',
  DAPP_NOT_FOUND: 'That dapp is not listed in the store.',
  DAPP_REFUSED: 'That dapp package failed verification and was not installed.',
  DAPP_UNAVAILABLE: 'No peer that holds this dapp can be reached right now. Try again later.',
  NOT_INSTALLED: 'That dapp is not installed.',
  PERMISSION_DENIED: 'This dapp has not been given permission for that.',
  USER_REJECTED: 'You declined the request.',
  UNSUPPORTED_METHOD: 'The dapp asked for something the wallet does not support.',
  CANCELLED: 'Cancelled.',
};

/** The human sentence the UI shows for a code. */
export function errorSentence(code: string): string {
  return (SENTENCES as Record<string, string>)[code] ?? SENTENCES.INTERNAL;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
