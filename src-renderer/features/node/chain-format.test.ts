import { describe, expect, it } from 'vitest';
import {
  blockTimeText,
  chainIdText,
  formatBlockAge,
  formatBlockNumber,
  gasText,
  formatGwei,
  intervalText,
  mempoolText,
  peersText,
  shortHash,
} from './chain-format';

const EN = 'en-US';

describe('chain-format', () => {
  it('shows the base fee in gwei with at most three decimals, tiny fees in wei', () => {
    expect(formatGwei('1000000000', EN)).toBe('1 gwei');
    expect(formatGwei('875000000', EN)).toBe('0.875 gwei');
    expect(formatGwei('12500000000', EN)).toBe('12.5 gwei');
    expect(formatGwei('7', EN)).toBe('7 wei');
    expect(formatGwei('999999', EN)).toBe('999,999 wei');
    expect(formatGwei('1000000', EN)).toBe('0.001 gwei');
    expect(formatGwei('0', EN)).toBe('0 gwei');
    // rounding up into the next whole gwei
    expect(formatGwei('1999999999', EN)).toBe('2 gwei');
    // more digits than a double holds
    expect(formatGwei('123456789012345678901000000000', EN)).toBe('123,456,789,012,345,678,901 gwei');
    expect(formatGwei('1500000000', 'de-DE')).toBe('1,5 gwei');
    expect(formatGwei('not a number', EN)).toBe('Unknown');
  });

  it('shows gas used against the limit, and an empty block as such', () => {
    expect(gasText({ gasUsed: 21_000, gasLimit: 30_000_000 }, EN)).toEqual({ value: '21,000', sub: 'of 30,000,000 (0.07%)' });
    expect(gasText({ gasUsed: 15_000_000, gasLimit: 30_000_000 }, EN)).toEqual({ value: '15,000,000', sub: 'of 30,000,000 (50%)' });
    expect(gasText({ gasUsed: 100, gasLimit: 30_000_000 }, EN).sub).toBe('of 30,000,000 (<0.01%)');
    expect(gasText({ gasUsed: 0, gasLimit: 30_000_000 }, EN)).toEqual({ value: '0', sub: 'of 30,000,000 (empty block)' });
  });

  it('gives block ages to the second', () => {
    const now = 1_700_000_000_000;
    expect(formatBlockAge(now - 300, now)).toBe('just now');
    expect(formatBlockAge(now + 2000, now)).toBe('just now'); // a clock slightly ahead
    expect(formatBlockAge(now - 3_400, now)).toBe('3 s ago');
    expect(formatBlockAge(now - 125_000, now)).toBe('2 min ago');
    expect(formatBlockAge(now - 3_900_000, now)).toBe('1 h 5 min ago');
    expect(formatBlockAge(now - 5 * 86_400_000, now)).toBe('5 days ago');
  });

  it('describes block time, interval, mempool and peers in words', () => {
    expect(blockTimeText({ blockTimeSec: 2.004 }, EN)).toBe('2 s');
    expect(blockTimeText({ blockTimeSec: 1.25 }, EN)).toBe('1.25 s');
    expect(blockTimeText({ blockTimeSec: 12.25 }, EN)).toBe('12.3 s');
    expect(blockTimeText({ blockTimeSec: null }, EN)).toBe('—');
    expect(intervalText({ intervalSec: 2, producer: 'devnet', blockTimeSec: 2 }, EN)).toBe(
      'Average of the latest blocks. A new block every 2 s when idle, and at once when transactions wait.',
    );
    expect(intervalText({ intervalSec: 2, producer: 'devnet', blockTimeSec: null }, EN)).toMatch(/^Measured once there are two blocks\./);
    expect(intervalText({ intervalSec: null, producer: 'none', blockTimeSec: 12 }, EN)).toMatch(/only served\.$/);
    expect(mempoolText({ pending: 0, queued: 0 }, EN).value).toBe('None');
    expect(mempoolText({ pending: 1, queued: 0 }, EN)).toEqual({ value: '1 ready · 0 held back', sub: 'Ready: they go into the next block.' });
    expect(mempoolText({ pending: 3, queued: 2 }, EN)).toEqual({ value: '3 ready · 2 held back', sub: 'Held back: waiting for an earlier transaction from the same sender.' });
    expect(peersText({ peers: 0, producer: 'devnet' }, EN)).toEqual({ value: 'None', sub: 'This local network runs only on this computer.' });
    expect(peersText({ peers: 0, producer: 'none' }, EN)).toEqual({ value: 'None', sub: null });
    expect(peersText({ peers: 1, producer: 'none' }, EN).value).toBe('1 peer');
    expect(peersText({ peers: 1200, producer: 'none' }, EN).value).toBe('1,200 peers');
  });

  it('shortens hashes and shows block numbers and chain ids', () => {
    const h = '0x' + 'ab'.repeat(16) + 'cd'.repeat(16);
    expect(shortHash(h)).toBe('0xababab…cdcdcd');
    expect(shortHash('0x1234')).toBe('0x1234');
    expect(formatBlockNumber(1234567, EN)).toBe('#1,234,567');
    expect(chainIdText(16981)).toBe('16981 (0x4255)');
  });
});
