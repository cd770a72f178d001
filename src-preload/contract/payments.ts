/**
 * @module contract/payments
 * The chat payment methods (issue 10 item 7); the payment message itself is `Payment` in
 * payment.ts, carried by `Message.payment`.
 */
import { z } from 'zod';
import { Address, BaseUnits, DecimalAmount, FeeTierName, NetworkId } from './primitives';
import { Message } from './schemas';

const Note = z.string().trim().max(200).optional();
const PayTo = {
  /** The friend (identity address). */
  address: Address,
  amount: DecimalAmount,
  token: Address.optional(),
  networkId: NetworkId.optional(),
  note: Note,
};
const Fees = { tier: FeeTierName.optional(), maxFeePerGas: BaseUnits.optional(), maxPriorityFeePerGas: BaseUnits.optional() };

export const PAYMENT_METHODS = {
  /** Pay a friend at the wallet address of their signed profile; the message carries the tx hash. */
  'payments.send': { input: z.strictObject({ ...PayTo, ...Fees, confirm: z.literal(true) }), output: Message },
  /** Ask a friend for money (to our selected account on the chosen network). */
  'payments.request': { input: z.strictObject(PayTo), output: Message },
  /** Pay a request we received, with one confirm: its amount, token and network. */
  'payments.pay': { input: z.strictObject({ address: Address, id: z.string().min(1).max(64), ...Fees, confirm: z.literal(true) }), output: Message },
} as const;
