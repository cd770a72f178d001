/**
 * @module renderer/features/wallet/wallet-dialogs
 * Which dialog of the Wallet screen is open (one at a time; confirmations inside a dialog
 * stack natively). Any part of the screen opens one by kind; WalletDialogHost renders it.
 */
import { create } from 'zustand';
import type { ActivityItemT, WalletAccountT, WalletNetworkT } from '../../../src-preload/contract';

export type WalletDialog =
  | { kind: 'send' }
  | { kind: 'receive' }
  | { kind: 'add-token' }
  | { kind: 'add-network' }
  | { kind: 'edit-network'; network: WalletNetworkT }
  | { kind: 'remove-network'; network: WalletNetworkT }
  | { kind: 'add-account' }
  | { kind: 'rename-account'; account: WalletAccountT }
  | { kind: 'import-key' }
  | { kind: 'import-keystore' }
  | { kind: 'add-watch' }
  | { kind: 'export-keystore'; account: WalletAccountT }
  | { kind: 'remove-account'; account: WalletAccountT }
  | { kind: 'replace'; item: ActivityItemT; action: 'speed-up' | 'cancel' }
  | null;

type Store = { dialog: WalletDialog; open(d: Exclude<WalletDialog, null>): void; close(): void };

export const useWalletDialogs = create<Store>()((set) => ({
  dialog: null,
  open: (dialog) => set({ dialog }),
  close: () => set({ dialog: null }),
}));

export const openWalletDialog = (d: Exclude<WalletDialog, null>) => useWalletDialogs.getState().open(d);
