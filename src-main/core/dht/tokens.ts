/**
 * @module dht/tokens
 * Write tokens as in BEP 5 ("announce_peer" tokens): token = HMAC-SHA256(secret, ip)[:16], the
 * secret rotates every `rotateMs` (5 min by default) and the previous secret stays valid, so a
 * token works for between one and two rotation periods. A token proves the requester received
 * our earlier response at that IP (no blind PUTs from spoofed sources); it is stateless.
 * Rotation is lazy (derived from the clock on use): no timer to stop.
 */
import { bytesEqual, utf8 } from '../base';
import { hmacSha256, randomBytes } from '../crypto';
import { TOKEN_BYTES } from './constants';
import { ipBytes } from './wire';

export class WriteTokens {
  private epoch = -Infinity;
  private current = randomBytes(32);
  private previous = randomBytes(32);

  constructor(
    private readonly rotateMs: number,
    private readonly now: () => number,
  ) {}

  private roll(): void {
    const e = Math.floor(this.now() / this.rotateMs);
    if (e === this.epoch) return;
    if (e === this.epoch + 1) this.previous = this.current;
    else this.previous = randomBytes(32); // clock jumped: nothing old stays valid
    this.current = randomBytes(32);
    this.epoch = e;
  }

  private mac(secret: Uint8Array, ip: string): Uint8Array {
    return hmacSha256(secret, ipBytes(ip) ?? utf8(ip)).subarray(0, TOKEN_BYTES);
  }

  issue(ip: string): Uint8Array {
    this.roll();
    return this.mac(this.current, ip);
  }

  valid(ip: string, token: Uint8Array): boolean {
    if (token.length !== TOKEN_BYTES) return false;
    this.roll();
    return bytesEqual(token, this.mac(this.current, ip)) || bytesEqual(token, this.mac(this.previous, ip));
  }
}
