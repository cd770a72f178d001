/**
 * @module daemon/format-sealing
 * Human output of the sealing worker and the node's POE role for `bitunicom node status` and
 * `bitunicom node sealing`: what it is doing and why (the same sentence the Node screen shows),
 * the mode, CPU now and the limits, seals made and rewards earned (exact: wei → tokens with
 * every digit, 1 token = 10^18 wei), and the role and sync state when the node takes part in POE.
 */
import { ACTIVE_CPU_PERCENT, sealingHeadline, type NodeStatusT, type PoeStatusT, type SealingModeT, type SealingStatusT } from '../../src-preload/contract';
import { oneLine } from './format';

export const MODE_LABEL: Record<SealingModeT, string> = { always: 'always', idle: 'when idle', never: 'never' };

/** Wei (decimal string) in tokens, exact: `0`, `0.25`, `2.000000000000000001`. */
export function formatTokens(weiText: string): string {
  if (!/^\d+$/.test(weiText)) return `${oneLine(weiText)} wei`;
  const wei = BigInt(weiText);
  const unit = 10n ** 18n;
  const frac = (wei % unit).toString().padStart(18, '0').replace(/0+$/, '');
  return `${wei / unit}${frac ? `.${frac}` : ''}`;
}

const LABEL_WIDTH = 'Seals made: '.length + 1;
const row = (label: string, value: string) => `${`${label}:`.padEnd(LABEL_WIDTH)}${value}`;

const ROLE: Record<PoeStatusT['role'], string> = {
  authority: 'authority (makes the devnet’s blocks)',
  primary: 'primary (proposes and votes)',
  sealer: 'sealer (checks and seals blocks)',
  observer: 'observer (follows the chain)',
};

function syncText(p: PoeStatusT): string {
  const s = p.sync;
  const peers = `${s.peers} peer${s.peers === 1 ? '' : 's'}`;
  if (s.state === 'synced') return `synced at #${s.height}, ${peers}`;
  if (s.state === 'syncing') return `syncing #${s.height} of #${s.target}, ${peers}`;
  return 'offline (no peers)';
}

export function formatSealing(s: SealingStatusT): string {
  const lines = [row('Sealing', `${sealingHeadline(s)} (mode: ${MODE_LABEL[s.mode]})`)];
  const limit = `at most ${s.cpuCapPercent}% of a core when idle, ${Math.min(ACTIVE_CPU_PERCENT, s.cpuCapPercent)}% while you use the computer`;
  lines.push(row('CPU', `${Number(s.cpuPercent.toFixed(1))}% of a core now; ${s.mode === 'never' ? 'off' : limit}`));
  lines.push(row('Seals made', String(s.sealsMade)));
  lines.push(row('Rewards', `${formatTokens(s.rewardsWei)} tokens${s.rewardsWei === '0' ? '' : ` (${s.rewardsWei} wei)`}`));
  return lines.join('\n');
}

/** The POE and sealing part of `node status` (empty when the node reports neither). */
export function formatConsensus(st: Pick<NodeStatusT, 'poe' | 'sealing'>): string {
  const lines: string[] = [];
  const p = st.poe;
  if (p) {
    lines.push(row('Role', ROLE[p.role]));
    lines.push(row('Sync', syncText(p)));
    const fin = p.finalityP50Ms === null ? '' : `, finality p50 ${Number((p.finalityP50Ms / 1000).toFixed(2))}s`;
    lines.push(row('Consensus', `height #${p.height} round ${p.round}, finalized #${p.finalized}${fin}; ${p.primaries} primaries, ${p.sealers} sealers`));
  }
  if (st.sealing) lines.push(formatSealing(st.sealing));
  return lines.join('\n');
}
