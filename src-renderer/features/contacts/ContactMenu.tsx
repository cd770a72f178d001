/**
 * @module renderer/features/contacts/ContactMenu
 * The "⋮" menu in a conversation header: rename, copy address, block / unblock.
 */
import type { ContactT } from '../../../src-preload/contract';
import { copyText } from '../../lib/browser';
import { useDialogStore } from '../../layout/dialog-store';
import { IconBlock, IconCopy, IconMore, IconPencil } from '../../ui/Icons';
import { Menu } from '../../ui/Menu';
import type { MenuItem } from '../../ui/Menu';
import { toast } from '../../ui/toast-store';

export function ContactMenu({ contact }: { contact: ContactT }) {
  const open = useDialogStore((s) => s.open);
  const items: MenuItem[] = [
    { key: 'rename', label: 'Rename…', icon: <IconPencil size={16} />, testId: 'menu-rename', onSelect: () => open({ kind: 'rename', address: contact.address }) },
    {
      key: 'copy',
      label: 'Copy address',
      icon: <IconCopy size={16} />,
      testId: 'menu-copy-address',
      onSelect: () => {
        void copyText(contact.address).then((ok) => (ok ? toast.success('Address copied') : toast.error('Could not copy to the clipboard.')));
      },
    },
    contact.state === 'blocked'
      ? { key: 'unblock', label: 'Unblock…', icon: <IconBlock size={16} />, testId: 'menu-unblock', onSelect: () => open({ kind: 'unblock', address: contact.address }) }
      : { key: 'block', label: 'Block…', icon: <IconBlock size={16} />, danger: true, testId: 'menu-block', onSelect: () => open({ kind: 'block', address: contact.address }) },
  ];
  return <Menu label={`Options for ${contact.name}`} icon={<IconMore />} items={items} testId="contact-menu" />;
}
