/**
 * @module renderer/ui/EmptyState
 * Centered illustration + title + explanation + optional action for empty lists and panes.
 */
import type { ReactNode } from 'react';

type Props = { icon?: ReactNode; title: string; children?: ReactNode; action?: ReactNode; testId?: string };

export function EmptyState({ icon, title, children, action, testId }: Props) {
  return (
    <div className="empty-state" data-testid={testId}>
      {icon && <div className="empty-icon">{icon}</div>}
      <h2 className="empty-title">{title}</h2>
      {children && <div className="empty-text">{children}</div>}
      {action && <div className="empty-action">{action}</div>}
    </div>
  );
}
