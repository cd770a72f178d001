/**
 * @module renderer/features/dapps/PendingParts
 * The pieces of a provider request's confirm dialog: who asks (icon, name, origin), on which
 * network and for which account; the node's label/value rows (monospace where `mono`,
 * highlighted where `warn`); the decoded call (function, arguments, amount, max fee,
 * insufficient funds); the account checkboxes of a connect and the friend checkboxes of a
 * channel request. Nothing is shown as JSON: the node already put every value in words.
 */
import { useId } from 'react';
import type { DisplayRowT, PendingRequestT } from '../../../src-preload/contract';
import { Avatar } from '../../ui/Avatar';
import { IconWarning } from '../../ui/Icons';
import { DappIcon } from './DappIcon';
import { installedOf, useDappsStore } from './dapps-store';
import { callRows, chainLabel, toggle } from './pending-format';

export function RequestOrigin({ req }: { req: PendingRequestT }) {
  const icon = useDappsStore((s) => installedOf(req.appId, s.installed)?.icon ?? null);
  return (
    <div className="pending-origin">
      <DappIcon name={req.appName} appId={req.appId} icon={icon} size="md" />
      <div className="pending-origin-main">
        <span className="pending-app">{req.appName}</span>
        <span className="mono muted pending-url" title={req.origin}>
          {req.origin}
        </span>
      </div>
    </div>
  );
}

export function Rows({ rows, label }: { rows: DisplayRowT[]; label?: string }) {
  if (rows.length === 0) return null;
  return (
    <dl className="pending-rows" aria-label={label}>
      {rows.map((r, i) => (
        <div key={`${r.label}-${i}`} className={`pending-row${r.warn ? ' is-warn' : ''}`} data-testid="pending-row">
          <dt>{r.label}</dt>
          <dd className={r.mono ? 'mono' : undefined}>
            {r.warn && <IconWarning size={14} />}
            {r.value}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** Network and account, unless the node's own rows already say them. */
export function Context({ req }: { req: PendingRequestT }) {
  const said = new Set(req.rows.map((r) => r.label.toLowerCase()));
  const rows: DisplayRowT[] = [];
  if (!said.has('network')) rows.push({ label: 'Network', value: chainLabel(req.chain) });
  if (req.account && !said.has('account')) rows.push({ label: 'Account', value: req.account, mono: true });
  return <Rows rows={rows} label="Where" />;
}

/**
 * The decoded call. When the node's rows already describe it (a Function or Action row), the
 * typed version is tucked into a disclosure instead of repeating every line.
 */
export function DecodedCall({ call, rows }: { call: NonNullable<PendingRequestT['call']>; rows: DisplayRowT[] }) {
  const described = rows.some((r) => /^(?:function|action)$/i.test(r.label));
  return (
    <section className="pending-call" aria-label="Transaction" data-testid="pending-call">
      {described ? (
        <details className="pending-details">
          <summary>Call details with types</summary>
          <Rows rows={callRows(call)} />
        </details>
      ) : (
        <Rows rows={callRows(call)} />
      )}
      {!call.sufficient && (
        <p className="callout callout-danger" role="alert" data-testid="pending-insufficient">
          <IconWarning size={16} />
          <span>Insufficient funds: the balance does not cover the amount plus the maximum network fee.</span>
        </p>
      )}
    </section>
  );
}

export function Warnings({ warnings }: { warnings: string[] }) {
  if (warnings.length === 0) return null;
  return (
    <ul className="pending-warnings" data-testid="pending-warnings">
      {warnings.map((w, i) => (
        <li key={i} className="callout callout-warning">
          <IconWarning size={16} />
          <span>{w}</span>
        </li>
      ))}
    </ul>
  );
}

type Pick = { address: string; name: string; online?: boolean };

export function Choices({ legend, items, chosen, onChange, testId }: { legend: string; items: Pick[]; chosen: string[]; onChange(next: string[]): void; testId: string }) {
  const id = useId();
  if (items.length === 0) return null;
  return (
    <fieldset className="pending-choices" data-testid={testId} aria-describedby={`${id}-hint`}>
      <legend className="pending-legend">{legend}</legend>
      <p id={`${id}-hint`} className="visually-hidden">
        Only the ones you tick are shared.
      </p>
      {items.map((it) => {
        const on = chosen.some((c) => c.toLowerCase() === it.address.toLowerCase());
        return (
          <label key={it.address} className={`pending-choice${on ? ' is-on' : ''}`}>
            <input type="checkbox" checked={on} onChange={(e) => onChange(toggle(chosen, it.address, e.target.checked))} data-testid={`choice-${it.address}`} />
            <Avatar name={it.name} address={it.address} size="sm" online={it.online} />
            <span className="pending-choice-main">
              <span>{it.name || 'Unnamed'}</span>
              <span className="mono muted" title={it.address}>
                {it.address}
              </span>
            </span>
            {it.online !== undefined && <span className="muted pending-online">{it.online ? 'online' : 'offline'}</span>}
          </label>
        );
      })}
    </fieldset>
  );
}
