/**
 * @module renderer/ui/layer-store
 * The stack of open modal dialogs. A modal `<dialog>` sits in the browser's top layer and
 * makes the rest of the page inert, so toasts are portalled into the topmost dialog to stay
 * visible and clickable above it.
 */
import { create } from 'zustand';

type LayerStore = { hosts: HTMLElement[]; push(el: HTMLElement): void; remove(el: HTMLElement): void };

export const useLayerStore = create<LayerStore>()((set) => ({
  hosts: [],
  push: (el) => set((s) => ({ hosts: [...s.hosts.filter((h) => h !== el), el] })),
  remove: (el) => set((s) => ({ hosts: s.hosts.filter((h) => h !== el) })),
}));
