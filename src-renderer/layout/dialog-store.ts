/**
 * @module renderer/layout/dialog-store
 * Which app-level dialog is open. One at a time at this level (confirmations inside a
 * dialog stack on top natively); Escape or the close button sets it back to null.
 */
import { create } from 'zustand';

export type OpenDialog =
  | { kind: 'add-friend'; tab?: 'invite' | 'add' }
  | { kind: 'settings' }
  | { kind: 'rename'; address: string }
  | { kind: 'block'; address: string }
  | { kind: 'unblock'; address: string }
  | null;

type DialogStore = { dialog: OpenDialog; open(d: Exclude<OpenDialog, null>): void; close(): void };

export const useDialogStore = create<DialogStore>()((set) => ({
  dialog: null,
  open: (dialog) => set({ dialog }),
  close: () => set({ dialog: null }),
}));
