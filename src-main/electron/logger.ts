/**
 * @module electron/logger
 * The Electron shell's Logger for the core: one line per entry on stderr,
 * `LEVEL message {json fields}`, below `minLevel` dropped. The core never logs secrets; this
 * logger adds nothing but a timestamp.
 */
import type { Logger } from '../core/base';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LEVELS)[number];

export function parseLogLevel(v: string | undefined, fallback: LogLevel = 'info'): LogLevel {
  return (LEVELS as readonly string[]).includes(v ?? '') ? (v as LogLevel) : fallback;
}

export function formatLogLine(level: LogLevel, msg: string, fields: Record<string, unknown> | undefined, now: Date): string {
  let extra = '';
  if (fields && Object.keys(fields).length) {
    try {
      extra = ` ${JSON.stringify(fields)}`;
    } catch {
      extra = ' {"fields":"unserialisable"}';
    }
  }
  return `${now.toISOString()} ${level.toUpperCase()} ${msg}${extra}`;
}

export function createStderrLogger(minLevel: LogLevel, write: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Logger {
  const min = LEVELS.indexOf(minLevel);
  const at =
    (level: LogLevel) =>
    (msg: string, fields?: Record<string, unknown>): void => {
      if (LEVELS.indexOf(level) >= min) write(formatLogLine(level, msg, fields, new Date()));
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
