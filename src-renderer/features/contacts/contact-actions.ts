/**
 * @module renderer/features/contacts/contact-actions
 * Contact calls: invite, add, accept, decline, block, unblock, rename. Each merges the
 * returned contact into the store at once (the matching `contact.updated` event is then a
 * no-op) and reports success with a toast where the user expects feedback.
 */
import type { ContactT } from '../../../src-preload/contract';
import { call } from '../../bridge';
import { toast } from '../../ui/toast-store';
import { useContactsStore } from './contacts-store';

function keep(contact: ContactT): ContactT {
  useContactsStore.getState().upsert(contact);
  return contact;
}

export async function fetchInvite(): Promise<string> {
  return (await call('contacts.invite', {})).link;
}

/** Sends a request (or completes a mutual one: the result may already be a friend). */
export async function addFriend(invite: string): Promise<ContactT> {
  const contact = keep(await call('contacts.add', { invite: invite.trim() }));
  if (contact.state === 'friend') toast.success(`You and ${contact.name} are now friends`);
  else toast.success(`Request sent to ${contact.name}`);
  return contact;
}

export async function acceptRequest(address: string): Promise<ContactT> {
  const contact = keep(await call('contacts.accept', { address }));
  toast.success(`You and ${contact.name} are now friends`);
  return contact;
}

export async function declineRequest(address: string): Promise<ContactT> {
  const contact = keep(await call('contacts.decline', { address }));
  toast.info(`Request from ${contact.name} declined`);
  return contact;
}

export async function blockContact(address: string): Promise<ContactT> {
  const contact = keep(await call('contacts.block', { address }));
  toast.info(`${contact.name} is blocked`);
  return contact;
}

export async function unblockContact(address: string): Promise<ContactT> {
  const contact = keep(await call('contacts.unblock', { address }));
  toast.info(`${contact.name} is unblocked`);
  return contact;
}

export async function renameContact(address: string, name: string): Promise<ContactT> {
  return keep(await call('contacts.rename', { address, name: name.trim() }));
}
