/**
 * @module renderer/lib/errors
 * Turns whatever a bridge call threw into `{ code, detail }` and then into one human
 * sentence. The bridge contract promises `{ code, message }`; Electron's IPC and the
 * context bridge may strip custom properties and prefix the message, so the code is also
 * recovered from the message text. Users never see JSON, stacks or raw transport errors:
 * the sentence comes from `errorSentence(code)` and a short detail is added only for the
 * codes where the node's message tells the user something actionable.
 */
import { errorSentence, isErrorCode } from '../../src-preload/contract/errors';

export class UiError extends Error {
  readonly code: string;
  readonly detail: string | null;
  constructor(code: string, detail: string | null) {
    super(errorSentence(code));
    this.name = 'UiError';
    this.code = code;
    this.detail = detail;
  }
}

/** Codes whose node-side message usually helps the user fix the problem. */
const DETAIL_CODES = new Set(['BAD_INPUT', 'BAD_KEYSTORE', 'NETWORK', 'TOO_LONG', 'WRONG_NETWORK', 'NO_WALLET_ADDRESS', 'INSUFFICIENT_FUNDS', 'BAD_ADDRESS', 'CHAIN_ID_MISMATCH', 'RPC_ERROR', 'RPC_UNREACHABLE']);

const PREFIXES = [
  /^Error invoking remote method '[^']*':\s*/i,
  /^(?:Bu|Bridge|Ui)?Error:\s*/,
  /^\[?[A-Z][A-Z_]+\]?:\s*/,
];

function cleanMessage(message: string): string {
  let out = message.trim();
  for (let i = 0; i < 3; i++) for (const p of PREFIXES) out = out.replace(p, '');
  return out.trim();
}

function findCode(value: unknown, message: string): string {
  if (value && typeof value === 'object' && 'code' in value) {
    const code = (value as { code: unknown }).code;
    if (isErrorCode(code)) return code;
  }
  for (const m of message.matchAll(/\b[A-Z][A-Z_]{2,}\b/g)) if (isErrorCode(m[0])) return m[0];
  return 'INTERNAL';
}

/** A detail is shown only when it is short, single-line prose (never JSON or a stack). */
function usableDetail(code: string, message: string): string | null {
  if (!DETAIL_CODES.has(code)) return null;
  const text = cleanMessage(message);
  if (!text || text.length > 180 || /[\n{}[\]<>]|\bat\s+\S+\s*\(/.test(text)) return null;
  const sentence = errorSentence(code);
  if (text.toLowerCase() === sentence.toLowerCase()) return null;
  const capital = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

export function toUiError(error: unknown): UiError {
  if (error instanceof UiError) return error;
  const message =
    error instanceof Error
      ? error.message
      : error && typeof error === 'object' && 'message' in error
        ? String((error as { message: unknown }).message)
        : typeof error === 'string'
          ? error
          : '';
  const code = findCode(error, message);
  return new UiError(code, usableDetail(code, message));
}

export function errorCode(error: unknown): string {
  return toUiError(error).code;
}

/** The sentence to show, with the detail appended when it helps. */
export function errorText(error: unknown): string {
  const e = toUiError(error);
  return e.detail ? `${e.message} ${e.detail}` : e.message;
}
