/**
 * @module daemon/commands/messages
 * Message commands (through the running node): send, messages.
 */
import { intOption, UsageError, type CommandSpec } from '../args';
import { formatMessage, formatMessages } from '../format';
import { peerArg, print, withDaemon } from './common';

export const sendCommand: CommandSpec = {
  name: 'send',
  group: 'Messages',
  summary: 'Send a message to a friend (queued and retried until delivered).',
  synopsis: '<address|name> <text...>',
  minArgs: 2,
  maxArgs: Infinity,
  details: "The words after the contact are joined with spaces. Use '--' before text that starts with '-'.",
  async run(ctx) {
    const [ref, ...words] = ctx.args;
    const text = words.join(' ');
    if (!text.trim()) throw new UsageError('the message is empty');
    await withDaemon(ctx, async (caller) => {
      const peer = await peerArg(caller, ref!);
      const m = await caller.call('messages.send', { address: peer.address, text });
      print(ctx, m, () => formatMessage(m, peer.name || peer.address));
    });
  },
};

export const messagesCommand: CommandSpec = {
  name: 'messages',
  group: 'Messages',
  summary: 'Show the latest messages with a contact, with their delivery state.',
  synopsis: '<address|name>',
  minArgs: 1,
  maxArgs: 1,
  options: { limit: { type: 'string', value: 'N', description: 'how many (1-500, default 20)' } },
  async run(ctx) {
    const limit = intOption(ctx.values, 'limit', 1, 500) ?? 20;
    await withDaemon(ctx, async (caller) => {
      const peer = await peerArg(caller, ctx.args[0]!);
      const list = await caller.call('messages.list', { address: peer.address, limit });
      print(ctx, list, () => formatMessages(list, peer.name || peer.address));
    });
  },
};
