export { ChatService, type ChatEvents, type ChatOptions } from './chat-service';
export { createInvite, parseInvite, INVITE_PREFIX, type Invite } from './invite';
export { Kind, encodePayload, decodePayload, type ChatPayload } from './payload';
export { backoffMs } from './backoff';
export { Connector, type Discovery, type Traversal, type LinkKind, type LinkReport, type StepOutcome } from './connector';
export { OfflineDelivery, type MailboxPort, type MailboxItem } from './mailbox';
export { RosterBackup, type RosterPort, type RosterStatus } from './roster-backup';
export { sealRoster, openRoster, type Roster, type RosterContact } from './roster-blob';
