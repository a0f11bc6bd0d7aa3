import { type ReactNode, useEffect, useId, useRef } from 'react';

interface ModalDialogProps {
  readonly title: string;
  /** Escape and the dialog's own close go here; the parent decides whether it closes. */
  readonly onCancel: () => void;
  readonly children: ReactNode;
  readonly wide?: boolean;
}

/**
 * A native modal `<dialog>`, open while mounted: focus moves into it, the
 * page behind is inert, Escape cancels. `role="dialog"` is explicit because
 * tests and tools look for it.
 */
export function ModalDialog({ title, onCancel, children, wide = false }: ModalDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const cancel = useRef(onCancel);
  cancel.current = onCancel;

  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    if (!dialog.open) dialog.showModal();
    const onCancelEvent = (event: Event) => {
      event.preventDefault(); // React unmounts it, so the close goes through the same path
      cancel.current();
    };
    dialog.addEventListener('cancel', onCancelEvent);
    return () => {
      dialog.removeEventListener('cancel', onCancelEvent);
      if (dialog.open) dialog.close();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      // biome-ignore lint/a11y/noRedundantRoles: pinned for the browser tests and older assistive technology
      role="dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      className={`bw-dialog${wide ? ' bw-dialog-wide' : ''}`}
    >
      <h2 id={titleId} className="bw-dialog-title">
        {title}
      </h2>
      {children}
    </dialog>
  );
}
