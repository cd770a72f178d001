/**
 * @module ar/relay-table
 * The router's relay circuits. A circuit joins two clients; each side has its own random
 * 8-byte circuit id (a "half"), like a TURN channel number per client (RFC 8656 §12), so a
 * client only ever learns its own id and a frame can be checked against the half's owner.
 * Resource limits follow libp2p Circuit Relay v2's reservation/limit model: a bounded number of
 * circuits in total and per client, a byte-rate token bucket per direction, an idle timeout and
 * a maximum duration that the clients may renew.
 */
import { randomBytes } from '../crypto';
import { ArErr, type ArErrCode, type ArLimits } from './constants';
import { cidHex } from './relay-socket';

export type Half = {
  readonly cid: string;
  readonly cidBytes: Uint8Array;
  /** Checksummed address of the client that uses this id. */
  readonly owner: string;
  partner: Half;
  readonly circuit: Circuit;
  tokens: number;
  refilledAt: number;
  bytes: number;
  frames: number;
};

export type Circuit = { readonly a: Half; readonly b: Half; readonly createdAt: number; expiresAt: number; lastActivityAt: number };

export type CloseReason = 'closed' | 'expired' | 'idle' | 'peer-gone';
export const CLOSE_REASONS: Record<CloseReason, number> = { closed: 0, expired: 1, idle: 2, 'peer-gone': 3 };

type RelayLimits = Pick<ArLimits, 'maxCircuits' | 'maxCircuitsPerClient' | 'circuitBytesPerSec' | 'circuitBurstBytes' | 'circuitIdleMs' | 'circuitMaxMs'>;

export class RelayTable {
  private readonly halves = new Map<string, Half>();
  private readonly circuits = new Set<Circuit>();
  private readonly perClient = new Map<string, Set<Circuit>>();

  constructor(private readonly limits: RelayLimits) {}

  get size(): number {
    return this.circuits.size;
  }

  countOf(address: string): number {
    return this.perClient.get(address.toLowerCase())?.size ?? 0;
  }

  allocate(requester: string, target: string, now: number): { ok: true; circuit: Circuit } | { ok: false; code: ArErrCode } {
    if (requester.toLowerCase() === target.toLowerCase()) return { ok: false, code: ArErr.SELF };
    if (this.circuits.size >= this.limits.maxCircuits) return { ok: false, code: ArErr.LIMIT };
    if (this.countOf(requester) >= this.limits.maxCircuitsPerClient || this.countOf(target) >= this.limits.maxCircuitsPerClient) {
      return { ok: false, code: ArErr.LIMIT };
    }
    const circuit = { createdAt: now, expiresAt: now + this.limits.circuitMaxMs, lastActivityAt: now } as Circuit;
    const a = this.half(requester, circuit, now);
    const b = this.half(target, circuit, now);
    a.partner = b;
    b.partner = a;
    Object.assign(circuit, { a, b });
    this.circuits.add(circuit);
    for (const h of [a, b]) {
      this.halves.set(h.cid, h);
      const k = h.owner.toLowerCase();
      let set = this.perClient.get(k);
      if (!set) this.perClient.set(k, (set = new Set()));
      set.add(circuit);
    }
    return { ok: true, circuit };
  }

  private half(owner: string, circuit: Circuit, now: number): Half {
    let cidBytes: Uint8Array;
    do cidBytes = randomBytes(8);
    while (this.halves.has(cidHex(cidBytes)));
    return { cid: cidHex(cidBytes), cidBytes, owner, partner: null as unknown as Half, circuit, tokens: this.limits.circuitBurstBytes, refilledAt: now, bytes: 0, frames: 0 };
  }

  get(cid: string): Half | undefined {
    return this.halves.get(cid);
  }

  /** Extend a circuit by its maximum duration; only one of its two clients may do it. */
  renew(cid: string, by: string, now: number): Half | null {
    const h = this.halves.get(cid);
    if (!h || h.owner.toLowerCase() !== by.toLowerCase()) return null;
    h.circuit.expiresAt = now + this.limits.circuitMaxMs;
    return h;
  }

  /** Spend `bytes` from the half's bucket (per direction); false = over the rate. */
  take(h: Half, bytes: number, now: number): boolean {
    const elapsed = now - h.refilledAt;
    if (elapsed > 0) {
      h.tokens = Math.min(this.limits.circuitBurstBytes, h.tokens + (elapsed * this.limits.circuitBytesPerSec) / 1000);
      h.refilledAt = now;
    }
    if (h.tokens < bytes) return false;
    h.tokens -= bytes;
    h.bytes += bytes;
    h.frames++;
    h.circuit.lastActivityAt = now;
    return true;
  }

  remove(c: Circuit): void {
    if (!this.circuits.delete(c)) return;
    for (const h of [c.a, c.b]) {
      this.halves.delete(h.cid);
      const k = h.owner.toLowerCase();
      const set = this.perClient.get(k);
      set?.delete(c);
      if (set?.size === 0) this.perClient.delete(k);
    }
  }

  /** Every circuit the client takes part in. */
  of(address: string): Circuit[] {
    return [...(this.perClient.get(address.toLowerCase()) ?? [])];
  }

  /** Circuits past their maximum duration or idle for too long. */
  due(now: number): Array<{ circuit: Circuit; reason: CloseReason }> {
    const out: Array<{ circuit: Circuit; reason: CloseReason }> = [];
    for (const c of this.circuits) {
      if (now >= c.expiresAt) out.push({ circuit: c, reason: 'expired' });
      else if (now - c.lastActivityAt >= this.limits.circuitIdleMs) out.push({ circuit: c, reason: 'idle' });
    }
    return out;
  }
}
