/**
 * @module node/payment-handlers
 * The `payments.*` bridge methods (chat payments, issue 10 item 7).
 */
import type { BridgeHandlers, PAYMENT_METHODS } from '../../../src-preload/contract';
import { BuError } from '../base';
import type { NodeCore } from './node';

type PaymentHandlers = Pick<BridgeHandlers, keyof typeof PAYMENT_METHODS>;

export function paymentHandlers(node: NodeCore): PaymentHandlers {
  const notYet = (): never => {
    node.requireWallet();
    throw new BuError('NOT_RUNNING', 'Payments in chat are not available in this build yet.');
  };
  return { 'payments.send': notYet, 'payments.request': notYet, 'payments.pay': notYet };
}
