/**
 * @module renderer/features/chat/payments/PayButton
 * The composer's money button: a menu with "Send money" and "Request money" opening their
 * dialogs. Until the friend has shared a wallet address (their signed profile,
 * `Contact.wallet`) the button stays disabled and says why.
 */
import { useState } from 'react';
import type { SVGProps } from 'react';
import type { ContactT } from '../../../../src-preload/contract';
import { Menu } from '../../../ui/Menu';
import { RequestMoneyDialog } from './RequestMoneyDialog';
import { SendMoneyDialog } from './SendMoneyDialog';
import '../../../styles/payments.css';

/** A coin with a dollar-style stroke, drawn on the same 24×24 grid as ui/Icons. */
export function IconMoney({ size = 20, ...rest }: SVGProps<SVGSVGElement> & { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false" {...rest}>
      <circle cx="12" cy="12" r="8.5" />
      <path d="M14.8 9.2c-.4-.9-1.5-1.5-2.8-1.5-1.6 0-2.8.8-2.8 2.1 0 2.9 5.7 1.6 5.7 4.4 0 1.3-1.3 2.1-2.9 2.1-1.4 0-2.5-.6-2.9-1.6M12 6v1.7M12 16.3V18" />
    </svg>
  );
}

export function noWalletText(name: string): string {
  return `${name} has not shared a wallet address yet`;
}

export function PayButton({ contact }: { contact: ContactT }) {
  const [open, setOpen] = useState<'send' | 'request' | null>(null);
  if (!contact.wallet) {
    const reason = noWalletText(contact.name);
    return (
      <span className="pay-button-wrap" title={reason}>
        <button type="button" className="icon-btn icon-btn-md composer-pay" aria-label="Money" aria-disabled="true" aria-describedby="pay-button-reason" data-testid="pay-button" onClick={(e) => e.preventDefault()}>
          <IconMoney size={20} />
        </button>
        <span id="pay-button-reason" className="visually-hidden">
          {reason}
        </span>
      </span>
    );
  }
  return (
    <div className="pay-menu">
      <Menu
        label="Money"
        icon={<IconMoney size={20} />}
        testId="pay-button"
        items={[
          { key: 'send', label: 'Send money', onSelect: () => setOpen('send'), testId: 'pay-menu-send' },
          { key: 'request', label: 'Request money', onSelect: () => setOpen('request'), testId: 'pay-menu-request' },
        ]}
      />
      {open === 'send' && <SendMoneyDialog contact={contact} onClose={() => setOpen(null)} />}
      {open === 'request' && <RequestMoneyDialog contact={contact} onClose={() => setOpen(null)} />}
    </div>
  );
}
