/**
 * @module renderer/ui/Dialog
 * Modal dialog on the native `<dialog>` element: the browser provides the focus trap, the
 * inert background, the top layer (dialogs can stack) and Escape (`cancel`). Mount it
 * only while open; on unmount focus returns to where it was. Clicking the backdrop closes
 * unless `dismissable` is false (e.g. while a call is running). The first focus goes to the
 * element marked `data-autofocus` (React's `autoFocus` fires while the dialog is still closed,
 * and showModal() then focuses the first button: the close button).
 */
import { useEffect, useId, useRef } from 'react';
import type { ReactNode } from 'react';
import { IconButton } from './Button';
import { IconClose } from './Icons';
import { useLayerStore } from './layer-store';

export type DialogProps = {
  title: ReactNode;
  onClose(): void;
  children: ReactNode;
  footer?: ReactNode;
  size?: 'sm' | 'md' | 'lg';
  dismissable?: boolean;
  testId?: string;
  description?: ReactNode;
};

export function Dialog({ title, onClose, children, footer, size = 'md', dismissable = true, testId, description }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  const dismissableRef = useRef(dismissable);
  useEffect(() => {
    onCloseRef.current = onClose;
    dismissableRef.current = dismissable;
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const previous = document.activeElement as HTMLElement | null;
    if (!dialog.open) dialog.showModal();
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    useLayerStore.getState().push(dialog);
    const onCancel = (e: Event) => {
      e.preventDefault();
      if (dismissableRef.current) onCloseRef.current();
    };
    // Chromium may close a dialog without a cancellable event (repeated Escape without
    // user activation); keep React and the DOM in agreement.
    const onNativeClose = () => {
      // The event is queued: ignore a stale one if the dialog has been shown again since.
      if (dialog.open) return;
      if (dismissableRef.current) onCloseRef.current();
      else if (dialog.isConnected) {
        dialog.showModal();
        useLayerStore.getState().push(dialog);
      }
    };
    dialog.addEventListener('cancel', onCancel);
    dialog.addEventListener('close', onNativeClose);
    return () => {
      useLayerStore.getState().remove(dialog);
      dialog.removeEventListener('cancel', onCancel);
      dialog.removeEventListener('close', onNativeClose);
      if (dialog.open) dialog.close();
      if (previous && document.contains(previous)) previous.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={`dialog dialog-${size}`}
      aria-labelledby={titleId}
      data-testid={testId}
      onMouseDown={(e) => {
        // A press that starts on the backdrop (the dialog box itself, outside its content).
        if (e.target === ref.current && dismissable) onClose();
      }}
    >
      <div className="dialog-content">
        <header className="dialog-header">
          <h2 id={titleId} className="dialog-title">
            {title}
          </h2>
          {dismissable && (
            <IconButton label="Close" size="sm" onClick={onClose} data-testid="dialog-close">
              <IconClose size={18} />
            </IconButton>
          )}
        </header>
        {description && <p className="dialog-description">{description}</p>}
        <div className="dialog-body">{children}</div>
        {footer && <footer className="dialog-footer">{footer}</footer>}
      </div>
    </dialog>
  );
}
