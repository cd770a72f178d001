/**
 * @module renderer/features/dapps/DappsDialogHost
 * Renders the DApps screen's open dialog (dapps-view): uninstall (confirmed, says its data
 * goes), the update's new permissions, rate and report.
 */
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { uninstallDapp } from './dapp-actions';
import { closeDialog, useDappsView } from './dapps-view';
import { RateDialog, ReportDialog } from './FeedbackDialogs';
import { UpdatePrompt } from './UpdatePrompt';

export function DappsDialogHost() {
  const dialog = useDappsView((s) => s.dialog);
  if (!dialog) return null;
  switch (dialog.kind) {
    case 'uninstall':
      return (
        <ConfirmDialog
          title={`Uninstall ${dialog.name}?`}
          body={
            <>
              <p>Its files and all the data it kept on this computer are removed, and so are its permissions, the accounts you connected to it and the friends it could message.</p>
              <p>You can install it again from the store; it then starts from scratch.</p>
            </>
          }
          confirmLabel="Uninstall"
          danger
          testId="dapp-uninstall-dialog"
          onClose={closeDialog}
          onConfirm={() => uninstallDapp(dialog.appId, dialog.name)}
        />
      );
    case 'update-permissions':
      return <UpdatePrompt appId={dialog.appId} name={dialog.name} check={dialog.check} onClose={closeDialog} />;
    case 'rate':
      return <RateDialog appId={dialog.appId} name={dialog.name} current={dialog.current} onClose={closeDialog} />;
    case 'report':
      return <ReportDialog appId={dialog.appId} name={dialog.name} onClose={closeDialog} />;
  }
}
