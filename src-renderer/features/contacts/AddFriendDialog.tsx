/**
 * @module renderer/features/contacts/AddFriendDialog
 * The "Add friend" dialog: share your invite, or add someone else's.
 */
import { useState } from 'react';
import { Dialog } from '../../ui/Dialog';
import { Tabs } from '../../ui/Tabs';
import { openConversation } from '../chat/open-conversation';
import { AddFriendTab } from './AddFriendTab';
import { InviteTab } from './InviteTab';

type Tab = 'invite' | 'add';

export function AddFriendDialog({ initialTab = 'invite', onClose }: { initialTab?: Tab; onClose(): void }) {
  const [tab, setTab] = useState<Tab>(initialTab);
  return (
    <Dialog title="Add friend" onClose={onClose} testId="add-friend-dialog">
      <Tabs<Tab>
        label="Add friend"
        active={tab}
        onChange={setTab}
        tabs={[
          { key: 'invite', label: 'Your invite', testId: 'tab-invite' },
          { key: 'add', label: 'Add a friend', testId: 'tab-add' },
        ]}
      >
        {tab === 'invite' ? (
          <InviteTab />
        ) : (
          <AddFriendTab
            onAdded={(address) => {
              onClose();
              openConversation(address);
            }}
          />
        )}
      </Tabs>
    </Dialog>
  );
}
