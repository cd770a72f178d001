/**
 * @module renderer/ui/use-modal
 * Shows a `<dialog>` modally for as long as the component is mounted (top layer, focus
 * trap, inert app behind), registers it with the layer store so toasts stay visible above
 * it, focuses its `[data-autofocus]` element, and turns Escape (`cancel`) into `onEscape`.
 * Chromium may close a dialog without a cancellable event (repeated Escape without user
 * activation): a `dismissable` dialog then counts it as Escape, any other is shown again.
 * Focus returns to where it was when the dialog goes.
 */
import { useEffect, useRef } from 'react';
import type { RefObject } from 'react';
import { useLayerStore } from './layer-store';

export function useModal(onEscape: () => void, dismissable = false): RefObject<HTMLDialogElement | null> {
  const ref = useRef<HTMLDialogElement>(null);
  const escape = useRef(onEscape);
  const canDismiss = useRef(dismissable);
  useEffect(() => {
    escape.current = onEscape;
    canDismiss.current = dismissable;
  });
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const previous = document.activeElement as HTMLElement | null;
    if (!dialog.open) dialog.showModal();
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    useLayerStore.getState().push(dialog);
    const onCancel = (e: Event) => {
      e.preventDefault();
      escape.current();
    };
    const onClose = () => {
      // The event is queued: ignore a stale one if the dialog has been shown again since.
      if (dialog.open) return;
      if (canDismiss.current) escape.current();
      else if (dialog.isConnected) {
        dialog.showModal();
        useLayerStore.getState().push(dialog);
      }
    };
    dialog.addEventListener('cancel', onCancel);
    dialog.addEventListener('close', onClose);
    return () => {
      useLayerStore.getState().remove(dialog);
      dialog.removeEventListener('cancel', onCancel);
      dialog.removeEventListener('close', onClose);
      if (dialog.open) dialog.close();
      if (previous && document.contains(previous)) previous.focus();
    };
  }, []);
  return ref;
}
