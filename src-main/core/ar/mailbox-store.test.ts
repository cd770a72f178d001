import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MailboxStore, type MailboxLimits } from './mailbox-store';
import { makeIdentity } from './test-helpers';

const limits: MailboxLimits = { ttlMs: 1000, maxItemsPerRecipient: 3, maxBytesPerRecipient: 1000, maxItemsPerSender: 5, maxBytesPerSender: 10_000, maxBytes: 4000 };
const [R1, R2, S1, S2] = [makeIdentity(), makeIdentity(), makeIdentity(), makeIdentity()].map((i) => i.address) as [string, string, string, string];
const blob = (n: number, fill = n % 251) => new Uint8Array(n).fill(fill);
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('MailboxStore', () => {
  it('stores per recipient in order, acks delete only the recipient’s own items', () => {
    const m = MailboxStore.open(null, limits);
    const a = m.put(R1, S1, blob(10, 1), 100);
    const b = m.put(R1, S2, blob(20, 2), 101);
    const c = m.put(R2, S1, blob(30, 3), 102);
    expect(a.ok && b.ok && c.ok).toBe(true);
    if (!a.ok || !b.ok || !c.ok) return;
    expect(a.expiresAt).toBe(1100);
    const items = m.pending(R1, 200);
    expect(items.map((i) => [i.sender, i.blob.length])).toEqual([
      [S1, 10],
      [S2, 20],
    ]);
    expect(m.ack(R2, [a.id])).toBe(0); // not R2's
    expect(m.ack(R1, [a.id, 'ff'.repeat(16)])).toBe(1);
    expect(m.pending(R1, 200).map((i) => i.id)).toEqual([b.id]);
    expect(m.totalBytes()).toBe(50);
    // the window: at least one item, then as many as fit; exclusions are skipped
    m.put(R1, S1, blob(500), 103);
    expect(m.pending(R1, 200, { maxBytes: 100 }).length).toBe(1);
    expect(m.pending(R1, 200, { maxBytes: 100, exclude: new Set([b.id]) })[0]!.blob.length).toBe(500);
    m.close();
  });

  it('a retried PUT of the same blob returns the stored item', () => {
    const m = MailboxStore.open(null, limits);
    const a = m.put(R1, S1, blob(10), 0);
    const again = m.put(R1, S1, blob(10), 5);
    expect(again).toMatchObject({ ok: true, duplicate: true, id: a.ok ? a.id : '' });
    expect(m.usage(R1, 5)).toEqual({ items: 1, bytes: 10 });
    m.close();
  });

  it('enforces per-recipient, per-sender and total quotas', () => {
    const m = MailboxStore.open(null, limits);
    for (let i = 0; i < 3; i++) expect(m.put(R1, S1, blob(10 + i), 0).ok).toBe(true);
    expect(m.put(R1, S2, blob(50), 0)).toEqual({ ok: false, code: 'QUOTA' }); // 4th item for R1
    expect(m.put(R2, S2, blob(1001), 0)).toEqual({ ok: false, code: 'QUOTA' }); // bytes for R2
    for (let i = 0; i < 2; i++) expect(m.put(R2, S1, blob(100 + i), 0).ok).toBe(true);
    expect(m.put(makeIdentity().address, S1, blob(5), 0)).toEqual({ ok: false, code: 'QUOTA' }); // 6th item from S1
    const big = MailboxStore.open(null, { ...limits, maxBytesPerRecipient: 5000, maxBytes: 1500 });
    expect(big.put(R1, S1, blob(1000), 0).ok).toBe(true);
    expect(big.put(R2, S1, blob(600), 0)).toEqual({ ok: false, code: 'FULL' });
    m.close();
    big.close();
  });

  it('expires items after the TTL (never delivered, purged, quota freed)', () => {
    const m = MailboxStore.open(null, limits);
    m.put(R1, S1, blob(10), 0);
    m.put(R1, S1, blob(11), 500);
    expect(m.pending(R1, 999).length).toBe(2);
    expect(m.pending(R1, 1000).length).toBe(1);
    expect(m.purgeExpired(1000)).toBe(1);
    expect(m.totalBytes()).toBe(11);
    expect(m.pending(R1, 1500)).toEqual([]);
    // the same blob can be stored again once its twin expired
    expect(m.put(R1, S1, blob(11), 1600)).toMatchObject({ ok: true, duplicate: false });
    expect(m.totalBytes()).toBe(11);
    m.close();
  });

  it('persists in a file created owner-only and survives reopening', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bu-mailbox-'));
    dirs.push(dir);
    const file = join(dir, 'mailbox.db');
    const m = MailboxStore.open(file, limits);
    const a = m.put(R1, S1, blob(42, 7), 10);
    m.close();
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = MailboxStore.open(file, limits);
    const items = again.pending(R1, 20);
    expect(items.map((i) => i.id)).toEqual([a.ok ? a.id : '']);
    expect([...items[0]!.blob]).toEqual([...blob(42, 7)]);
    expect(again.totalBytes()).toBe(42);
    again.close();
  });
});
