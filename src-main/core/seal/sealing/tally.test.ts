/**
 * Rewards are the withdrawals of final blocks paid to our addresses (gwei → wei, exact), seals
 * and rewards go into 5-minute buckets, a block is counted once, and the file survives a
 * reload; a damaged file starts from zero instead of stopping the sealer.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUCKET_MS, SHOWN_MS, Tally, rewardsOf } from './tally';

const dir = mkdtempSync(join(tmpdir(), 'bu-tally-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ME = '0x00000000000000000000000000000000000000aa';
const ours = new Set([ME]);
const addr = (hex: string) => ({ toString: () => hex });

describe('Tally', () => {
  it('sums withdrawals to us in wei, whatever the address case or type', () => {
    const block = {
      header: { number: 1n, timestamp: 1n },
      withdrawals: [
        { address: addr(ME.toUpperCase().replace('0X', '0x')), amount: 2_000_000_000n },
        { address: '0x00000000000000000000000000000000000000bb', amount: 7n },
        { address: ME, amount: '1' },
      ],
    };
    expect(rewardsOf(block, ours)).toBe(2_000_000_001n * 1_000_000_000n);
    expect(rewardsOf({ header: block.header }, ours)).toBe(0n);
  });

  it('buckets seals and rewards, counts a block once, and reloads', () => {
    let now = 10 * BUCKET_MS + 1000;
    const file = join(dir, 'a', 'sealing.json');
    const t = new Tally(file, () => now);
    t.addSeals(2);
    now += BUCKET_MS;
    t.addSeals(1);
    expect(t.addBlock({ header: { number: 5n, timestamp: BigInt(now / 1000) }, withdrawals: [{ address: ME, amount: 250_000_000n }] }, ours)).toBe(true);
    expect(t.addBlock({ header: { number: 5n, timestamp: 0n }, withdrawals: [{ address: ME, amount: 1n }] }, ours)).toBe(false);
    expect(t.addBlock({ header: { number: 4n, timestamp: 0n } }, ours)).toBe(false);
    expect(t.history()).toEqual([
      { t: 10 * BUCKET_MS, seals: 2, rewardsWei: '0' },
      { t: 11 * BUCKET_MS, seals: 1, rewardsWei: '250000000000000000' },
    ]);
    t.flush();
    const again = new Tally(file, () => now);
    expect([again.sealsMade, again.rewardsWei, again.lastBlock]).toEqual([3, 250_000_000_000_000_000n, 5n]);
    expect(again.history()).toEqual(t.history());
    now += SHOWN_MS + BUCKET_MS;
    expect(again.history()).toEqual([]); // older than 24 h: not shown (kept for 7 days)
  });

  it('starts from zero when the file is damaged or gone', () => {
    const file = join(dir, 'b.json');
    writeFileSync(file, '{ not json');
    expect(new Tally(file).sealsMade).toBe(0);
    writeFileSync(file, JSON.stringify({ sealsMade: -3, rewardsWei: '12x', history: [{ t: 'x' }] }));
    const t = new Tally(file);
    expect([t.sealsMade, t.rewardsWei, t.history()]).toEqual([0, 0n, []]);
    rmSync(file);
    t.load();
    expect(t.sealsMade).toBe(0);
  });
});
