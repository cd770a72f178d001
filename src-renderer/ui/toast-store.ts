/**
 * @module renderer/ui/toast-store
 * Transient notifications. `toast.error(err)` accepts anything thrown by a bridge call and
 * shows its human sentence; identical messages shown in quick succession are merged.
 */
import { create } from 'zustand';
import { errorText } from '../lib/errors';

export type ToastKind = 'info' | 'success' | 'error';
export type Toast = { id: number; kind: ToastKind; text: string; count: number };

type ToastStore = {
  toasts: Toast[];
  push(kind: ToastKind, text: string): void;
  dismiss(id: number): void;
};

let nextId = 1;
const LIFETIME: Record<ToastKind, number> = { info: 4000, success: 4000, error: 7000 };
const MAX_TOASTS = 4;

export const useToastStore = create<ToastStore>()((set, get) => ({
  toasts: [],
  push: (kind, text) => {
    const same = get().toasts.find((t) => t.kind === kind && t.text === text);
    const id = same ? same.id : nextId++;
    set((s) => ({
      toasts: same
        ? s.toasts.map((t) => (t.id === id ? { ...t, count: t.count + 1 } : t))
        : [...s.toasts, { id, kind, text, count: 1 }].slice(-MAX_TOASTS),
    }));
    if (typeof window !== 'undefined') window.setTimeout(() => get().dismiss(id), LIFETIME[kind]);
  },
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));

export const toast = {
  info: (text: string) => useToastStore.getState().push('info', text),
  success: (text: string) => useToastStore.getState().push('success', text),
  error: (error: unknown) => useToastStore.getState().push('error', typeof error === 'string' ? error : errorText(error)),
};
