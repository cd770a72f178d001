/**
 * @module store/migrations
 * Every schema migration, in order. Add new ones at the end with the next version number.
 */
import { m0001Initial } from './0001-initial';
import { m0002Mailbox } from './0002-mailbox';
import { m0003Payments } from './0003-payments';
import { m0004Calls } from './0004-calls';
import { m0005CallHistory } from './0005-call-history';
import { m0006Search } from './0006-search';
import type { Migration } from './types';

export type { Migration };

export const MIGRATIONS: readonly Migration[] = [m0001Initial, m0002Mailbox, m0003Payments, m0004Calls, m0005CallHistory, m0006Search];
