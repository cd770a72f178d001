/**
 * @module renderer/features/wallet/ReplaceDialog
 * Speed up or cancel one of our pending transactions (replacement by fee, wallet.replace),
 * after saying what happens; the new transaction shows in the activity list.
 */
import type { ActivityItemT } from '../../../src-preload/contract';
import { call } from '../../bridge';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { toast } from '../../ui/toast-store';
import { refreshActivity } from './wallet-store';

export function ReplaceDialog({ item, action, onClose }: { item: ActivityItemT; action: 'speed-up' | 'cancel'; onClose(): void }) {
  const speed = action === 'speed-up';
  return (
    <ConfirmDialog
      title={speed ? 'Speed up this transaction?' : 'Cancel this transaction?'}
      body={
        speed ? (
          <p>
            The same transfer of <strong>{item.amount.formatted}</strong> is sent again with a higher fee, so a block takes it sooner. Only one of the two can go through.
          </p>
        ) : (
          <p>
            An empty transaction to yourself with a higher fee takes its place. If a block takes it first, the <strong>{item.amount.formatted}</strong> are not sent; you still pay its fee.
          </p>
        )
      }
      confirmLabel={speed ? 'Speed up' : 'Cancel transaction'}
      danger={!speed}
      testId={`replace-${action}-dialog`}
      onClose={onClose}
      onConfirm={async () => {
        await call('wallet.replace', { hash: item.hash, action, confirm: true });
        toast.success(speed ? 'Sent again with a higher fee.' : 'Cancellation sent.');
        await refreshActivity();
      }}
    />
  );
}
