/**
 * @module daemon/commands/contacts
 * Contact commands (through the running node): invite, add, requests, accept, decline,
 * block, unblock, contacts.
 */
import type { MethodName } from '../../../src-preload/contract';
import type { CommandSpec } from '../args';
import { formatContact, formatContacts } from '../format';
import { peerArg, print, withDaemon } from './common';

export const inviteCommand: CommandSpec = {
  name: 'invite',
  group: 'Contacts',
  summary: 'Print your invite link to share with someone.',
  async run(ctx) {
    await withDaemon(ctx, async (caller) => {
      const r = await caller.call('contacts.invite', {});
      print(ctx, r, () => r.link);
    });
  },
};

export const addCommand: CommandSpec = {
  name: 'add',
  group: 'Contacts',
  summary: "Send a contact request using someone's invite link.",
  synopsis: '<invite>',
  minArgs: 1,
  maxArgs: 1,
  async run(ctx) {
    await withDaemon(ctx, async (caller) => {
      const c = await caller.call('contacts.add', { invite: ctx.args[0]!.trim() });
      print(ctx, c, () => formatContact(c));
    });
  },
};

export const requestsCommand: CommandSpec = {
  name: 'requests',
  group: 'Contacts',
  summary: 'List contact requests (received and sent).',
  async run(ctx) {
    await withDaemon(ctx, async (caller) => {
      const list = await caller.call('contacts.requests', {});
      print(ctx, list, () => formatContacts(list, 'No pending requests.'));
    });
  },
};

export const contactsCommand: CommandSpec = {
  name: 'contacts',
  group: 'Contacts',
  summary: 'List your contacts.',
  async run(ctx) {
    await withDaemon(ctx, async (caller) => {
      const list = await caller.call('contacts.list', {});
      print(ctx, list, () => formatContacts(list));
    });
  },
};

function stateCommand(name: string, method: MethodName & `contacts.${string}`, summary: string, verb: string): CommandSpec {
  return {
    name,
    group: 'Contacts',
    summary,
    synopsis: '<address|name>',
    minArgs: 1,
    maxArgs: 1,
    async run(ctx) {
      await withDaemon(ctx, async (caller) => {
        const peer = await peerArg(caller, ctx.args[0]!);
        const c = (await caller.callRaw(method, { address: peer.address })) as Parameters<typeof formatContact>[0];
        print(ctx, c, () => `${verb} ${formatContact(c)}`);
      });
    },
  };
}

export const acceptCommand = stateCommand('accept', 'contacts.accept', 'Accept a contact request.', 'Accepted:');
export const declineCommand = stateCommand('decline', 'contacts.decline', 'Decline a contact request.', 'Declined:');
export const blockCommand = stateCommand('block', 'contacts.block', 'Block a contact (their messages are dropped).', 'Blocked:');
export const unblockCommand = stateCommand('unblock', 'contacts.unblock', 'Unblock a contact.', 'Unblocked:');
