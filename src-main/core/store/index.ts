/**
 * @module store
 * The encrypted local database (SQLCipher format through better-sqlite3-multiple-ciphers):
 * contacts, endpoints, messages and outbox, the envelope replay cache, settings.
 */
export { openStore, Store, type StoreOptions } from './store';
export { openDatabase, type OpenDatabaseOptions } from './db';
export { migrate, schemaVersion } from './migrate';
export { MIGRATIONS, type Migration } from './migrations';
export { ContactsRepo, CONTACT_STATES, type ContactRow, type ContactState } from './contacts';
export { EndpointsRepo, MAX_ENDPOINTS_PER_CONTACT, type EndpointRow, type EndpointSource } from './endpoints';
export { MessagesRepo, type CallJson, type MessageKind, type MessageRow, type MessageState, type NewCall, type NewMessage, type PaymentJson } from './messages';
export { CallHistoryRepo, DEFAULT_CALL_PAGE, MAX_CALL_PAGE, MISSED_SEEN_KEY, type CallCursor, type CallPage } from './call-history';
export { SeenRepo } from './seen';
export { SettingsRepo } from './settings';
export { RatchetsRepo, type PrekeyRow } from './ratchets';
export { SearchRepo, ftsQuery, queryTerms, MARK_OPEN, MARK_CLOSE, DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT, type SearchHit, type SearchOptions, type SearchPage } from './search';
