/**
 * @module session/replay-window
 * Sliding anti-replay window over 64-bit packet counters, after RFC 6479 ("IPsec Anti-Replay
 * Algorithm without Bit Shifting") as WireGuard uses it: a ring bitmap of 8,192 bits in 32-bit
 * words; moving the window forward clears whole words instead of shifting the bitmap, so both
 * checks and updates are O(1) (a jump clears at most the 256 words once). The window accepts
 * any not-yet-seen counter within WINDOW_SIZE = 8,128 of the highest one seen (WireGuard's
 * 8192 − 64, leaving at least one spare word so the slot of the newest counter never aliases
 * a live one).
 *
 * Usage on the packet path (never advance the window before authentication):
 *   if (!w.check(n)) drop;   decrypt;   if (!authentic) drop;   if (!w.update(n)) drop;
 */

const WORD_BITS = 32;
const TOTAL_BITS = 8192;
const WORDS = TOTAL_BITS / WORD_BITS; // 256
const INDEX_MASK = WORDS - 1;

export const WINDOW_SIZE = 8128;
/** Counters above 2^53 cannot be represented exactly; sessions rekey long before. */
export const MAX_COUNTER = Number.MAX_SAFE_INTEGER;

export class ReplayWindow {
  private readonly bitmap = new Uint32Array(WORDS);
  private greatest = 0;
  private any = false;

  /** Highest counter accepted so far (-1 before the first). */
  get highest(): number {
    return this.any ? this.greatest : -1;
  }

  /** True if `n` has not been seen and is not too old. Does not change state. */
  check(n: number): boolean {
    if (!(n >= 0 && n <= MAX_COUNTER) || !Number.isInteger(n)) return false;
    if (!this.any || n > this.greatest) return true;
    if (n + WINDOW_SIZE <= this.greatest) return false;
    const bit = n % TOTAL_BITS;
    return (this.bitmap[(bit >>> 5) & INDEX_MASK]! & (1 << (bit & 31))) === 0;
  }

  /** Mark `n` as seen (call only after the packet authenticated). False if it is a replay/too old. */
  update(n: number): boolean {
    if (!this.check(n)) return false;
    const word = Math.floor(n / WORD_BITS);
    if (!this.any) {
      this.any = true;
      this.greatest = n;
    } else if (n > this.greatest) {
      const current = Math.floor(this.greatest / WORD_BITS);
      const diff = Math.min(word - current, WORDS);
      for (let i = 1; i <= diff; i++) this.bitmap[(current + i) & INDEX_MASK] = 0;
      this.greatest = n;
    }
    const bit = n % TOTAL_BITS;
    this.bitmap[(bit >>> 5) & INDEX_MASK]! |= 1 << (bit & 31);
    return true;
  }
}
