/**
 * @module seal/seals
 * Seals are checked lazily and in batches. On arrival only the cheap part: the sealer is
 * registered and its ticket's hash is under its threshold (no pairing). Their signatures —
 * the tickets, which all sign one digest, and the seal signatures, which all sign another —
 * are checked together when a primary is about to prevote the block: one random-linear-
 * combination batch (blsBatchVerify, 2 pairings per distinct digest) for any number of
 * seals. If the batch fails (a forged seal), each claim is checked on its own and only the
 * valid ones are kept. At most a few claims per sealer and block are kept, so forgeries
 * can neither crowd out a real seal nor grow memory.
 */
import { blsBatchVerify } from '../crypto';
import { Kind, poeDigest } from './digest';
import { bytesToHex } from '@ethereumjs/util';
import type { Hex, SealMsg } from './codec';
import type { HeightState, ProposalEntry, SealClaim } from './height-state';
import { sealerWins, ticketDigest } from './verify';

const CLAIMS_PER_SEALER = 3;

export function addClaim(list: SealClaim[], c: SealClaim, verified: Map<string, unknown> | null): boolean {
  if (verified?.has(c.sealer)) return false;
  const mine = list.filter((x) => x.sealer === c.sealer);
  if (mine.length >= CLAIMS_PER_SEALER) return false;
  if (mine.some((x) => Buffer.compare(Buffer.from(x.sig), Buffer.from(c.sig)) === 0 && Buffer.compare(Buffer.from(x.ticketSig), Buffer.from(c.ticketSig)) === 0)) return false;
  list.push(c);
  return true;
}

/** Moves the entry's pending seals whose signatures verify into entry.seals. Returns the number of verified seals. */
export function verifyPendingSeals(st: HeightState, e: ProposalEntry): number {
  if (e.pendingSeals.length === 0) return e.seals.size;
  const round = e.bodyRound;
  const ticketMsg = ticketDigest(st.ctx, Kind.SEAL_TICKET, round);
  const sealMsg = poeDigest(Kind.SEAL, st.ctx.chainId, st.ctx.height, round, e.block.hash());
  const items = (c: SealClaim) => {
    const pk = st.ctx.sealers.get(c.sealer)!.publicKey;
    return [
      { publicKey: pk, message: ticketMsg, signature: c.ticketSig },
      { publicKey: pk, message: sealMsg, signature: c.sig },
    ];
  };
  const pending = e.pendingSeals.filter((c) => !e.seals.has(c.sealer));
  e.pendingSeals = [];
  if (blsBatchVerify(pending.flatMap(items))) {
    for (const c of pending) if (!e.seals.has(c.sealer)) e.seals.set(c.sealer, { ticketSig: c.ticketSig, sig: c.sig });
  } else {
    for (const c of pending) if (!e.seals.has(c.sealer) && blsBatchVerify(items(c))) e.seals.set(c.sealer, { ticketSig: c.ticketSig, sig: c.sig });
  }
  return e.seals.size;
}

/** Seals claimed (verified or not) for an entry. */
export function claimedSeals(e: ProposalEntry): number {
  const s = new Set([...e.seals.keys(), ...e.pendingSeals.map((c) => c.sealer)]);
  return s.size;
}

/**
 * Records a SEAL after the cheap checks (a registered sealer, its ticket under the threshold,
 * the block's own round); our own seals (`trusted`) count as verified. Seals for a proposal
 * not seen yet wait in `earlySeals` (bounded). True when it was new.
 */
export function recordSeal(st: HeightState, m: SealMsg, trusted: boolean): boolean {
  const v = st.ctx.sealers.get(m.sealer);
  if (!v) return false;
  const hash = bytesToHex(m.blockHash) as Hex;
  const entry = st.proposals.get(hash);
  if (entry && entry.bodyRound !== m.blockRound) return false;
  if (!sealerWins(st.ctx, v, m.blockRound, m.ticketSig)) return false;
  if (trusted && entry) {
    if (entry.seals.has(m.sealer)) return false;
    entry.seals.set(m.sealer, { ticketSig: m.ticketSig, sig: m.sig });
    return true;
  }
  const claim = { sealer: m.sealer, ticketSig: m.ticketSig, sig: m.sig };
  if (entry) return addClaim(entry.pendingSeals, claim, entry.seals);
  if (!st.earlySeals.has(hash) && st.earlySeals.size > 64) return false;
  const early = st.earlySeals.get(hash) ?? [];
  st.earlySeals.set(hash, early);
  return addClaim(early, claim, null);
}
