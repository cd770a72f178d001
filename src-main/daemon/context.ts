/**
 * @module daemon/context
 * What a CLI command receives: its parsed arguments, the profile directory, the output mode,
 * and injectable dependencies (I/O, the core loader, the shutdown signal) so tests can run
 * every command in-process against a fake node.
 */
import type { BuNode, NodeOptions } from '../core';

export type CliIO = {
  /** Writes one line (a newline is added) to stdout. */
  out(text: string): void;
  /** Writes one line to stderr. */
  err(text: string): void;
  env: Record<string, string | undefined>;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(mode: boolean): unknown };
  platform: string;
  home: string;
  cwd: string;
};

export type NodeLike = Pick<BuNode, 'dataDir' | 'handlers' | 'events' | 'close'> & Partial<Pick<BuNode, 'media' | 'dapps' | 'setDappServer'>>;

/** The part of the core the CLI uses (loaded lazily: commands that only talk to a daemon skip it). */
export type CoreApi = {
  createNode(opts: NodeOptions): Promise<NodeLike>;
  generateMnemonic(strength?: 128 | 256): string;
};

export type CliDeps = {
  io: CliIO;
  loadCore(): Promise<CoreApi>;
  /** serve runs until this aborts; default: SIGINT / SIGTERM. */
  shutdownSignal?: AbortSignal;
  /** serve's process id as written to daemon.json (tests may fake it). */
  pid?: number;
};

export type OptionValues = Record<string, string | boolean | undefined>;

export type CommandContext = {
  deps: CliDeps;
  io: CliIO;
  dataDir: string;
  json: boolean;
  values: OptionValues;
  args: string[];
};
