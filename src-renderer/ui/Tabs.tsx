/**
 * @module renderer/ui/Tabs
 * WAI-ARIA tabs (tablist / tab / tabpanel) with arrow-key navigation between tabs.
 */
import { useId, useRef } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';

export type TabDef<K extends string> = { key: K; label: ReactNode; testId?: string };

type Props<K extends string> = {
  tabs: TabDef<K>[];
  active: K;
  onChange(key: K): void;
  label: string;
  children: ReactNode;
};

export function Tabs<K extends string>({ tabs, active, onChange, label, children }: Props<K>) {
  const base = useId();
  const refs = useRef<Array<HTMLButtonElement | null>>([]);
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const index = tabs.findIndex((t) => t.key === active);
    let next = -1;
    if (e.key === 'ArrowRight') next = (index + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') next = (index - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = tabs.length - 1;
    const tab = tabs[next];
    if (!tab) return;
    e.preventDefault();
    onChange(tab.key);
    refs.current[next]?.focus();
  };
  return (
    <div className="tabs">
      <div role="tablist" aria-label={label} className="tablist" onKeyDown={onKeyDown}>
        {tabs.map((t, i) => (
          <button
            key={t.key}
            ref={(el) => {
              refs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`${base}-tab-${t.key}`}
            aria-controls={`${base}-panel`}
            aria-selected={t.key === active}
            tabIndex={t.key === active ? 0 : -1}
            className="tab"
            data-testid={t.testId}
            onClick={() => onChange(t.key)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${base}-panel`} aria-labelledby={`${base}-tab-${active}`} className="tabpanel">
        {children}
      </div>
    </div>
  );
}
