/**
 * @module renderer/features/node/ResetDevnet
 * "Start over" for the embedded devnet: the danger row in the chain card (`ResetDevnetRow`)
 * and its confirmation (`ResetDevnetDialog`, mounted by the Node screen itself so that it
 * survives the moment the chain is down during the reset). The confirmation says plainly
 * what is lost; while the node resets it cannot be dismissed and its button shows progress
 * (ConfirmDialog); a failure is shown in it as a sentence (lib/errors).
 */
import { Button } from '../../ui/Button';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { IconRestart } from '../../ui/Icons';
import { toast } from '../../ui/toast-store';
import { resetDevnet, useResetStore } from './devnet-actions';

export function ResetDevnetRow({ network }: { network: string }) {
  const running = useResetStore((s) => s.running);
  const ask = useResetStore((s) => s.ask);
  return (
    <div className="node-row node-danger">
      <div className="node-row-text">
        <div className="node-row-title">Start the local network over</div>
        <p className="muted">Erases this network’s blocks and balances and creates its genesis block again. Your chats and contacts are kept.</p>
      </div>
      <Button variant="danger" icon={<IconRestart size={18} />} onClick={() => ask(network)} busy={running} data-testid="devnet-reset">
        Reset devnet…
      </Button>
    </div>
  );
}

export function ResetDevnetDialog() {
  const network = useResetStore((s) => s.confirming);
  const close = useResetStore((s) => s.close);
  if (network === null) return null;
  const confirm = async () => {
    const s = await resetDevnet();
    toast.success(`${network} started over${s.chain ? ` at block ${s.chain.head.number}` : ''}.`);
  };
  return (
    <ConfirmDialog
      title="Reset the local network?"
      testId="devnet-reset-dialog"
      danger
      confirmLabel="Erase and reset"
      onConfirm={confirm}
      onClose={close}
      body={
        <>
          <p>
            Every block, balance and transaction on <strong>{network}</strong> will be erased, and the network starts again from a newly created
            genesis block.
          </p>
          <p>Contracts deployed on it are gone; your wallet gets only its starting funds back. This cannot be undone.</p>
          <p className="muted">Your chats, contacts and recovery phrase are not affected.</p>
        </>
      }
    />
  );
}
