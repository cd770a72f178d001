/**
 * @module renderer/features/node/ResetDevnet
 * "Start over" for the embedded devnet: a danger button and a confirmation that says plainly
 * what is lost. While the node resets, the dialog cannot be dismissed and the button shows
 * progress (ConfirmDialog); a failure is shown in the dialog as a sentence (lib/errors).
 */
import { useState } from 'react';
import { Button } from '../../ui/Button';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { IconRestart } from '../../ui/Icons';
import { toast } from '../../ui/toast-store';
import { resetDevnet } from './devnet-actions';

export function ResetDevnet({ network }: { network: string }) {
  const [open, setOpen] = useState(false);
  const [running, setRunning] = useState(false);
  const confirm = async () => {
    setRunning(true);
    try {
      const s = await resetDevnet();
      toast.success(`${network} started over${s.chain ? ` at block ${s.chain.head.number}` : ''}.`);
    } finally {
      setRunning(false);
    }
  };
  return (
    <div className="node-row node-danger">
      <div className="node-row-text">
        <div className="node-row-title">Start the local network over</div>
        <p className="muted">Erases this network’s blocks and balances and creates its genesis block again. Your chats and contacts are kept.</p>
      </div>
      <Button variant="danger" icon={<IconRestart size={18} />} onClick={() => setOpen(true)} busy={running} data-testid="devnet-reset">
        Reset devnet…
      </Button>
      {open && (
        <ConfirmDialog
          title="Reset the local network?"
          testId="devnet-reset-dialog"
          danger
          confirmLabel="Erase and reset"
          onConfirm={confirm}
          onClose={() => setOpen(false)}
          body={
            <>
              <p>
                Every block, balance and transaction on <strong>{network}</strong> will be erased, and the network starts again from a newly
                created genesis block.
              </p>
              <p>Contracts deployed on it are gone; your wallet gets only its starting funds back. This cannot be undone.</p>
              <p className="muted">Your chats, contacts and recovery phrase are not affected.</p>
            </>
          }
        />
      )}
    </div>
  );
}
