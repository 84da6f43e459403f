import { FormEvent, ReactNode, useEffect, useRef, useState } from 'react';

/**
 * A modal confirmation that asks why (the reason goes into the audit trail). Built on <dialog>, so focus is
 * trapped, Escape cancels and the page behind is inert.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  onConfirm,
  onClose,
  tone = 'danger',
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm(reason: string): Promise<void>;
  onClose(): void;
  tone?: 'danger' | 'primary';
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      await onConfirm(reason.trim());
    } finally {
      setBusy(false);
    }
  };
  return (
    <dialog ref={dialog} onClose={onClose} aria-labelledby="confirm-title" className="confirm">
      <form onSubmit={submit}>
        <h2 id="confirm-title">{title}</h2>
        {children}
        <label htmlFor="confirm-reason">Reason (recorded in the audit trail)</label>
        <input
          id="confirm-reason"
          required
          maxLength={500}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          autoFocus
        />
        <div className="buttons">
          <button type="submit" className={tone} disabled={busy || !reason.trim()}>
            {confirmLabel}
          </button>
          <button type="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
