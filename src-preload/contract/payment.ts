/**
 * @module contract/payment
 * Money inside a conversation (issue 10 item 7): "Send money" and "Request" make a payment
 * message (chat payload kind PAYMENT, signed with the sender's identity key like every chat
 * message and, for a send, referencing the transaction hash). Both sides check that
 * transaction on chain (receipt, recipient, amount, token Transfer log) and show the status
 * live. A friend's wallet address comes from their signed profile (`Contact.wallet`), never
 * from text the user typed.
 */
import { z } from 'zod';
import { Address, Amount, TxHash, WalletToken } from './primitives';

export const PaymentStatus = z.enum([
  /** A request nobody paid yet. */
  'requested',
  /** A send whose transaction is not mined yet. */
  'pending',
  /** Mined and matching the message (recipient, amount, token). */
  'confirmed',
  /** Reverted, dropped, or on chain but not what the message says. */
  'failed',
  /** A request that a later send of the conversation paid (see `paidBy`). */
  'paid',
  /** This side cannot check it: the network is not one of ours or its RPC is unreachable. */
  'unverified',
]);

export const Payment = z.object({
  type: z.enum(['send', 'request']),
  chainId: z.number().int().positive(),
  /** The network's name on this side (the sender's name when we have no such network). */
  networkName: z.string(),
  token: WalletToken.nullable(),
  amount: Amount,
  /** The wallet that receives (the requester's, or the friend paid). */
  to: Address,
  /** The paying wallet (sends only). */
  from: Address.nullable(),
  txHash: TxHash.nullable(),
  note: z.string().nullable(),
  status: PaymentStatus,
  /** For a request: the transaction that paid it. */
  paidBy: TxHash.nullable(),
  /** The message id of the request a send pays. */
  requestId: z.string().nullable(),
  /** A sentence about the status ("Confirmed in block 42", "Amount on chain differs"). */
  detail: z.string().nullable(),
});

export type PaymentT = z.infer<typeof Payment>;
export type PaymentStatusT = z.infer<typeof PaymentStatus>;
