/**
 * @module renderer/ui/use-popover
 * A button that opens a panel under it (pickers, the call's device menu): a click outside
 * `root` closes it, Escape closes it and returns focus to `button`. Spread `onKeyDown` on the
 * root element.
 */
import { useEffect, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';

export function usePopover() {
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
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && open) {
      e.preventDefault();
      e.stopPropagation();
      close();
    }
  };
  return { open, setOpen, root, button, close, onKeyDown };
}
