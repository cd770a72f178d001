/**
 * @module daemon/logger
 * The headless shell's Logger for the core: one line per entry on stderr,
 * `ISO-TIME LEVEL message {json fields}`; entries below the chosen level are dropped.
 */
import type { Logger } from '../core/base';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function isLogLevel(v: unknown): v is LogLevel {
  return typeof v === 'string' && (LOG_LEVELS as readonly string[]).includes(v);
}

export function createLineLogger(min: LogLevel, write: (line: string) => void, now: () => Date = () => new Date()): Logger {
  const floor = LOG_LEVELS.indexOf(min);
  const at =
    (level: LogLevel) =>
    (msg: string, fields?: Record<string, unknown>): void => {
      if (LOG_LEVELS.indexOf(level) < floor) return;
      let extra = '';
      if (fields && Object.keys(fields).length) {
        try {
          extra = ` ${JSON.stringify(fields)}`;
        } catch {
          extra = ' {"fields":"unserialisable"}';
        }
      }
      write(`${now().toISOString()} ${level.toUpperCase()} ${msg}${extra}`);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
