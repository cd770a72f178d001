/**
 * @module daemon/shutdown
 * Resolves when the process is asked to stop: the injected abort signal (tests) or the first
 * SIGINT/SIGTERM. A second signal while shutting down exits at once.
 */
import type { CommandContext } from './context';

export function waitForShutdown(ctx: CommandContext): Promise<string> {
  const signal = ctx.deps.shutdownSignal;
  if (signal) {
    return new Promise((resolve) => {
      if (signal.aborted) resolve('abort');
      else signal.addEventListener('abort', () => resolve('abort'), { once: true });
    });
  }
  return new Promise((resolve) => {
    const on = (sig: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      // A second signal while closing means "now".
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      resolve(sig);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}
