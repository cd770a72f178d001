/**
 * @module daemon/commands/call
 * `bitunicom call <method> '<json>'`: any bridge method, raw, through the running node
 * (the node validates the input exactly as it does for the UI). Prints the JSON result.
 */
import { METHODS } from '../../../src-preload/contract';
import { UsageError, type CommandSpec } from '../args';
import { withDaemon } from './common';

export function parseJsonArg(text: string | undefined): unknown {
  if (text === undefined || text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`the input is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}

export const callCommand: CommandSpec = {
  name: 'call',
  group: 'Advanced',
  summary: 'Call any bridge method with a JSON input and print the JSON result.',
  synopsis: "<method> ['<json>']",
  minArgs: 1,
  maxArgs: 2,
  details: `Methods: ${Object.keys(METHODS).join(', ')}.\nExample: bitunicom call messages.list '{"address":"0x…","limit":5}'`,
  async run(ctx) {
    const input = parseJsonArg(ctx.args[1]);
    await withDaemon(ctx, async (caller) => {
      const result = await caller.callRaw(ctx.args[0]!, input);
      ctx.io.out(JSON.stringify(result, null, 2));
    });
  },
};
