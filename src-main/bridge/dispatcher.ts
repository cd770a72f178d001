/**
 * @module bridge/dispatcher
 * The one place where a bridge call is checked and run. Every transport (Electron IPC, the
 * loopback WebSocket, the CLI) hands `(method, input)` to `call` and gets a `CallResult` back:
 *
 * - unknown method → `UNKNOWN_METHOD`;
 * - input not matching `METHODS[m].input` → `BAD_INPUT` with one readable line (path: issue);
 * - a handler's `BuError` → its code and message; anything else → `INTERNAL` with a generic
 *   message (the details and stack go to the logger only, never to the client);
 * - the handler's result is parsed with `METHODS[m].output`, so only declared keys leave the
 *   node (zod objects strip unknown keys) and a wrong shape becomes `INTERNAL`.
 *
 * `call` never throws and never rejects.
 */
import type { z } from 'zod';
import { isBuError, silentLogger, type Logger } from '../core/base';
import {
  METHODS,
  errorSentence,
  isErrorCode,
  isMethodName,
  type BridgeHandlers,
  type CallResult,
  type ErrorCode,
  type MethodName,
} from '../../src-preload/contract';

export type Dispatcher = { call(method: unknown, input: unknown): Promise<CallResult> };

export type DispatcherOptions = { logger?: Logger };

/**
 * Compile-time check that an object implements exactly the contract: every method of
 * `METHODS` with the right input/output types, and no extra keys. Use it where the handlers
 * are built: `const handlers = implementsContract({ ... })`.
 */
export function implementsContract<H extends BridgeHandlers>(
  handlers: H & { [K in Exclude<keyof H, MethodName>]: never },
): H {
  return handlers;
}

const MAX_ISSUES = 3;

/** One line describing what is wrong with an input: `password: use at least 8 characters; name: …`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const parts = issues.slice(0, MAX_ISSUES).map((issue) => {
    const path = issue.path.length ? issue.path.map(String).join('.') : 'input';
    return `${path}: ${issue.message}`.replace(/\s+/g, ' ');
  });
  if (issues.length > MAX_ISSUES) parts.push(`and ${issues.length - MAX_ISSUES} more`);
  return parts.join('; ');
}

/** Structural check so a BuError from another bundle copy is still recognised. */
function errorCodeOf(e: unknown): ErrorCode | null {
  if (typeof e !== 'object' || e === null) return null;
  const { name, code } = e as { name?: unknown; code?: unknown };
  // Subclasses of BuError (RpcClientError, ChainIdMismatchError) rename themselves: instanceof, not the name.
  if ((isBuError(e) || name === 'BuError' || name === 'BridgeError') && isErrorCode(code)) return code;
  return null;
}

function fail(code: ErrorCode, message: string): CallResult {
  return { ok: false, error: { code, message } };
}

export function createDispatcher(handlers: BridgeHandlers, opts: DispatcherOptions = {}): Dispatcher {
  const logger = opts.logger ?? silentLogger;

  async function call(method: unknown, input: unknown): Promise<CallResult> {
    if (!isMethodName(method)) {
      const shown = typeof method === 'string' ? `"${method.slice(0, 80)}"` : typeof method;
      return fail('UNKNOWN_METHOD', `unknown method ${shown}`);
    }
    const spec = METHODS[method];
    // A frame may omit `input` for methods that take none; treat that as {}.
    const parsedInput = spec.input.safeParse(input === undefined ? {} : input);
    if (!parsedInput.success) return fail('BAD_INPUT', describeIssues(parsedInput.error.issues));

    let raw: unknown;
    try {
      const handler = handlers[method] as (input: unknown) => unknown;
      raw = await handler.call(handlers, parsedInput.data);
    } catch (e) {
      const code = errorCodeOf(e);
      if (code && code !== 'INTERNAL') {
        const message = e instanceof Error && e.message ? e.message : errorSentence(code);
        return fail(code, message);
      }
      logger.error('bridge handler failed', {
        method,
        error: e instanceof Error ? `${e.name}: ${e.message}` : String(e),
        stack: e instanceof Error ? e.stack : undefined,
      });
      return fail('INTERNAL', errorSentence('INTERNAL'));
    }

    const parsedOutput = spec.output.safeParse(raw);
    if (!parsedOutput.success) {
      // Log only paths and issue codes: the values may be anything, including secrets.
      logger.error('bridge handler returned a value outside the contract', {
        method,
        issues: parsedOutput.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.code}`),
      });
      return fail('INTERNAL', errorSentence('INTERNAL'));
    }
    return { ok: true, result: parsedOutput.data };
  }

  return { call };
}
