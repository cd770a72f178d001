/**
 * @module daemon/cli
 * The headless shell's entry (`bitunicom …`, bundled to out/main/cli.js): `serve` runs the
 * node with its loopback web UI; the other commands talk to that running node through
 * `<DATA>/daemon.json` and the same bridge the UI uses (like `ipfs` or `syncthing cli`).
 *
 * `main(argv)` never throws and never exits the process: it resolves with the exit code
 * (0 ok, 1 failure, 2 usage error) after printing at most one error line on stderr.
 */
import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isErrorCode } from '../../src-preload/contract';
import { defaultProfileDir } from '../bin/profile-dir.mjs';
import { commandUsage, mainUsage, parentUsage, parseCommandArgs, splitCommandPath, UsageError, type CommandSpec } from './args';
import {
  exportKeystoreCommand,
  importCommand,
  initCommand,
  lockCommand,
  statusCommand,
  unlockCommand,
} from './commands/account';
import { arCommand } from './commands/ar';
import { callCommand } from './commands/call';
import { CALLS_COMMANDS } from './commands/calls';
import { chainExportCommand, chainImportCommand, chainServeCommand } from './commands/chain';
import { DAPP_COMMANDS } from './commands/dapp';
import { devnetResetCommand } from './commands/devnet';
import { nodeStatusCommand } from './commands/node';
import { nodeIdleCommand, nodeSealingCommand, nodeStakeCommand } from './commands/sealing';
import { poeNodeCommand } from './commands/poe';
import { poeDevnetCommand } from './commands/poe-devnet';
import { poeRegisterCommand } from './commands/poe-register';
import {
  acceptCommand,
  addCommand,
  blockCommand,
  contactsCommand,
  declineCommand,
  inviteCommand,
  requestsCommand,
  unblockCommand,
} from './commands/contacts';
import { messagesCommand, sendCommand } from './commands/messages';
import { serveCommand } from './commands/serve';
import { WALLET_COMMANDS } from './commands/wallet';
import type { CliDeps, CliIO, CommandContext } from './context';
import { formatError, oneLine } from './format';

export const COMMANDS: readonly CommandSpec[] = [
  serveCommand,
  arCommand,
  statusCommand,
  nodeStatusCommand,
  nodeSealingCommand,
  nodeIdleCommand,
  nodeStakeCommand,
  devnetResetCommand,
  poeNodeCommand,
  poeRegisterCommand,
  poeDevnetCommand,
  chainImportCommand,
  chainExportCommand,
  chainServeCommand,
  initCommand,
  importCommand,
  unlockCommand,
  lockCommand,
  exportKeystoreCommand,
  inviteCommand,
  addCommand,
  requestsCommand,
  acceptCommand,
  declineCommand,
  blockCommand,
  unblockCommand,
  contactsCommand,
  sendCommand,
  messagesCommand,
  ...WALLET_COMMANDS,
  ...CALLS_COMMANDS,
  callCommand,
  ...DAPP_COMMANDS,
];

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}

/** A command's usage, plus its subcommands when its name is also a group word (`node`, `devnet`). */
function usageOf(spec: CommandSpec): string {
  const subs = COMMANDS.some((c) => c.name.startsWith(`${spec.name} `));
  return subs ? `${commandUsage(spec)}\n\n${parentUsage(spec.name, COMMANDS)}` : commandUsage(spec);
}

export function processIO(): CliIO {
  return {
    out: (t) => void process.stdout.write(`${t}\n`),
    err: (t) => void process.stderr.write(`${t}\n`),
    env: process.env,
    stdin: process.stdin,
    platform: process.platform,
    home: homedir(),
    cwd: process.cwd(),
  };
}

export function defaultDeps(): CliDeps {
  return { io: processIO(), loadCore: () => import('../core') };
}

/** `{code, message}` of anything thrown by a command. */
export function errorInfo(e: unknown): { code: string; message: string } {
  if (typeof e === 'object' && e !== null) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (isErrorCode(code)) return { code, message: typeof message === 'string' ? message : '' };
  }
  return { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
}

export async function main(argv: readonly string[], deps: CliDeps = defaultDeps()): Promise<number> {
  const { io } = deps;
  const { command, rest, parent } = splitCommandPath(argv, COMMANDS);
  try {
    if (command === null || command === 'help') {
      const about = command === 'help' ? splitCommandPath(rest, COMMANDS) : null;
      const topic = about?.command ?? null;
      if (topic) {
        const spec = findCommand(topic);
        if (spec) io.out(usageOf(spec));
        else if (about?.parent && about.parent === topic) io.out(parentUsage(about.parent, COMMANDS));
        else throw new UsageError(`unknown command "${topic}"`);
        return 0;
      }
      if (command === 'help' || rest.includes('--help') || rest.includes('-h')) {
        io.out(mainUsage(COMMANDS));
        return 0;
      }
      throw new UsageError('missing command');
    }
    if (parent === command) {
      // Only the group word (`bitunicom node`): list its subcommands.
      if (rest.includes('--help') || rest.includes('-h')) {
        io.out(parentUsage(parent, COMMANDS));
        return 0;
      }
      const subs = COMMANDS.filter((c) => c.name.startsWith(`${parent} `)).map((c) => c.name.slice(parent.length + 1));
      throw new UsageError(`missing subcommand: ${parent} <${subs.join('|')}>`, parent);
    }
    const spec = findCommand(command);
    if (!spec) throw new UsageError(`unknown command "${command}"`, parent ?? undefined);
    const { values, args } = parseCommandArgs(spec, rest);
    if (values.help) {
      io.out(usageOf(spec));
      return 0;
    }
    const dataDir =
      typeof values.data === 'string'
        ? resolve(io.cwd, values.data)
        : defaultProfileDir({ platform: io.platform, env: io.env, home: io.home });
    const ctx: CommandContext = { deps, io, dataDir, json: values.json === true, values, args };
    const code = await spec.run(ctx);
    return typeof code === 'number' ? code : 0;
  } catch (e) {
    if (e instanceof UsageError) {
      const help = e.command ?? (command && findCommand(command) ? command : null);
      io.err(`bitunicom: ${oneLine(e.message)}. Run 'bitunicom ${help ? `${help} ` : ''}--help' for usage.`);
      return 2;
    }
    const { code, message } = errorInfo(e);
    io.err(formatError(code, message));
    if (io.env.BITUNICOM_DEBUG === '1' && e instanceof Error && e.stack) io.err(e.stack);
    return 1;
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.exitCode = 1;
    },
  );
}
