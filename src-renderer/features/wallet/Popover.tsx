/**
 * @module renderer/features/wallet/Popover
 * A button that opens a panel under it (the account and network pickers): Escape or a click
 * outside closes it and focus returns to the button; the panel's content gets `close`.
 */
import type { ReactNode } from 'react';
import { usePopover } from '../../ui/use-popover';

type Props = { trigger: ReactNode; label: string; testId: string; children(close: () => void): ReactNode; onOpen?(): void };

export function Popover({ trigger, label, testId, children, onOpen }: Props) {
  const { open, setOpen, root, button, onKeyDown } = usePopover();
  return (
    <div
      className="wallet-popover"
      ref={root}
      onKeyDown={onKeyDown}
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
