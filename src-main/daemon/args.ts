/**
 * @module daemon/args
 * Command table types, argv splitting and per-command parsing (node:util parseArgs, strict),
 * and the usage texts. Global options (`--data`, `--json`, `--help`) may appear before or
 * after the command name; `--` ends options (so a message may start with a dash).
 */
import { parseArgs } from 'node:util';
import type { CommandContext, OptionValues } from './context';

export type OptionSpec = { type: 'string' | 'boolean'; short?: string; value?: string; description: string };

export type CommandSpec = {
  name: string;
  group: string;
  summary: string;
  /** Positional synopsis, e.g. `<address|name> <text...>`. */
  synopsis?: string;
  minArgs?: number;
  /** Infinity for a trailing rest argument. */
  maxArgs?: number;
  options?: Record<string, OptionSpec>;
  /** Extra help paragraphs. */
  details?: string;
  run(ctx: CommandContext): Promise<number | void>;
};

/** A mistake in how the command was typed: exit code 2, one line on stderr. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  data: { type: 'string', value: 'DIR', description: 'profile directory (default: the OS profile dir)' },
  json: { type: 'boolean', description: 'print results as JSON' },
  help: { type: 'boolean', short: 'h', description: 'show help' },
};

/** Finds the command name: the first argument that is neither an option nor the value of --data. */
export function splitCommand(argv: readonly string[]): { command: string | null; rest: string[] } {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a === '--data') {
      i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    return { command: a, rest: [...argv.slice(0, i), ...argv.slice(i + 1)] };
  }
  return { command: null, rest: [...argv] };
}

/**
 * Finds a command that may be two words (`node status`, `devnet reset`): when the first word
 * starts some, the next positional is the subcommand (if the first word is a command itself,
 * only when the pair is a command: `node --role sealer` stays `node`). `parent`
 * is set when only the first word was typed (or the pair is unknown), for the usage text.
 */
export function splitCommandPath(
  argv: readonly string[],
  commands: readonly Pick<CommandSpec, 'name'>[],
): { command: string | null; rest: string[]; parent: string | null } {
  const first = splitCommand(argv);
  const word = first.command;
  if (word === null || !commands.some((c) => c.name.startsWith(`${word} `))) return { ...first, parent: null };
  const second = splitCommand(first.rest);
  if (commands.some((c) => c.name === word)) {
    // A word that is a command and a group (`node --role …`, `node status`): the pair when it is one.
    const pair = second.command === null ? null : `${word} ${second.command}`;
    return pair !== null && commands.some((c) => c.name === pair) ? { command: pair, rest: second.rest, parent: null } : { ...first, parent: null };
  }
  if (second.command === null) return { command: word, rest: first.rest, parent: word };
  const name = `${word} ${second.command}`;
  return { command: name, rest: second.rest, parent: commands.some((c) => c.name === name) ? null : word };
}

/** `bitunicom node --help`: the subcommands of one group word. */
export function parentUsage(parent: string, commands: readonly CommandSpec[]): string {
  const subs = commands.filter((c) => c.name.startsWith(`${parent} `));
  const w = Math.max(...subs.map((c) => `${c.name} ${c.synopsis ?? ''}`.trim().length));
  return [
    `Usage: bitunicom ${parent} <${subs.map((c) => c.name.slice(parent.length + 1)).join('|')}> [options]`,
    '',
    ...subs.map((c) => `  ${`${c.name} ${c.synopsis ?? ''}`.trim().padEnd(w)}  ${c.summary}`),
    '',
    `Run 'bitunicom ${parent} <command> --help' for a command's options.`,
  ].join('\n');
}

export type Parsed = { values: OptionValues; args: string[] };

export function parseCommandArgs(spec: CommandSpec, argv: readonly string[]): Parsed {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const [name, o] of Object.entries({ ...GLOBAL_OPTIONS, ...spec.options })) {
    options[name] = o.short ? { type: o.type, short: o.short } : { type: o.type };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(cleanParseError(e), spec.name);
  }
  const values = parsed.values as OptionValues;
  if (values.help) return { values, args: parsed.positionals };
  const args = parsed.positionals;
  const min = spec.minArgs ?? 0;
  const max = spec.maxArgs ?? 0;
  if (args.length < min) throw new UsageError(`missing argument: ${spec.name} ${spec.synopsis ?? ''}`.trim(), spec.name);
  if (args.length > max) {
    throw new UsageError(`unexpected argument "${args[max]}"${max ? '' : ` (${spec.name} takes none)`}`, spec.name);
  }
  for (const [name, o] of Object.entries(spec.options ?? {})) {
    if (o.type === 'string' && values[name] === '') throw new UsageError(`--${name} needs a value`, spec.name);
  }
  return { values, args };
}

function cleanParseError(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  // parseArgs messages are long and mention how to pass a positional; keep the first sentence.
  const first = msg.split(/\.\s|\n/)[0] ?? msg;
  return first.replace(/^Unknown option '(.*)'$/, 'unknown option $1');
}

/** A positive integer option value, or a usage error. */
export function intOption(values: OptionValues, name: string, min: number, max: number): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
  return n;
}

function optionLines(opts: Record<string, OptionSpec>): string[] {
  const rows = Object.entries(opts).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
    return [flag, o.description] as const;
  });
  const w = Math.max(...rows.map(([f]) => f.length));
  return rows.map(([f, d]) => `  ${f.padEnd(w)}  ${d}`);
}

export function commandUsage(spec: CommandSpec): string {
  const lines = [`Usage: bitunicom ${spec.name}${spec.synopsis ? ` ${spec.synopsis}` : ''} [options]`, '', spec.summary];
  if (spec.details) lines.push('', spec.details);
  lines.push('', 'Options:', ...optionLines({ ...(spec.options ?? {}), ...GLOBAL_OPTIONS }));
  return lines.join('\n');
}

export function mainUsage(commands: readonly CommandSpec[]): string {
  const lines = [
    'BitUnicom: end-to-end encrypted peer-to-peer messenger (headless node and CLI).',
    '',
    'Usage: bitunicom <command> [arguments] [--data DIR] [--json]',
  ];
  const groups = [...new Set(commands.map((c) => c.group))];
  const w = Math.max(...commands.map((c) => `${c.name} ${c.synopsis ?? ''}`.trim().length));
  for (const g of groups) {
    lines.push('', `${g}:`);
    for (const c of commands.filter((x) => x.group === g)) {
      lines.push(`  ${`${c.name} ${c.synopsis ?? ''}`.trim().padEnd(w)}  ${c.summary}`);
    }
  }
  lines.push(
    '',
    'Global options:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    'Passwords come from BITUNICOM_PASSWORD or --password-file FILE (never from the command line).',
    "Run 'bitunicom <command> --help' for a command's options.",
  );
  return lines.join('\n');
}
