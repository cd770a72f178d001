/**
 * @module daemon/commands/calls
 * `bitunicom calls …`: voice and video calls of the running node over the bridge's `calls.*`
 * methods (src-preload/contract/calls.ts), so the CLI can ring, answer, decline and hang up
 * exactly like the call screen (the media itself stays with the UI that has the devices):
 *   calls start <friend> [--video]        calls answer [<callId>] [--video]
 *   calls decline [<callId>]              calls hangup [<callId>]
 *   calls current                         calls stats [--watch]
 *   calls history [--limit N]
 * Without a call id, answer/decline take the ringing incoming call and hangup the current
 * call. `--watch` prints one line per second (with --json one object per line) until the
 * call ends.
 */
import { BridgeError, MAX_HISTORY_PAGE, type CallCursorT, type CallHistoryEntryT, type CallHistoryPageT, type CallStatsT, type CallT } from '../../../src-preload/contract';
import { intOption, UsageError, type CommandSpec, type OptionSpec } from '../args';
import type { Caller } from '../client';
import type { CommandContext } from '../context';
import { formatCall, formatCallAction, formatCallHistory, formatNoCall, formatStats, formatStatsLine, type CallAction } from '../format-calls';
import { peerArg, print, withDaemon } from './common';

const GROUP = 'Calls';
const CALL_ID = /^[0-9a-f]{32}$/;
const VIDEO: Record<string, OptionSpec> = { video: { type: 'boolean', description: 'with your camera on (a video call)' } };
/** How often `calls stats --watch` asks (the node refreshes its figures once a second). */
export const WATCH_INTERVAL_MS = 1000;

/** A typed call id (32 hex digits, any case) or a usage error naming the command. */
export function parseCallId(arg: string | undefined, command: string): string | undefined {
  if (arg === undefined) return undefined;
  const id = arg.trim().toLowerCase();
  if (!CALL_ID.test(id)) throw new UsageError(`"${arg}" is not a call id (32 hex digits; see: bitunicom calls current)`, command);
  return id;
}

/** Which call an argument-less answer/decline/hangup means, given the current call (or null). */
export function defaultCallId(current: CallT | null, action: Exclude<CallAction, 'start'>): string {
  if (action === 'hangup') {
    if (!current || current.state === 'ended') throw new BridgeError('NO_CALL', 'no call in progress');
    return current.id;
  }
  if (!current || current.state !== 'incoming') throw new BridgeError('NO_CALL', 'no incoming call is ringing');
  return current.id;
}

async function targetCall(caller: Caller, arg: string | undefined, action: Exclude<CallAction, 'start'>): Promise<string> {
  const id = parseCallId(arg, `calls ${action}`);
  return id ?? defaultCallId(await caller.call('calls.current', {}), action);
}

function printCall(ctx: CommandContext, action: CallAction, c: CallT): void {
  print(ctx, c, () => formatCallAction(action, c, Date.now()));
}

export const callsStartCommand: CommandSpec = {
  name: 'calls start',
  group: GROUP,
  summary: 'Ring a friend (a voice call, or a video call with --video).',
  synopsis: '<address|name>',
  minArgs: 1,
  maxArgs: 1,
  options: VIDEO,
  details: 'Prints the call (its id, state and link). The media needs the app or the web UI open on this profile.',
  async run(ctx) {
    await withDaemon(ctx, async (caller) => {
      const peer = await peerArg(caller, ctx.args[0]!);
      const c = await caller.call('calls.start', { address: peer.address, video: ctx.values.video === true });
      printCall(ctx, 'start', c);
    });
  },
};

export const callsAnswerCommand: CommandSpec = {
  name: 'calls answer',
  group: GROUP,
  summary: 'Take the ringing incoming call (or the one given), with --video your camera on.',
  synopsis: '[<callId>]',
  maxArgs: 1,
  options: VIDEO,
  async run(ctx) {
    await withDaemon(ctx, async (caller) => {
      const callId = await targetCall(caller, ctx.args[0], 'answer');
      printCall(ctx, 'answer', await caller.call('calls.answer', { callId, video: ctx.values.video === true }));
    });
  },
};

export const callsDeclineCommand: CommandSpec = {
  name: 'calls decline',
  group: GROUP,
  summary: 'Decline the ringing incoming call (or the one given).',
  synopsis: '[<callId>]',
  maxArgs: 1,
  async run(ctx) {
    await withDaemon(ctx, async (caller) => {
      const callId = await targetCall(caller, ctx.args[0], 'decline');
      printCall(ctx, 'decline', await caller.call('calls.decline', { callId }));
    });
  },
};

