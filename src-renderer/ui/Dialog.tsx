/**
 * @module renderer/ui/Dialog
 * Modal dialog on the native `<dialog>` element: the browser provides the focus trap, the
 * inert background, the top layer (dialogs can stack) and Escape (`cancel`). Mount it
 * only while open; on unmount focus returns to where it was. Clicking the backdrop closes
 * unless `dismissable` is false (e.g. while a call is running). The first focus goes to the
 * element marked `data-autofocus` (React's `autoFocus` fires while the dialog is still closed,
 * and showModal() then focuses the first button: the close button).
 */
import { useId } from 'react';
import type { ReactNode } from 'react';
import { IconButton } from './Button';
import { IconClose } from './Icons';
import { useModal } from './use-modal';

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
  const titleId = useId();
  // Escape closes a dismissable dialog; a native close is Escape too, or undone when not dismissable.
  const ref = useModal(() => {
    if (dismissable) onClose();
  }, dismissable);

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
