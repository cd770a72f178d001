/**
 * @module seal/sealer
 * A sealer's work on one proposal (seed 003 "secondary seal"), pure so it can run in the
 * sealing worker thread: draw this round's seal ticket for each of our sealer keys (a unique
 * BLS signature over the seed: the block cannot influence it), and only if a key wins,
 * re-execute the block against our own copy of the state; a valid block gets one SEAL
 * message per winning key. Drawing first saves the re-execution when no key wins (most
 * rounds for a small stake); a seal is still only ever given to a block we executed.
 */
import { blsSign } from '../crypto';
import { encodeMessage, MsgType, type Hex } from './codec';
import { Kind, poeDigest } from './digest';
import { isEligible } from './sortition';

export type SealJob = {
  chainId: bigint;
  height: bigint;
  /** The block's own round (its seals and tickets are drawn for that round). */
  round: number;
  seed: Uint8Array;
  /** The block's RLP, for re-execution. */
  block: Uint8Array;
  blockHash: Uint8Array;
  /** Our keys' stakes this height (registered sealers only). */
  sealers: { address: string; stake: bigint }[];
  totalStake: bigint;
  /** Expected seals for this round (roundTarget applied). */
  target: number;
};

export type SealerKey = { address: string; secretKey: Uint8Array };

export class Sealer {
  private readonly keys: Map<string, SealerKey>;
  private tickets = new Map<string, Uint8Array>();

  constructor(keys: SealerKey[]) {
    this.keys = new Map(keys.map((k) => [k.address.toLowerCase(), k]));
  }

  /** Winning tickets of our keys for (height, round): address → ticket signature. */
  draw(job: Pick<SealJob, 'chainId' | 'height' | 'round' | 'seed' | 'sealers' | 'totalStake' | 'target'>): Map<string, Uint8Array> {
    const digest = poeDigest(Kind.SEAL_TICKET, job.chainId, job.height, job.round, job.seed);
    const wins = new Map<string, Uint8Array>();
    for (const s of job.sealers) {
      const key = this.keys.get(s.address.toLowerCase());
      if (!key) continue;
      const id = `${s.address.toLowerCase()}:${job.height}:${job.round}`;
      let sig = this.tickets.get(id);
      if (!sig) {
        sig = blsSign(key.secretKey, digest);
        this.tickets.set(id, sig);
        if (this.tickets.size > 256) this.tickets.delete(this.tickets.keys().next().value!);
      }
      if (isEligible(sig, s.stake, job.totalStake, job.target)) wins.set(s.address.toLowerCase(), sig);
    }
    return wins;
  }

  /** SEAL messages (encoded) for a valid block, one per winning key; [] when none wins or the block is invalid. */
  async process(job: SealJob, checkBlock: (blockRlp: Uint8Array) => Promise<boolean>): Promise<Uint8Array[]> {
    const wins = this.draw(job);
    if (wins.size === 0) return [];
    if (!(await checkBlock(job.block).catch(() => false))) return [];
    const digest = poeDigest(Kind.SEAL, job.chainId, job.height, job.round, job.blockHash);
    return [...wins].map(([address, ticketSig]) =>
      encodeMessage({
        type: MsgType.SEAL,
        height: job.height,
        blockRound: job.round,
        blockHash: job.blockHash,
        sealer: address as Hex,
        ticketSig,
        sig: blsSign(this.keys.get(address)!.secretKey, digest),
      }),
    );
  }
}

/** Where our sealer keys' work goes: the sealing worker (core/seal/sealing) or inline. */
export type SealingPort = { submit(job: SealJob): void; onSeal(cb: (msg: Uint8Array) => void): () => void };

/** Sealing on the engine's own thread (tests, and nodes without a sealing worker). */
export function inlineSealing(keys: { address: string; blsSecret: Uint8Array }[]): SealingPort {
  const sealer = new Sealer(keys.map((k) => ({ address: k.address, secretKey: k.blsSecret })));
  const listeners = new Set<(msg: Uint8Array) => void>();
  return {
    submit(job) {
      // The engine re-executed the block before offering it: no second execution here.
      void sealer.process(job, async () => true).then((msgs) => msgs.forEach((m) => listeners.forEach((l) => l(m))));
    },
    onSeal(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
  };
}
