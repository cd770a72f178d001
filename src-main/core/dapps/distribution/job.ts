/**
 * @module dapps/distribution/job
 * One unit a download assigns to one peer: the head, or one 256 KiB chunk, cut into pieces of
 * `pieceBytes` (16 KiB: 16 a chunk) requested with GET_HEADER / GET_PIECE. A job belongs to a
 * single peer from start to end, so when its bytes do not hash right there is exactly one
 * culprit (BitTorrent has to guess when a piece's blocks came from several peers, BEP 3; we
 * give up that last bit of parallelism for unambiguous blame). Pieces may be answered in any
 * order; a piece must come back at exactly the offset and length asked for.
 */
export const HEAD_JOB = -1;

export class Job {
  readonly pieces: number;
  readonly buf: Uint8Array;
  private readonly got: Uint8Array;
  private readonly asked: Uint8Array;
  private remaining: number;

  constructor(
    /** The chunk index, or HEAD_JOB. */
    readonly chunk: number,
    readonly size: number,
    readonly pieceBytes: number,
  ) {
    this.pieces = Math.ceil(size / pieceBytes);
    this.buf = new Uint8Array(size);
    this.got = new Uint8Array(this.pieces);
    this.asked = new Uint8Array(this.pieces);
    this.remaining = this.pieces;
  }

  get complete(): boolean {
    return this.remaining === 0;
  }

  private pieceLength(k: number): number {
    return Math.min(this.pieceBytes, this.size - k * this.pieceBytes);
  }

  /** The next piece nobody has asked for (marked asked), or null. */
  nextPiece(): { offset: number; length: number } | null {
    for (let k = 0; k < this.pieces; k++) {
      if (!this.got[k] && !this.asked[k]) {
        this.asked[k] = 1;
        return { offset: k * this.pieceBytes, length: this.pieceLength(k) };
      }
    }
    return null;
  }

  /** A request for the piece at `offset` was lost or refused: it may be asked again. */
  unask(offset: number): void {
    const k = offset / this.pieceBytes;
    if (Number.isInteger(k) && k >= 0 && k < this.pieces) this.asked[k] = 0;
  }

  /** Stores a piece; false when it is not a piece of this job at this offset and length. A duplicate is accepted and ignored. */
  accept(offset: number, data: Uint8Array): boolean {
    const k = offset / this.pieceBytes;
    if (!Number.isInteger(k) || k < 0 || k >= this.pieces || data.length !== this.pieceLength(k)) return false;
    if (this.got[k]) return true;
    this.buf.set(data, offset);
    this.got[k] = 1;
    this.remaining--;
    return true;
  }
}
