/**
 * @module renderer/ui/Button
 * Buttons: `Button` (text, optional leading icon, busy state) and `IconButton` (icon only;
 * `label` is mandatory and becomes both `aria-label` and the tooltip).
 */
import type { ButtonHTMLAttributes, ReactNode, Ref } from 'react';
import { Spinner } from './Spinner';

type Variant = 'primary' | 'secondary' | 'ghost' | 'danger';

export type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: Variant;
  size?: 'sm' | 'md' | 'lg';
  icon?: ReactNode;
  busy?: boolean;
  block?: boolean;
  ref?: Ref<HTMLButtonElement>;
};

export function Button({ variant = 'secondary', size = 'md', icon, busy = false, block = false, className, children, disabled, type = 'button', ...rest }: ButtonProps) {
  const cls = ['btn', `btn-${variant}`, `btn-${size}`, block ? 'btn-block' : '', className ?? ''].filter(Boolean).join(' ');
  return (
    <button type={type} className={cls} disabled={disabled || busy} aria-busy={busy || undefined} {...rest}>
      {busy ? <Spinner size={16} /> : icon}
      {children !== undefined && <span className="btn-label">{children}</span>}
    </button>
  );
}

export type IconButtonProps = Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'children'> & {
  label: string;
  children: ReactNode;
  size?: 'sm' | 'md';
  ref?: Ref<HTMLButtonElement>;
};

export function IconButton({ label, children, size = 'md', className, type = 'button', ...rest }: IconButtonProps) {
  return (
    <button type={type} className={`icon-btn icon-btn-${size} ${className ?? ''}`} aria-label={label} title={label} {...rest}>
      {children}
    </button>
  );
}
