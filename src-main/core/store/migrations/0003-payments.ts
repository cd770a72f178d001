/**
 * @module store/migrations/0003-payments
 * Money in a conversation (issue 10 item 7): a message is either text or a payment (a send or
 * a request, whose JSON — the signed body plus the local status — lives in `payment`), and a
 * contact may carry the wallet address of its signed profile (EIP-55, or null until shared).
 */
import type { Migration } from './types';

export const m0003Payments: Migration = {
  version: 3,
  name: 'payments',
  up(db) {
    db.exec(`
      ALTER TABLE messages ADD COLUMN kind TEXT NOT NULL DEFAULT 'text' CHECK (kind IN ('text', 'payment'));
      ALTER TABLE messages ADD COLUMN payment TEXT CHECK ((kind = 'payment') = (payment IS NOT NULL));
      CREATE INDEX messages_payments ON messages (seq) WHERE kind = 'payment';

      ALTER TABLE contacts ADD COLUMN wallet TEXT
        CHECK (wallet IS NULL OR (length(wallet) = 42 AND substr(wallet, 1, 2) = '0x' AND substr(wallet, 3) NOT GLOB '*[^0-9a-fA-F]*'));
    `);
  },
};
