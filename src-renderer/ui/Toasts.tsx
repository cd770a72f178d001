/**
 * @module renderer/ui/Toasts
 * Renders the toast stack. Errors use `role="alert"` (announced at once); other toasts
 * sit in a polite live region. While a modal dialog is open the stack is portalled into it
 * (see layer-store), since everything outside a modal dialog is covered and inert.
 */
import { createPortal } from 'react-dom';
import { IconButton } from './Button';
import { IconCheck, IconClose, IconWarning } from './Icons';
import { useLayerStore } from './layer-store';
import { useToastStore } from './toast-store';

export function Toasts() {
  const toasts = useToastStore((s) => s.toasts);
  const dismiss = useToastStore((s) => s.dismiss);
  const host = useLayerStore((s) => s.hosts[s.hosts.length - 1] ?? null);
  const stack = (
    <div className="toasts" aria-live="polite" data-testid="toasts">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'} data-testid={`toast-${t.kind}`}>
          <span className="toast-icon">{t.kind === 'error' ? <IconWarning size={18} /> : <IconCheck size={18} />}</span>
          <span className="toast-text">
            {t.text}
            {t.count > 1 && <span className="toast-count"> ×{t.count}</span>}
          </span>
          <IconButton label="Dismiss notification" size="sm" onClick={() => dismiss(t.id)}>
            <IconClose size={16} />
          </IconButton>
        </div>
      ))}
    </div>
  );
  return host ? createPortal(stack, host) : stack;
}
