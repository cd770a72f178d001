/**
 * @module daemon/commands/common
 * Shared plumbing for command handlers: reaching the node (through the running serve, or
 * in-process for the commands that may work without one), printing human or JSON output,
 * and resolving `<address|name>` arguments.
 */
import { mkdirSync } from 'node:fs';
import { createDispatcher } from '../../bridge/dispatcher';
import { connectDaemon, dispatcherCaller, type Caller } from '../client';
import type { CommandContext } from '../context';
import { findDaemon } from '../daemon-file';
import { createLineLogger } from '../logger';
import { resolvePeer } from '../resolve-peer';

/** Prints `value` as JSON with --json, else the human text. */
export function print(ctx: CommandContext, value: unknown, human: () => string): void {
  ctx.io.out(ctx.json ? JSON.stringify(value, null, 2) : human());
}

/** Runs `fn` against the serve for this profile (NOT_RUNNING if there is none). */
export async function withDaemon<T>(ctx: CommandContext, fn: (caller: Caller & { info: { pid: number; uiPort: number; token: string; startedAt: number } }) => Promise<T>): Promise<T> {
  const caller = await connectDaemon(ctx.dataDir);
  try {
    return await fn(caller);
  } finally {
    await caller.close();
  }
}

/** Through the running serve if there is one, else by opening the profile in this process. */
export async function withDaemonOrLocal<T>(ctx: CommandContext, fn: (caller: Caller) => Promise<T>): Promise<T> {
  if (findDaemon(ctx.dataDir)) return withDaemon(ctx, fn);
  mkdirSync(ctx.dataDir, { recursive: true, mode: 0o700 });
  const core = await ctx.deps.loadCore();
  const logger = createLineLogger('warn', (l) => ctx.io.err(l));
  // One-shot commands never start the chain (no RPC port taken); `serve` runs it.
  const node = await core.createNode({ dataDir: ctx.dataDir, logger, chain: { enabled: false } });
  const caller = dispatcherCaller(createDispatcher(node.handlers, { logger }), () => node.close());
  try {
    return await fn(caller);
  } finally {
    await caller.close();
  }
}

/** `<address|name>` → the contact (or a bare address the node will judge). */
export async function peerArg(caller: Caller, ref: string): Promise<{ address: string; name: string }> {
  if (/^0x[0-9a-fA-F]{40}$/.test(ref.trim())) {
    // An address needs no lookup, but the name makes the output friendlier when we have it.
    const contacts = await caller.call('contacts.list', {}).catch(() => []);
    return resolvePeer(ref, contacts);
  }
  return resolvePeer(ref, await caller.call('contacts.list', {}));
}
