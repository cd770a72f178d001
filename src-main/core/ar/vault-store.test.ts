import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MailboxStore, type MailboxLimits } from './mailbox-store';
import { VaultStore, type VaultLimits } from './vault-store';
import { makeIdentity } from './test-helpers';

const limits: VaultLimits = { ttlMs: 1000, maxBlobBytes: 500, maxEntries: 3, maxBytes: 1000 };
const mailboxLimits: MailboxLimits = { ttlMs: 1000, maxItemsPerRecipient: 3, maxBytesPerRecipient: 1000, maxItemsPerSender: 5, maxBytesPerSender: 10_000, maxBytes: 4000 };
const [A, B, C, D] = [makeIdentity(), makeIdentity(), makeIdentity(), makeIdentity()].map((i) => i.address) as [string, string, string, string];
const blob = (n: number, fill = n % 251) => new Uint8Array(n).fill(fill);
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('VaultStore', () => {
  it('keeps one blob per owner, the highest version; older or equal versions change nothing', () => {
    const v = VaultStore.memory(limits);
    expect(v.get(A, 0)).toBeNull();
    expect(v.put(A, 5, blob(10, 1), 0)).toEqual({ ok: true, version: 5, changed: true, refreshed: true });
    expect(v.put(A, 4, blob(10, 2), 1)).toEqual({ ok: true, version: 5, changed: false, refreshed: false });
    expect(v.put(A, 5, blob(10, 3), 1)).toEqual({ ok: true, version: 5, changed: false, refreshed: false }); // same version, other bytes
    expect([...v.get(A, 2)!.blob]).toEqual([...blob(10, 1)]);
    expect(v.put(A, 9, blob(20, 4), 3)).toMatchObject({ ok: true, version: 9, changed: true });
    expect(v.get(A, 4)).toMatchObject({ version: 9, storedAt: 3, expiresAt: 1003 });
    expect(v.usage()).toEqual({ entries: 1, bytes: 20 });
    // the address is the key whatever its case
    expect(v.get(A.toLowerCase(), 4)?.version).toBe(9);
    v.close();
  });

  it('isolates owners: one cannot read or overwrite another’s blob', () => {
    const v = VaultStore.memory(limits);
    v.put(A, 100, blob(10, 1), 0);
    expect(v.get(B, 0)).toBeNull();
    expect(v.put(B, 999, blob(10, 2), 0)).toMatchObject({ ok: true, version: 999, changed: true });
    expect(v.get(A, 0)?.version).toBe(100);
    expect([...v.get(A, 0)!.blob]).toEqual([...blob(10, 1)]);
    v.close();
  });

  it('expires a blob ttl after its last PUT; an identical re-PUT refreshes it', () => {
    const v = VaultStore.memory(limits);
    v.put(A, 1, blob(10), 0);
    expect(v.put(A, 1, blob(10), 800)).toMatchObject({ ok: true, changed: false, refreshed: true });
    expect(v.get(A, 1500)?.expiresAt).toBe(1800);
    expect(v.get(A, 1800)).toBeNull();
    // after expiry any version is accepted again (nothing is held)
    expect(v.put(A, 1, blob(12), 1900)).toMatchObject({ ok: true, changed: true });
    expect(v.usage()).toEqual({ entries: 1, bytes: 12 });
    expect(v.purgeExpired(5000)).toBe(1);
    expect(v.usage()).toEqual({ entries: 0, bytes: 0 });
    v.close();
  });

  it('enforces the blob size, entry count and total byte quotas (expired blobs make room)', () => {
    const v = VaultStore.memory(limits);
    expect(v.put(A, 1, blob(501), 0)).toEqual({ ok: false, code: 'TOO_LARGE' });
    expect(v.put(A, 1, new Uint8Array(0), 0)).toEqual({ ok: false, code: 'TOO_LARGE' });
    expect(v.put(A, 1, blob(400), 0).ok).toBe(true);
    expect(v.put(B, 1, blob(400), 0).ok).toBe(true);
    expect(v.put(C, 1, blob(300), 0)).toEqual({ ok: false, code: 'FULL' }); // bytes
    expect(v.put(A, 2, blob(200), 0).ok).toBe(true); // replacing one's own blob frees its bytes
    expect(v.put(C, 1, blob(300), 0).ok).toBe(true);
    expect(v.put(D, 1, blob(10), 0)).toEqual({ ok: false, code: 'FULL' }); // entries
    expect(v.usage()).toEqual({ entries: 3, bytes: 900 });
    expect(v.put(D, 1, blob(10), 1000).ok).toBe(true); // all expired: purged to make room
    expect(v.usage()).toEqual({ entries: 1, bytes: 10 });
    v.close();
  });

  it('lives in the mailbox database file and survives reopening', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bu-vault-'));
    dirs.push(dir);
    const file = join(dir, 'ar-mailbox.db');
    const m = MailboxStore.open(file, mailboxLimits);
    const v = VaultStore.attach(m.database, limits);
    v.put(A, 7, blob(42, 7), 10);
    m.put(B, A, blob(5), 10);
    v.close(); // the mailbox owns the connection
    m.close();
    const m2 = MailboxStore.open(file, mailboxLimits);
    const v2 = VaultStore.attach(m2.database, limits);
    expect(v2.get(A, 20)).toMatchObject({ version: 7, storedAt: 10 });
    expect([...v2.get(A, 20)!.blob]).toEqual([...blob(42, 7)]);
    expect(v2.usage()).toEqual({ entries: 1, bytes: 42 });
    expect(m2.usage(B, 20).items).toBe(1);
    expect(v2.put(A, 7, blob(42, 8), 30)).toMatchObject({ changed: false, version: 7 });
    m2.close();
  });
});
