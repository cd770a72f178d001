import { describe, expect, it } from 'vitest';
import { CHAT_APP_ID } from './constants';
import { encodeRecord, recordKey, signRecord, verifyRecord, type DhtIdentity, type DhtRecord } from './record';
import { RecordStore } from './record-store';
import { randomIdentity } from './testnet';

const NOW = 1_800_000_000_000; // ms
const nowSec = NOW / 1000;

function rec(id: DhtIdentity, over: Partial<DhtRecord> = {}): DhtRecord {
  return signRecord(id, { publicKey: id.publicKey, appId: CHAT_APP_ID, seq: 10, expiresAt: nowSec + 3600, entries: [{ host: '192.0.2.1', port: 1, appId: 1, agent: 'a' }], ...over });
}

function store(opts: { max?: number; burst?: number; clock?: { t: number } } = {}) {
  const clock = opts.clock ?? { t: NOW };
  let verified = 0;
  const s = new RecordStore({
    maxRecords: opts.max ?? 100,
    putRate: { ratePerSec: 0, burst: opts.burst ?? 1000 },
    now: () => clock.t,
    verify: (r) => {
      verified++;
      return verifyRecord(r);
    },
  });
  return { s, clock, verified: () => verified };
}

describe('record store (storing node checks)', () => {
  it('stores a valid record and serves it', () => {
    const { s, verified } = store();
    const id = randomIdentity();
    const bytes = encodeRecord(rec(id));
    expect(s.put(recordKey(id.address, CHAT_APP_ID), bytes, '10.0.0.1')).toBe('OK');
    expect(s.get(recordKey(id.address, CHAT_APP_ID))).toEqual(bytes);
    expect(verified()).toBe(1);
  });

  it('refuses oversized, malformed, wrong-key, stale and future-dated records before any signature check', () => {
    const { s, verified } = store();
    const id = randomIdentity();
    const key = recordKey(id.address, CHAT_APP_ID);
    const big = rec(id, { entries: Array.from({ length: 16 }, (_, i) => ({ host: `h${i}.${'x'.repeat(40)}.example`, port: 1, appId: 1, agent: 'y'.repeat(20) })) });
    expect(encodeRecord(big).length).toBeGreaterThan(1000);
    expect(s.put(key, encodeRecord(big), 'ip')).toBe('TOO_LARGE');
    expect(s.put(key, encodeRecord(rec(id)).subarray(0, 90), 'ip')).toBe('MALFORMED');
    expect(s.put(recordKey(id.address, 2), encodeRecord(rec(id)), 'ip')).toBe('WRONG_KEY'); // appId mismatch
    expect(s.put(recordKey(randomIdentity().address, CHAT_APP_ID), encodeRecord(rec(id)), 'ip')).toBe('WRONG_KEY'); // address mismatch
    expect(s.put(key, encodeRecord(rec(id, { expiresAt: nowSec })), 'ip')).toBe('EXPIRED');
    expect(s.put(key, encodeRecord(rec(id, { expiresAt: nowSec + 24 * 3600 + 1 })), 'ip')).toBe('EXPIRED');
    expect(verified()).toBe(0);
    expect(s.put(key, encodeRecord(rec(id, { expiresAt: nowSec + 24 * 3600 })), 'ip')).toBe('OK');
    expect(verified()).toBe(1);
  });

  it('refuses a forged signature only after the cheap checks passed (one verification)', () => {
    const { s, verified } = store();
    const id = randomIdentity();
    const good = rec(id);
    const forged = encodeRecord({ ...good, entries: [{ host: '6.6.6.6', port: 666, appId: 1, agent: 'evil' }] });
    expect(s.put(recordKey(id.address, CHAT_APP_ID), forged, 'ip')).toBe('BAD_SIGNATURE');
    expect(verified()).toBe(1);
    expect(s.size).toBe(0);
  });

  it('refuses replays (older seq) and conflicts (equal seq, other bytes) without verifying; identical bytes refresh for free', () => {
    const { s, verified } = store();
    const id = randomIdentity();
    const key = recordKey(id.address, CHAT_APP_ID);
    const v10 = encodeRecord(rec(id));
    expect(s.put(key, v10, 'ip')).toBe('OK');
    expect(s.put(key, encodeRecord(rec(id, { seq: 9 })), 'ip')).toBe('STALE_SEQ');
    expect(s.put(key, encodeRecord(rec(id, { seq: 10, expiresAt: nowSec + 100 })), 'ip')).toBe('STALE_SEQ');
    expect(s.put(key, v10, 'ip')).toBe('OK');
    expect(verified()).toBe(1);
    const v11 = encodeRecord(rec(id, { seq: 11 }));
    expect(s.put(key, v11, 'ip')).toBe('OK');
    expect(s.get(key)).toEqual(v11);
    expect(verified()).toBe(2);
  });

  it('rate-limits PUTs per source IP before parsing anything', () => {
    const { s, verified } = store({ burst: 3 });
    const id = randomIdentity();
    const key = recordKey(id.address, CHAT_APP_ID);
    const bytes = encodeRecord(rec(id));
    expect([1, 2, 3, 4, 5].map(() => s.put(key, bytes, '198.51.100.1'))).toEqual(['OK', 'OK', 'OK', 'RATE_LIMITED', 'RATE_LIMITED']);
    expect(s.put(key, new Uint8Array(5000), '198.51.100.1')).toBe('RATE_LIMITED');
    expect(s.put(key, bytes, '198.51.100.2')).toBe('OK');
    expect(verified()).toBe(1);
    expect(s.outcomes.RATE_LIMITED).toBe(3);
  });

  it('drops expired records and, when full, evicts the one expiring first (or refuses a shorter-lived newcomer)', () => {
    const { s, clock, verified } = store({ max: 3 });
    const ids = [1, 2, 3].map(() => randomIdentity());
    ids.forEach((id, i) => expect(s.put(recordKey(id.address, 1), encodeRecord(rec(id, { expiresAt: nowSec + 100 * (i + 1) })), 'ip')).toBe('OK'));
    const short = randomIdentity();
    expect(s.put(recordKey(short.address, 1), encodeRecord(rec(short, { expiresAt: nowSec + 50 })), 'ip')).toBe('FULL');
    expect(verified()).toBe(3); // FULL is decided before the signature check
    const long = randomIdentity();
    expect(s.put(recordKey(long.address, 1), encodeRecord(rec(long, { expiresAt: nowSec + 1000 })), 'ip')).toBe('OK');
    expect(s.get(recordKey(ids[0]!.address, 1))).toBeNull();
    expect(s.size).toBe(3);
    clock.t = NOW + 250_000;
    expect(s.get(recordKey(ids[1]!.address, 1))).toBeNull(); // expired at +200 s
    expect(s.size).toBe(2);
    clock.t = NOW + 400_000; // the +300 s record expired, the +1,000 s one not
    expect(s.sweep()).toBe(1);
    expect(s.size).toBe(1);
    expect(s.get(recordKey(long.address, 1))).not.toBeNull();
  });
});
