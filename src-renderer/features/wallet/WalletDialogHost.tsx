/**
 * @module renderer/features/wallet/WalletDialogHost
 * Renders the Wallet screen's open dialog (wallet-dialogs) with the current account and
 * network.
 */
import { call } from '../../bridge';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { toast } from '../../ui/toast-store';
import { AddWatchDialog, ExportKeystoreDialog, ImportKeyDialog, ImportKeystoreDialog, NameAccountDialog } from './AccountDialogs';
import { AddTokenDialog } from './AddTokenDialog';
import { NetworkDialog } from './NetworkDialog';
import { ReceiveDialog } from './ReceiveDialog';
import { ReplaceDialog } from './ReplaceDialog';
import { SendDialog } from './SendDialog';
import { pickAccount } from './wallet-format';
import { useWalletDialogs } from './wallet-dialogs';
import { loadWallet, selectedNetwork, useWalletStore } from './wallet-store';

export function WalletDialogHost() {
  const dialog = useWalletDialogs((s) => s.dialog);
  const close = useWalletDialogs((s) => s.close);
  const account = useWalletStore((s) => pickAccount(s.accounts, s.chosen));
  const network = useWalletStore((s) => selectedNetwork(s.networks));
  if (!dialog) return null;
  switch (dialog.kind) {
    case 'send':
      return account && network ? <SendDialog account={account} network={network} onClose={close} /> : null;
    case 'receive':
      return account && network ? <ReceiveDialog account={account} network={network} onClose={close} /> : null;
    case 'add-token':
      return network ? <AddTokenDialog network={network} onClose={close} /> : null;
    case 'add-network':
      return <NetworkDialog onClose={close} />;
    case 'edit-network':
      return <NetworkDialog network={dialog.network} onClose={close} />;
    case 'remove-network':
      return (
        <ConfirmDialog
          title={`Remove ${dialog.network.name}?`}
          body={<p>The network and the tokens you follow on it are removed from the wallet. Your accounts and their money stay on the chain.</p>}
          confirmLabel="Remove network"
          danger
          testId="remove-network-dialog"
          onClose={close}
          onConfirm={async () => {
            await call('wallet.removeNetwork', { id: dialog.network.id });
            toast.success(`${dialog.network.name} removed.`);
            await loadWallet();
          }}
        />
      );
    case 'add-account':
      return <NameAccountDialog onClose={close} />;
    case 'rename-account':
      return <NameAccountDialog account={dialog.account} onClose={close} />;
    case 'import-key':
      return <ImportKeyDialog onClose={close} />;
    case 'import-keystore':
      return <ImportKeystoreDialog onClose={close} />;
    case 'add-watch':
      return <AddWatchDialog onClose={close} />;
    case 'export-keystore':
      return <ExportKeystoreDialog account={dialog.account} onClose={close} />;
    case 'remove-account':
      return (
        <ConfirmDialog
          title={`Remove ${dialog.account.name}?`}
          body={
            dialog.account.kind === 'watch' ? (
              <p>The wallet stops watching this address.</p>
            ) : (
              <p>The imported key is deleted from this computer. Without your own backup of it (or an exported keystore) the money on this account cannot be spent from here again.</p>
            )
          }
          confirmLabel="Remove account"
          danger
          testId="remove-account-dialog"
          onClose={close}
          onConfirm={async () => {
            await call('wallet.removeAccount', { address: dialog.account.address });
            toast.success(`${dialog.account.name} removed.`);
            await loadWallet();
          }}
        />
      );
    case 'replace':
      return <ReplaceDialog item={dialog.item} action={dialog.action} onClose={close} />;
  }
}
