/**
 * @module daemon/inputs
 * Secrets and text the CLI reads: passwords (BITUNICOM_PASSWORD, --password-file, or a hidden
 * prompt when allowed and stdin is a terminal), files with a size cap, and stdin. A secret
 * never comes from argv, where other local users could read it (ps, /proc/PID/cmdline).
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from './args';
import type { CliIO, OptionValues } from './context';

export const PASSWORD_ENV = 'BITUNICOM_PASSWORD';

export const PASSWORD_FILE_OPTION = {
  'password-file': { type: 'string' as const, value: 'FILE', description: `read the password from FILE (or set ${PASSWORD_ENV})` },
};

/** Strips exactly one trailing line break (files written by editors or `echo`). */
export function stripLineEnd(s: string): string {
  return s.replace(/\r?\n$/, '');
}

/** Reads a small text file (relative to `cwd`); a missing or oversized file is a usage error. */
export async function readTextFile(file: string, what: string, maxBytes = 64 * 1024, cwd = process.cwd()): Promise<string> {
  const path = resolve(cwd, file);
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UsageError(`${what} ${path} is not a file`);
    if (info.size > maxBytes) throw new UsageError(`${what} ${path} is larger than ${maxBytes} bytes`);
    return await readFile(path, 'utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${what} ${path}${code === 'ENOENT' ? ': no such file' : code === 'EACCES' ? ': permission denied' : ''}`);
  }
}

/** The password from the environment or --password-file, or null if neither was given. */
export async function passwordFromSources(io: CliIO, values: OptionValues): Promise<string | null> {
  const file = values['password-file'];
  if (typeof file === 'string') {
    const pw = stripLineEnd(await readTextFile(file, 'password file', 4096, io.cwd));
    if (!pw) throw new UsageError(`the password file ${file} is empty`);
    return pw;
  }
  const env = io.env[PASSWORD_ENV];
  return env ? env : null;
}

/** A required password: env, file, or (if `prompt` and stdin is a terminal) typed without echo. */
export async function requirePassword(io: CliIO, values: OptionValues, prompt?: string): Promise<string> {
  const pw = await passwordFromSources(io, values);
  if (pw !== null) return pw;
  if (prompt && io.stdin.isTTY && io.stdin.setRawMode) {
    const typed = await promptHidden(io, prompt);
    if (typed) return typed;
  }
  throw new UsageError(`a password is needed: set ${PASSWORD_ENV} or pass --password-file FILE`);
}

/** Reads all of stdin as UTF-8, up to maxBytes. */
export async function readStdin(io: CliIO, maxBytes = 64 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > maxBytes) throw new UsageError(`standard input is larger than ${maxBytes} bytes`);
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads one line from a terminal without echoing it. Ctrl-C cancels. */
export function promptHidden(io: CliIO, question: string): Promise<string> {
  const stdin = io.stdin;
  return new Promise((resolve, reject) => {
    let value = '';
    process.stderr.write(question);
    stdin.setRawMode?.(true);
    stdin.setEncoding('utf8');
    stdin.resume();
    const done = (err: Error | null) => {
      stdin.removeListener('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string | Buffer) => {
      for (const ch of String(chunk)) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done(null);
        if (ch === '\u0003') return done(new UsageError('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** Reads one visible line from a terminal, or all of stdin when it is not a terminal. */
export async function promptOrStdin(io: CliIO, question: string, maxBytes = 64 * 1024): Promise<string> {
  if (!io.stdin.isTTY) return readStdin(io, maxBytes);
  process.stderr.write(question);
  const stdin = io.stdin;
  stdin.setEncoding('utf8');
  return new Promise((resolve) => {
    let buf = '';
    const onData = (chunk: string | Buffer) => {
      buf += String(chunk);
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        stdin.removeListener('data', onData);
        stdin.pause();
        resolve(buf.slice(0, nl));
      }
    };
    stdin.on('data', onData);
    stdin.resume();
  });
}
