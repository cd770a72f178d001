/**
 * @module chat
 * 1:1 chat: contacts, messages, payments in a conversation, offline delivery, roster backup.
 */
export { ChatService, type ChatEvents, type ChatOptions } from './chat-service';
export { createInvite, parseInvite, INVITE_PREFIX, type Invite } from './invite';
export { Kind, encodePayload, decodePayload, type ChatPayload } from './payload';
export { backoffMs } from './backoff';
export { Connector, type Discovery, type Traversal, type LinkKind, type LinkReport, type StepOutcome } from './connector';
export { OfflineDelivery, type MailboxPort, type MailboxItem } from './mailbox';
export { RosterBackup, type RosterPort, type RosterStatus } from './roster-backup';
export { sealRoster, openRoster, type Roster, type RosterContact } from './roster-blob';
export { walletProofText, verifyWalletProof } from './wallet-proof';
export {
  checkPaymentBody,
  decodePaymentBody,
  encodePaymentBody,
  formatPaymentAmount,
  paymentSummary,
  type PaymentBody,
  type PaymentToken,
} from './payment-body';
export type { PaymentPatch } from './payments';
export type { StoredPayment } from './mappers';
