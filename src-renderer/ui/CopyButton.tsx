/**
 * @module renderer/ui/CopyButton
 * Copies a value and confirms with a check mark for a moment (and a polite announcement).
 */
import { useEffect, useState } from 'react';
import { copyText } from '../lib/browser';
import { Button, IconButton } from './Button';
import { IconCheck, IconCopy } from './Icons';
import { toast } from './toast-store';

type Props = { value: string; label: string; text?: string; testId?: string; size?: 'sm' | 'md' };

export function CopyButton({ value, label, text, testId, size = 'sm' }: Props) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const t = window.setTimeout(() => setCopied(false), 1600);
    return () => window.clearTimeout(t);
  }, [copied]);
  const onClick = async () => {
    if (await copyText(value)) setCopied(true);
    else toast.error('Could not copy to the clipboard. Select the text and copy it by hand.');
  };
  const icon = copied ? <IconCheck size={16} /> : <IconCopy size={16} />;
  return (
    <>
      {text ? (
        <Button size={size} icon={icon} onClick={onClick} data-testid={testId} aria-label={label}>
          {copied ? 'Copied' : text}
        </Button>
      ) : (
        <IconButton label={label} size="sm" onClick={onClick} data-testid={testId}>
          {icon}
        </IconButton>
      )}
      <span className="visually-hidden" aria-live="polite">
        {copied ? 'Copied to clipboard' : ''}
      </span>
    </>
  );
}
