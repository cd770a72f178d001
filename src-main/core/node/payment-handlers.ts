/**
 * @module node/payment-handlers
 * The `payments.*` bridge methods (chat payments, issue 10 item 7) → node/payments.ts.
 */
import type { BridgeHandlers, PAYMENT_METHODS } from '../../../src-preload/contract';
import type { NodeCore } from './node';

type PaymentHandlers = Pick<BridgeHandlers, keyof typeof PAYMENT_METHODS>;

export function paymentHandlers(node: NodeCore): PaymentHandlers {
  return {
    'payments.send': async ({ confirm: _confirm, ...i }) => node.localize(await node.requirePayments().send(i)),
    'payments.request': async (i) => node.localize(await node.requirePayments().request(i)),
    'payments.pay': async ({ confirm: _confirm, ...i }) => node.localize(await node.requirePayments().pay(i)),
  };
}
