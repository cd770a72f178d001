/**
 * @module seal/params
 * POE's parameters, read from the genesis file's `bitunicom.poe` section (see
 * resources/chain/devnet-genesis.json) with the defaults below. Every node of a network must
 * use the same values for the consensus rules (lookback, targets, rewards, minSeals);
 * the timeouts are local choices (Tendermint's timeoutPropose/Prevote/Precommit grow with
 * the round so a slow network eventually fits in one).
 */
import { BuError } from '../base';

export type PoeParams = {
  stakingAddress: string;
  /** The seed and validator set of height h come from block h − lookback. */
  lookback: number;
  /** Expected eligible proposers / sealers per round (thresholds adapt to stake, seed 003). */
  targets: { proposers: number; seals: number };
  rewards: { proposerGwei: bigint; sealerGwei: bigint; voterGwei: bigint };
  /** Seals a block needs before primaries prevote it, while sealers are registered. */
  minSeals: number;
  /** From this round on a block needs no seals (home PCs may all be asleep; liveness first). */
  sealFallbackRound: number;
  /** An empty block is proposed when nothing waits for this long (ms). */
  blockIntervalMs: number;
  timeouts: { proposeMs: number; prevoteMs: number; precommitMs: number; deltaMs: number; collectMs: number };
};

export const DEFAULT_TIMEOUTS: PoeParams['timeouts'] = { proposeMs: 1000, prevoteMs: 500, precommitMs: 500, deltaMs: 400, collectMs: 120 };

type Section = Record<string, unknown> | undefined;

/** Parameters from a genesis object (`bitunicom.poe`); BAD_INPUT when the section is missing or wrong. */
export function poeParams(genesis: { bitunicom?: { poe?: unknown; blockIntervalSec?: unknown } }, overrides: Partial<PoeParams> = {}): PoeParams {
  const s = genesis.bitunicom?.poe as Section;
  if (!s || typeof s !== 'object') throw new BuError('BAD_INPUT', 'This genesis has no POE section (bitunicom.poe).');
  const t = (s.targets ?? {}) as Section;
  const r = (s.rewards ?? {}) as Section;
  const n = (v: unknown, d: number, what: string) => {
    const x = v === undefined ? d : Number(v);
    if (!Number.isFinite(x) || x < 0) throw new BuError('BAD_INPUT', `POE parameter ${what} is not a non-negative number.`);
    return x;
  };
  const big = (v: unknown, what: string) => {
    try {
      return BigInt(String(v ?? 0));
    } catch {
      throw new BuError('BAD_INPUT', `POE parameter ${what} is not an integer.`);
    }
  };
  const intervalSec = n(genesis.bitunicom?.blockIntervalSec, 5, 'blockIntervalSec');
  return {
    stakingAddress: String(s.stakingAddress ?? '0x0000000000000000000000000000000000005EA1'),
    lookback: Math.max(1, Math.floor(n(s.lookback, 4, 'lookback'))),
    targets: { proposers: n(t?.proposers, 2, 'targets.proposers'), seals: n(t?.seals, 8, 'targets.seals') },
    rewards: { proposerGwei: big(r?.proposerGwei, 'rewards.proposerGwei'), sealerGwei: big(r?.sealerGwei, 'rewards.sealerGwei'), voterGwei: big(r?.voterGwei, 'rewards.voterGwei') },
    minSeals: Math.floor(n(s.minSeals, 1, 'minSeals')),
    sealFallbackRound: Math.floor(n(s.sealFallbackRound, 2, 'sealFallbackRound')),
    blockIntervalMs: intervalSec * 1000,
    timeouts: { ...DEFAULT_TIMEOUTS },
    ...overrides,
  };
}

/** Seals a block must carry to be voted for in `round` (0 when no sealer is registered). */
export function minSealsFor(p: PoeParams, round: number, sealersRegistered: number): number {
  if (sealersRegistered === 0 || round >= p.sealFallbackRound) return 0;
  return Math.min(p.minSeals, sealersRegistered);
}
