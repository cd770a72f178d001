/**
 * @module renderer/features/status/app-store
 * App-level state: the node's `AppState` (phase, who the account is), the bridge
 * connection, and the boot status shown before the first `app.getState` answers.
 */
import { create } from 'zustand';
import type { AppStateT } from '../../../src-preload/contract';
import type { ConnectionState } from '../../bridge';

export type Boot = { kind: 'loading' } | { kind: 'ready' } | { kind: 'error'; message: string };

type AppStore = {
  app: AppStateT | null;
  boot: Boot;
  connection: ConnectionState;
  /** True once the bridge has been open at least once (distinguishes "connecting" from "lost"). */
  wasOpen: boolean;
  setApp(app: AppStateT): void;
  setBoot(boot: Boot): void;
  setConnection(state: ConnectionState): void;
};

export const useAppStore = create<AppStore>()((set) => ({
  app: null,
  boot: { kind: 'loading' },
  connection: 'connecting',
  wasOpen: false,
  setApp: (app) => set({ app, boot: { kind: 'ready' } }),
  setBoot: (boot) => set({ boot }),
  setConnection: (connection) => set((s) => ({ connection, wasOpen: s.wasOpen || connection === 'open' })),
}));
