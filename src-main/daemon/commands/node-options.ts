/**
 * @module daemon/commands/node-options
 * Options shared by the long-running commands (`serve`, `ar`): UDP endpoints, bootstrap
 * routers and the stderr log level, parsed once, with the same messages for both.
 */
import { UsageError, type OptionSpec } from '../args';
import type { CommandContext } from '../context';
import { createLineLogger, isLogLevel, LOG_LEVELS } from '../logger';
import type { Logger } from '../../core/base';

export type HostPort = { host: string; port: number };

/** `HOST:PORT` (IPv4 or a name; `[v6]:PORT` for IPv6) → endpoint. */
export function parseHostPort(s: string, flag = '--listen'): HostPort {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s]+)):(\d{1,5})$/.exec(s.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new UsageError(`${flag} must be HOST:PORT, e.g. 0.0.0.0:40404 (got "${s}")`);
  return { host: (m[1] ?? m[2])!, port };
}

/** Comma-separated `HOST:PORT` list (routers / DHT bootstrap nodes). */
export function parseEndpointList(s: string, flag: string): HostPort[] {
  return s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
    .map((x) => {
      try {
        return parseHostPort(x, flag);
      } catch {
        throw new UsageError(`${flag} takes HOST:PORT[,HOST:PORT…] (got "${x}")`);
      }
    });
}

export const bootstrapOption = (description: string): OptionSpec => ({ type: 'string', value: 'HOST:PORT,…', description: `${description} (or BITUNICOM_BOOTSTRAP)` });

/** `--bootstrap`, else BITUNICOM_BOOTSTRAP from the command's environment. */
export function bootstrapFrom(ctx: CommandContext): HostPort[] {
  const raw = typeof ctx.values.bootstrap === 'string' ? ctx.values.bootstrap : (ctx.io.env.BITUNICOM_BOOTSTRAP ?? '');
  return parseEndpointList(raw, '--bootstrap');
}

export const LOG_LEVEL_OPTION: OptionSpec = {
  type: 'string',
  value: 'LEVEL',
  description: `log level on stderr: ${LOG_LEVELS.join(', ')} (default info, or BITUNICOM_LOG)`,
};

/** The stderr line logger at `--log-level` / BITUNICOM_LOG (default info); bad level → usage error. */
export function loggerFrom(ctx: CommandContext): Logger {
  const level = ctx.values['log-level'] ?? ctx.io.env.BITUNICOM_LOG ?? 'info';
  if (!isLogLevel(level)) throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
  return createLineLogger(level, (l) => ctx.io.err(l));
}