export const callsHangupCommand: CommandSpec = {
  name: 'calls hangup',
  group: GROUP,
  summary: 'End the current call (or the one given): cancel it while ringing, hang up when connected.',
  synopsis: '[<callId>]',
  maxArgs: 1,
  async run(ctx) {
    await withDaemon(ctx, async (caller) => {
      const callId = await targetCall(caller, ctx.args[0], 'hangup');
      printCall(ctx, 'hangup', await caller.call('calls.hangup', { callId }));
    });
  },
};

export const callsCurrentCommand: CommandSpec = {
  name: 'calls current',
  group: GROUP,
  summary: 'Show the call in progress, if any (--json: the Call, or null).',
  async run(ctx) {
    await withDaemon(ctx, async (caller) => {
      const c = await caller.call('calls.current', {});
      print(ctx, c, () => (c ? formatCall(c, Date.now()) : formatNoCall()));
    });
  },
};

/** Waits `ms`, or less if `signal` aborts; true when it was not aborted. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(ok);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function isNoCall(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'NO_CALL';
}

/** `--watch`: a line per interval for one call (the first one's id) until it ends or NO_CALL. */
export async function watchStats(
  ctx: CommandContext,
  caller: Pick<Caller, 'call'>,
  first: CallStatsT,
  intervalMs = WATCH_INTERVAL_MS,
): Promise<void> {
  const line = (s: CallStatsT) => ctx.io.out(ctx.json ? JSON.stringify(s) : formatStatsLine(s));
  let s = first;
  line(s);
  while (s.state !== 'ended') {
    if (!(await pause(intervalMs, ctx.deps.shutdownSignal))) return;
    try {
      s = await caller.call('calls.stats', { callId: s.callId });
    } catch (e) {
      if (!isNoCall(e)) throw e;
      break;
    }
    line(s);
  }
  if (!ctx.json) ctx.io.out('Call ended.');
}

export const callsStatsCommand: CommandSpec = {
  name: 'calls stats',
  group: GROUP,
  summary: 'Show the quality of the current call: RTT, loss, jitter, bitrate, MOS, link.',
  options: {
    watch: { type: 'boolean', description: 'print a line every second until the call ends' },
    call: { type: 'string', value: 'ID', description: 'this call instead of the current one' },
  },
  details: 'With --watch --json: one CallStats object per line. Ctrl+C stops watching (the call goes on).',
  async run(ctx) {
    const callId = parseCallId(typeof ctx.values.call === 'string' ? ctx.values.call : undefined, 'calls stats');
    await withDaemon(ctx, async (caller) => {
      const s = await caller.call('calls.stats', callId ? { callId } : {});
      if (ctx.values.watch === true) await watchStats(ctx, caller, s);
      else print(ctx, s, () => formatStats(s));
    });
  },
};

/** Most entries `calls history --limit` asks for; the default. */
export const MAX_HISTORY = 1000;
export const DEFAULT_HISTORY = 20;

/** The newest `limit` call records, reading pages of at most MAX_HISTORY_PAGE; `next` continues after them. */
export async function readHistory(caller: Pick<Caller, 'call'>, limit: number): Promise<{ entries: CallHistoryEntryT[]; next: CallCursorT | null }> {
  const entries: CallHistoryEntryT[] = [];
  let next: CallCursorT | null = null;
  do {
    const page: CallHistoryPageT = await caller.call('calls.history', { limit: Math.min(MAX_HISTORY_PAGE, limit - entries.length), ...(next ? { before: next } : {}) });
    entries.push(...page.entries);
    next = page.next;
  } while (next && entries.length < limit);
  return { entries, next };
}

export const callsHistoryCommand: CommandSpec = {
  name: 'calls history',
  group: GROUP,
  summary: 'List your calls with every friend, newest first (who, which way, voice or video, outcome, duration, when).',
  options: { limit: { type: 'string', value: 'N', description: `how many (1-${MAX_HISTORY}, default ${DEFAULT_HISTORY})` } },
  details: 'With --json: {"entries": [CallHistoryEntry…], "next": cursor or null}.',
  async run(ctx) {
    const limit = intOption(ctx.values, 'limit', 1, MAX_HISTORY) ?? DEFAULT_HISTORY;
    await withDaemon(ctx, async (caller) => {
      const h = await readHistory(caller, limit);
      print(ctx, h, () => formatCallHistory(h.entries, h.next !== null));
    });
  },
};

/** The `calls` group, in the order `bitunicom calls --help` lists it. */
export const CALLS_COMMANDS: readonly CommandSpec[] = [
  callsStartCommand,
  callsAnswerCommand,
  callsDeclineCommand,
  callsHangupCommand,
  callsCurrentCommand,
  callsStatsCommand,
  callsHistoryCommand,
];
