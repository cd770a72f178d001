/**
 * @module session/cookie
 * Cheap gates in front of the handshake, after WireGuard §5.4.4 ("Cookie MACs"):
 *
 * - mac1 = HMAC-SHA256(SHA256("BU-SESSION-v1 mac1\0" ‖ lower(responder address)), INIT[..mac1])[:16]
 *   Only someone who knows the responder's address can make a valid INIT, so scanners and
 *   garbage are dropped after one HMAC, without a reply (the node stays silent to strangers).
 * - cookie = HMAC-SHA256(secret, "ip:port")[:16], secret rotated every 2 minutes (the previous
 *   one is still accepted), so cookies are stateless for the responder and expire by themselves.
 * - mac2 = HMAC-SHA256(cookie, INIT[..mac2])[:16]. When the responder is under load it answers an
 *   INIT without a valid mac2 only with a COOKIE reply, which proves the sender owns its source
 *   address before any DH or signature work is done for it.
 * - The COOKIE reply is AES-256-GCM under SHA256("BU-SESSION-v1 cookie\0" ‖ lower(address)) with
 *   the INIT's mac1 as AAD: only the sender of that INIT (which saw its own mac1) can accept it,
 *   so an off-path attacker cannot plant cookies. It is 52 bytes, far smaller than the 192-byte
 *   INIT: no amplification.
 */
import { bytesEqual, utf8 } from '../base';
import { aesGcmOpen, aesGcmSeal, hmacSha256, randomBytes, sha256 } from '../crypto';
import { endpointKey, type Endpoint } from '../net';
import { COOKIE_BYTES, COOKIE_REPLY_SIZE, COOKIE_ROTATE_MS, INIT_MAC1_OFFSET, INIT_MAC2_OFFSET, INIT_SIZE, MAC_BYTES, PacketType, PROTOCOL_VERSION } from './constants';
import { readU32, writeU32 } from './handshake';

export function mac1Key(address: string): Uint8Array {
  return sha256(utf8('BU-SESSION-v1 mac1\0'), utf8(address.toLowerCase()));
}

export function cookieKey(address: string): Uint8Array {
  return sha256(utf8('BU-SESSION-v1 cookie\0'), utf8(address.toLowerCase()));
}

const mac = (key: Uint8Array, data: Uint8Array) => hmacSha256(key, data).subarray(0, MAC_BYTES);

/** Initiator: write mac1 (and mac2 if we hold a cookie for the destination) into an INIT copy. */
export function stampInit(init: Uint8Array, mac1KeyOfResponder: Uint8Array, cookie: Uint8Array | null): Uint8Array {
  const out = Uint8Array.from(init);
  out.set(mac(mac1KeyOfResponder, out.subarray(0, INIT_MAC1_OFFSET)), INIT_MAC1_OFFSET);
  if (cookie) out.set(mac(cookie, out.subarray(0, INIT_MAC2_OFFSET)), INIT_MAC2_OFFSET);
  else out.fill(0, INIT_MAC2_OFFSET);
  return out;
}

/** Initiator: accept a COOKIE reply for the INIT whose mac1 we sent; null if not authentic. */
export function openCookieReply(pkt: Uint8Array, cookieKeyOfResponder: Uint8Array, sentMac1: Uint8Array): Uint8Array | null {
  if (pkt.length !== COOKIE_REPLY_SIZE || pkt[0] !== PacketType.COOKIE || pkt[1] !== PROTOCOL_VERSION) return null;
  const cookie = aesGcmOpen(cookieKeyOfResponder, pkt.subarray(8, 20), pkt.subarray(20), sentMac1);
  return cookie && cookie.length === COOKIE_BYTES ? cookie : null;
}

/** Responder side: mac1 check, stateless cookies with a rotating secret, COOKIE replies. */
export class CookieGate {
  private readonly mac1K: Uint8Array;
  private readonly replyK: Uint8Array;
  private secret = randomBytes(32);
  private previous: Uint8Array | null = null;
  private rotatedAt: number;

  constructor(
    selfAddress: string,
    private readonly now: () => number = Date.now,
    private readonly rotateMs = COOKIE_ROTATE_MS,
  ) {
    this.mac1K = mac1Key(selfAddress);
    this.replyK = cookieKey(selfAddress);
    this.rotatedAt = now();
  }

  checkMac1(init: Uint8Array): boolean {
    return init.length === INIT_SIZE && bytesEqual(mac(this.mac1K, init.subarray(0, INIT_MAC1_OFFSET)), init.subarray(INIT_MAC1_OFFSET, INIT_MAC2_OFFSET));
  }

  checkMac2(init: Uint8Array, from: Endpoint): boolean {
    this.rotate();
    const got = init.subarray(INIT_MAC2_OFFSET, INIT_SIZE);
    const body = init.subarray(0, INIT_MAC2_OFFSET);
    for (const secret of [this.secret, this.previous]) {
      if (secret && bytesEqual(mac(this.cookieFor(secret, from), body), got)) return true;
    }
    return false;
  }

  /** COOKIE reply to an INIT (whose mac1 was already checked). */
  reply(init: Uint8Array, from: Endpoint): Uint8Array {
    this.rotate();
    const out = new Uint8Array(COOKIE_REPLY_SIZE);
    out[0] = PacketType.COOKIE;
    out[1] = PROTOCOL_VERSION;
    writeU32(out, 4, readU32(init, 4));
    const nonce = randomBytes(12);
    out.set(nonce, 8);
    out.set(aesGcmSeal(this.replyK, nonce, this.cookieFor(this.secret, from), init.subarray(INIT_MAC1_OFFSET, INIT_MAC2_OFFSET)), 20);
    return out;
  }

  private cookieFor(secret: Uint8Array, from: Endpoint): Uint8Array {
    return hmacSha256(secret, utf8(endpointKey(from))).subarray(0, COOKIE_BYTES);
  }

  private rotate(): void {
    const now = this.now();
    if (now - this.rotatedAt < this.rotateMs) return;
    // after a long quiet period both old secrets are stale
    this.previous = now - this.rotatedAt < 2 * this.rotateMs ? this.secret : null;
    this.secret = randomBytes(32);
    this.rotatedAt = now;
  }
}
