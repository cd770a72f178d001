/**
 * @module renderer/features/node/SealingCard
 * The Node screen's Sealing card (issue 9 item 6), from `NodeStatus.sealing` and `.poe`: what
 * the sealing worker is doing and why ("Paused — You are using the computer"), the role and
 * sync state, the user's registration as a sealer (StakeRow: the stake, register / stop
 * sealing / withdraw), seals made and rewards earned with a chart over time, and the settings —
 * mode (when idle / always / never) and the CPU cap for idle sealing (10–100 % of one core).
 */
import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import {
  CPU_CAP_MAX,
  CPU_CAP_MIN,
  SEALING_REASONS,
  sealingHeadline,
  type NodeStatusT,
  type SealingStatusT,
} from '../../../src-preload/contract';
import { IconShield } from '../../ui/Icons';
import { setSealingCap, setSealingMode } from './sealing-actions';
import { SealingChart } from './SealingChart';
import { StakeRow } from './StakeRow';
import { useNow } from '../../lib/hooks';
import { MODE_OPTIONS, cpuText, formatTokens, lastDay, roleText, syncText } from './sealing-format';

/** What happens next, for each reason the worker gives. */
const NEXT_STEP: Record<string, string> = {
  [SEALING_REASONS.active]: 'It starts again by itself about a minute after you stop using the computer.',
  [SEALING_REASONS.battery]: 'It starts again when the computer is plugged in.',
  [SEALING_REASONS.locked]: 'Unlock your account: the sealing key stays locked with it.',
  [SEALING_REASONS.unregistered]: 'Register this account as a sealer below (a stake of tokens) to take part and earn rewards.',
  [SEALING_REASONS.syncing]: 'It starts once this node has caught up with the network.',
  [SEALING_REASONS.off]: 'Choose “When idle” or “Always” below to seal blocks and earn rewards.',
};

function Stat({ label, value, sub, testId }: { label: string; value: string; sub?: string; testId: string }) {
  return (
    <div className="stat">
      <dt className="stat-label">{label}</dt>
      <dd className="stat-value" data-testid={testId}>
        {value}
      </dd>
      {sub && <dd className="stat-sub">{sub}</dd>}
    </div>
  );
}

function CapSlider({ sealing }: { sealing: SealingStatusT }) {
  const [draft, setDraft] = useState<number | null>(null);
  const timer = useRef<number | null>(null);
  useEffect(() => () => (timer.current === null ? undefined : window.clearTimeout(timer.current)), []);
  const value = draft ?? sealing.cpuCapPercent;
  const change = (v: number) => {
    setDraft(v);
    if (timer.current !== null) window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      timer.current = null;
      void setSealingCap(v).finally(() => setDraft(null));
    }, 300);
  };
  return (
    <div className="sealing-setting">
      <label className="sealing-setting-label" htmlFor="sealing-cpu-cap">
        CPU limit when idle <span className="sealing-cap-value" data-testid="sealing-cpu-cap-value">{value}% of one core</span>
      </label>
      <input
        id="sealing-cpu-cap"
        className="sealing-slider"
        type="range"
        min={CPU_CAP_MIN}
        max={CPU_CAP_MAX}
        step={5}
        value={value}
        onChange={(e) => change(Number(e.target.value))}
        data-testid="sealing-cpu-cap"
        aria-describedby="sealing-cpu-cap-hint"
      />
      <p id="sealing-cpu-cap-hint" className="muted">
        While you use the computer it never takes more than 5% of one core, and it runs at the lowest priority.
      </p>
    </div>
  );
}

function ModePicker({ sealing }: { sealing: SealingStatusT }) {
  const selected = MODE_OPTIONS.find((o) => o.mode === sealing.mode) ?? MODE_OPTIONS[0]!;
  return (
    <div className="sealing-setting">
      <div className="sealing-setting-label" id="sealing-mode-label">
        Seal blocks
      </div>
      <div className="segmented" role="radiogroup" aria-labelledby="sealing-mode-label">
        {MODE_OPTIONS.map((o) => (
          <button
            key={o.mode}
            type="button"
            role="radio"
            aria-checked={o.mode === sealing.mode}
            className={`segment${o.mode === sealing.mode ? ' is-selected' : ''}`}
            onClick={() => void setSealingMode(o.mode)}
            data-testid={`sealing-mode-${o.mode}`}
          >
            {o.label}
          </button>
        ))}
      </div>
      <p className="muted" data-testid="sealing-mode-hint">
        {selected.hint}
      </p>
    </div>
  );
}

function SealingDetails({ sealing, poe, children }: { sealing: SealingStatusT; poe: NodeStatusT['poe']; children?: ReactNode }) {
  const role = roleText(poe);
  const sync = syncText(poe);
  const cpu = cpuText(sealing);
  const day = lastDay(sealing.history, useNow(60_000));
  const pill = sealing.state === 'sealing' ? ' is-ok' : sealing.state === 'paused' ? ' is-warn' : '';
  return (
    <>
      <header className="node-card-header">
        <div className="node-card-icon">
          <IconShield size={22} />
        </div>
        <div className="node-card-heading">
          <h2 id="node-sealing-title">Sealing</h2>
          <div className="muted">Your computer double-checks new blocks while you are away, and earns rewards for it.</div>
        </div>
        <span className={`status-pill${pill}`} data-testid="sealing-state" data-state={sealing.state}>
          {sealingHeadline(sealing)}
        </span>
      </header>
      {sealing.reason && (
        <p className="sealing-why" data-testid="sealing-reason">
          {NEXT_STEP[sealing.reason] ?? sealing.reason}
        </p>
      )}
      {children}
      <dl className="stat-grid">
        <Stat label="Role" testId="sealing-role" value={role.value} sub={role.sub} />
        <Stat label="Sync" testId="sealing-sync" value={sync.value} sub={sync.sub} />
        <Stat label="Seals made" testId="sealing-seals" value={new Intl.NumberFormat().format(sealing.sealsMade)} />
        <Stat label="Rewards earned" testId="sealing-rewards" value={`${formatTokens(sealing.rewardsWei)} tokens`} />
        <Stat label="Last 24 hours" testId="sealing-day" value={`${new Intl.NumberFormat().format(day.seals)} seal${day.seals === 1 ? '' : 's'}`} sub={`${formatTokens(day.rewardsWei)} tokens earned`} />
        <Stat label="CPU now" testId="sealing-cpu" value={cpu.value} sub={cpu.sub} />
      </dl>
      <SealingChart history={sealing.history} />
      <div className="sealing-settings">
        <ModePicker sealing={sealing} />
        {sealing.mode !== 'never' && <CapSlider sealing={sealing} />}
      </div>
    </>
  );
}

export function SealingCard({ status }: { status: NodeStatusT | null }) {
  if (!status?.sealing) return null;
  return (
    <section className="node-card" aria-labelledby="node-sealing-title" data-testid="sealing-card">
      <SealingDetails sealing={status.sealing} poe={status.poe}>
        {(status.poe || status.chain?.producer === 'poe') && <StakeRow status={status} />}
      </SealingDetails>
    </section>
  );
}
