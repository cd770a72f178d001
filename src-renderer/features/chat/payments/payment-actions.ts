/**
 * @module renderer/features/chat/payments/payment-actions
 * Bridge calls for money in a conversation: the pickers' data (networks, tokens, balance),
 * pricing (`wallet.quote` with `friend`), and `payments.send` / `payments.request` /
 * `payments.pay`. A returned message is merged into the thread like a sent text; later
 * status changes arrive through `message.updated` (features/status/sync).
 */
import type { MessageT, SendQuoteT, WalletBalancesT, WalletNetworkT, WalletTokenT } from '../../../../src-preload/contract';
import { call } from '../../../bridge';
import { useContactsStore } from '../../contacts/contacts-store';
import { addrKey } from '../../../lib/format';
import { useChatStore } from '../chat-store';
import { isStalePayment } from './payment-labels';

export type FeeTier = 'slow' | 'normal' | 'fast';

/** What the dialogs collect; `token` null is the network's native token. */
export type PaymentDraft = {
  friend: string;
  networkId: string;
  token: string | null;
  amount: string;
  note: string;
};

function merge(message: MessageT): MessageT {
  const held = useChatStore.getState().threads[addrKey(message.peer)]?.items.find((m) => m.id === message.id);
  if (isStalePayment(held, message)) return held ?? message;
  useChatStore.getState().merge(message);
  useContactsStore.getState().noteMessage(message);
  return message;
}

export function loadNetworks(): Promise<WalletNetworkT[]> {
  return call('wallet.networks', {});
}

export function loadTokens(networkId: string): Promise<WalletTokenT[]> {
  return call('wallet.tokens', { networkId });
}

export function loadBalances(networkId: string): Promise<WalletBalancesT> {
  return call('wallet.balances', { networkId });
}

function common(d: PaymentDraft) {
  const note = d.note.trim();
  return {
    address: d.friend,
    amount: d.amount.trim(),
    networkId: d.networkId,
    ...(d.token ? { token: d.token } : {}),
    ...(note ? { note } : {}),
  };
}

/** Price a payment to the friend's signed wallet address. Sends nothing. */
export function quotePayment(d: Omit<PaymentDraft, 'note'>, tier: FeeTier): Promise<SendQuoteT> {
  return call('wallet.quote', {
    friend: d.friend,
    amount: d.amount.trim(),
    networkId: d.networkId,
    tier,
    ...(d.token ? { token: d.token } : {}),
  });
}

export async function sendPayment(d: PaymentDraft, tier: FeeTier): Promise<MessageT> {
  return merge(await call('payments.send', { ...common(d), tier, confirm: true }));
}

export async function requestPayment(d: PaymentDraft): Promise<MessageT> {
  return merge(await call('payments.request', common(d)));
}

/** Pay a request we received (the node takes amount, token and network from the request). */
export async function payRequest(peer: string, id: string, tier: FeeTier): Promise<MessageT> {
  return merge(await call('payments.pay', { address: peer, id, tier, confirm: true }));
}
