/**
 * @module renderer/features/dapps/provider-errors
 * Bridge error codes → EIP-1193 `ProviderRpcError` codes for the dapp: 4001 user rejected,
 * 4100 unauthorized (not permitted), 4200 unsupported method (EIP-1193 §"Provider Errors"),
 * -32602 invalid params and -32603 internal error for everything else (JSON-RPC 2.0 / EIP-1474).
 * The message is the UI's human sentence (lib/errors): never a stack, JSON or a node path.
 * A request refused by the host itself (too many in flight) is -32005 "limit exceeded" (EIP-1474).
 */
import { toUiError } from '../../lib/errors';

export const RPC = {
  USER_REJECTED: 4001,
  UNAUTHORIZED: 4100,
  UNSUPPORTED_METHOD: 4200,
  DISCONNECTED: 4900,
  INVALID_PARAMS: -32602,
  INTERNAL: -32603,
  LIMIT_EXCEEDED: -32005,
} as const;

const BY_CODE: Record<string, number> = {
  USER_REJECTED: RPC.USER_REJECTED,
  PERMISSION_DENIED: RPC.UNAUTHORIZED,
  UNSUPPORTED_METHOD: RPC.UNSUPPORTED_METHOD,
  BAD_INPUT: RPC.INVALID_PARAMS,
};

export type ProviderErrorShape = { code: number; message: string };

/** The EIP-1193 numeric code for a bridge error code. */
export function rpcCode(bridgeCode: string): number {
  return BY_CODE[bridgeCode] ?? RPC.INTERNAL;
}

/** Whatever a bridge call threw, as the `{code, message}` the dapp receives. */
export function providerError(error: unknown): ProviderErrorShape {
  const e = toUiError(error);
  return { code: rpcCode(e.code), message: e.detail ? `${e.message} ${e.detail}` : e.message };
}
