/**
 * @module renderer/features/dapps/pending-format
 * Words and rules for the confirm dialog of a provider request waiting for the user
 * (`PendingRequest`: EIP-2255 connect, EIP-191 personal_sign, EIP-712 typed data, EIP-1559
 * transactions, EIP-3326 switch-chain, BitUnicom channels), as pure functions: the Approve
 * button's verb, the sentence saying what approving does, the decoded call as label/value
 * rows, what the user must pick before Approve is enabled, and the first choice offered.
 */
import type { DisplayRowT, PendingRequestT } from '../../../src-preload/contract';

type Kind = PendingRequestT['kind'];

const VERB: Record<Kind, string> = {
  connect: 'Connect',
  'personal-sign': 'Sign',
  'typed-data': 'Sign',
  transaction: 'Send transaction',
  'switch-chain': 'Switch network',
  channel: 'Allow',
};

const MEANING: Record<Kind, string> = {
  connect: 'It will see the addresses of the accounts you tick, and can then ask for signatures and transactions (each one asked again).',
  'personal-sign': 'Signing proves you hold this account. It costs nothing, but read the message: a signature can be used as a login or an agreement.',
  'typed-data': 'Signing structured data can authorise things on chain (for example token spending). Check every field before you sign.',
  transaction: 'This sends a transaction from your account. It cannot be undone once it is in a block.',
  'switch-chain': 'The dapp will talk to another network from now on.',
  channel: 'The friends you tick can exchange messages with this dapp through BitUnicom. You can revoke them in Settings.',
};

export function approveLabel(kind: Kind): string {
  return VERB[kind];
}

export function kindMeaning(kind: Kind): string {
  return MEANING[kind];
}

export function chainLabel(chain: PendingRequestT['chain']): string {
  return `${chain.name} (chain ${chain.chainId})`;
}

/** The decoded call (function, arguments, value, max fee) as dialog rows. */
export function callRows(call: NonNullable<PendingRequestT['call']>): DisplayRowT[] {
  const rows: DisplayRowT[] = [{ label: 'To', value: call.toName ? `${call.toName} (${call.to})` : call.to, mono: !call.toName }];
  if (call.functionName) rows.push({ label: 'Function', value: call.functionName, mono: true });
  else if (call.selector) rows.push({ label: 'Function', value: `unknown (${call.selector})`, mono: true, warn: true });
  for (const a of call.args) rows.push({ label: `${a.name || 'argument'} (${a.type})`, value: a.value, mono: true });
  rows.push({ label: 'Amount', value: call.value.formatted });
  rows.push({ label: 'Max network fee', value: call.maxFee ? call.maxFee.formatted : 'not known yet', warn: !call.maxFee });
  return rows;
}

export type Choice = { accounts: string[]; friends: string[] };

/** The first selection shown: for connect only the first account (least privilege), no friends. */
export function initialChoice(req: PendingRequestT): Choice {
  const first = req.choices[0]?.address;
  return { accounts: req.kind === 'connect' && first ? [first] : [], friends: [] };
}

/** Why Approve is disabled right now, or null when it may be pressed. */
export function approveBlocker(req: PendingRequestT, choice: Choice): string | null {
  if (req.kind === 'connect') {
    if (req.choices.length === 0) return 'There is no account to connect. Add one in the Wallet first.';
    if (choice.accounts.length === 0) return 'Tick at least one account to connect.';
  }
  if (req.kind === 'channel') {
    if (req.friends.length === 0) return 'None of your friends has this dapp installed yet.';
    if (choice.friends.length === 0) return 'Tick at least one friend.';
  }
  if (req.kind === 'transaction' && req.call && !req.call.sufficient) return 'The balance does not cover the amount and the network fee.';
  return null;
}

/** Toggle one value in a list (checkbox groups), keeping order of first appearance. */
export function toggle(list: string[], value: string, on: boolean): string[] {
  const has = list.some((v) => v.toLowerCase() === value.toLowerCase());
  if (on) return has ? list : [...list, value];
  return list.filter((v) => v.toLowerCase() !== value.toLowerCase());
}

/** "Request 2 of 3" when several wait. */
export function queueLabel(position: number, total: number): string | null {
  return total > 1 ? `Request ${position + 1} of ${total}` : null;
}
