/**
 * @module renderer/features/wallet/Popover
 * A button that opens a panel under it (the account and network pickers): Escape or a click
 * outside closes it and focus returns to the button; the panel's content gets `close`.
 */
import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';

type Props = { trigger: ReactNode; label: string; testId: string; children(close: () => void): ReactNode; onOpen?(): void };

export function Popover({ trigger, label, testId, children, onOpen }: Props) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  return (
    <div
      className="wallet-popover"
      ref={root}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.stopPropagation();
          close();
        }
      }}
    >
      <button
        ref={button}
        type="button"
        className="wallet-picker"
        aria-haspopup="true"
        aria-expanded={open}
        aria-label={label}
        data-testid={testId}
        onClick={() => {
          if (!open) onOpen?.();
          setOpen((v) => !v);
        }}
      >
        {trigger}
      </button>
      {open && (
        <div className="wallet-popover-panel" data-testid={`${testId}-panel`}>
          {children(() => setOpen(false))}
        </div>
      )}
    </div>
  );
}
