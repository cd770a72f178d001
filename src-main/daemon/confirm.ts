/**
 * @module daemon/confirm
 * Confirmation of destructive commands (`devnet reset`): on a terminal the user types a word
 * (as `gh repo delete` asks for the repository name); without a terminal the command needs
 * `--yes`, so a script never erases anything by accident and never hangs on a prompt.
 */
import type { CliIO } from './context';

/** go: confirmed by a flag; ask: prompt on the terminal; refuse: no terminal and no flag. */
export type ConfirmPlan = 'go' | 'ask' | 'refuse';

export function confirmPlan(o: { yes: boolean; tty: boolean }): ConfirmPlan {
  if (o.yes) return 'go';
  return o.tty ? 'ask' : 'refuse';
}

/** The typed answer matches the word (surrounding spaces and letter case do not matter). */
export function isTypedConfirmation(answer: string | null, word: string): boolean {
  return answer !== null && answer.trim().toLowerCase() === word.toLowerCase();
}

/** One line from stdin (without its line end), or null when input ends first. */
export function readLine(io: CliIO, maxBytes = 1024): Promise<string | null> {
  const stdin = io.stdin;
  return new Promise((resolve) => {
    let buf = '';
    const finish = (line: string | null) => {
      stdin.removeListener('data', onData);
      stdin.removeListener('end', onEnd);
      stdin.pause();
      resolve(line);
    };
    const onData = (chunk: string | Buffer) => {
      buf += String(chunk);
      const nl = buf.indexOf('\n');
      if (nl >= 0) finish(buf.slice(0, nl).replace(/\r$/, ''));
      else if (buf.length > maxBytes) finish(null);
    };
    const onEnd = () => finish(buf.length ? buf : null);
    stdin.on('data', onData);
    stdin.once('end', onEnd);
    stdin.resume();
  });
}

/** Shows the warning lines on stderr, then asks for `word`; true only if it was typed. */
export async function askTyped(io: CliIO, warning: readonly string[], word: string): Promise<boolean> {
  for (const line of warning) io.err(line);
  io.err(`Type '${word}' to continue:`);
  return isTypedConfirmation(await readLine(io), word);
}
