import { FormEvent, useState } from 'react';
import type { ReviewRejectionReason } from '@oversight/contracts';
import type { ReviewTaskView } from '../api/types';
import { parseParameters, REJECTION_REASONS } from './task-rules';

type Submit = (body: Record<string, unknown>) => Promise<boolean>;

export function ApproveForm({
  onSubmit,
  onCancel,
  busy,
}: {
  onSubmit: Submit;
  onCancel(): void;
  busy: boolean;
}) {
  const [comment, setComment] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void onSubmit(comment.trim() ? { comment: comment.trim() } : {});
  };
  return (
    <form className="act-form" onSubmit={submit} aria-label="Approve">
      <label htmlFor="approve-comment">Comment (optional)</label>
      <textarea
        id="approve-comment"
        value={comment}
        maxLength={2000}
        onChange={(e) => setComment(e.target.value)}
      />
      <div className="buttons">
        <button type="submit" className="primary" disabled={busy}>
          Confirm approval
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function RejectForm({
  onSubmit,
  onCancel,
  busy,
}: {
  onSubmit: Submit;
  onCancel(): void;
  busy: boolean;
}) {
  const [reasonCode, setReasonCode] = useState<ReviewRejectionReason | ''>('');
  const [comment, setComment] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void onSubmit({ reasonCode, comment: comment.trim() });
  };
  return (
    <form className="act-form" onSubmit={submit} aria-label="Reject">
      <label htmlFor="reject-reason">Reason</label>
      <select
        id="reject-reason"
        required
        value={reasonCode}
        onChange={(e) => setReasonCode(e.target.value as ReviewRejectionReason)}
      >
        <option value="" disabled>
          Choose a reason…
        </option>
        {Object.entries(REJECTION_REASONS).map(([code, label]) => (
          <option key={code} value={code}>
            {label}
          </option>
        ))}
      </select>
      <label htmlFor="reject-comment">Why (required: a colleague should be able to act on it)</label>
      <textarea
        id="reject-comment"
        required
        maxLength={2000}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
      />
      <div className="buttons">
        <button type="submit" className="danger" disabled={busy || !reasonCode || !comment.trim()}>
          Confirm rejection
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Change the action's parameters (and amount), then approve it as changed; the platform re-scores it. */
export function EditForm({
  task,
  onSubmit,
  onCancel,
  busy,
}: {
  task: ReviewTaskView;
  onSubmit: Submit;
  onCancel(): void;
  busy: boolean;
}) {
  const amount = task.proposal.amount;
  const [parameters, setParameters] = useState(JSON.stringify(task.proposal.parameters, null, 2));
  const [amountValue, setAmountValue] = useState(amount ? String(amount.value) : '');
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseParameters(parameters);
    if (!parsed.ok) {
      setError(parsed.error);
      return;
    }
    const value = Number(amountValue);
    if (amount && (!amountValue.trim() || !Number.isFinite(value) || value < 0)) {
      setError('The amount must be a number of at least 0.');
      return;
    }
    setError(undefined);
    void onSubmit({
      parameters: parsed.value,
      ...(amount ? { amount: { value, currency: amount.currency } } : {}),
      comment: comment.trim(),
    });
  };
  return (
    <form className="act-form" onSubmit={submit} aria-label="Edit then approve">
      <label htmlFor="edit-parameters">Parameters (JSON)</label>
      <textarea
        id="edit-parameters"
        className="code"
        rows={8}
        value={parameters}
        aria-invalid={Boolean(error)}
        aria-describedby={error ? 'edit-error' : undefined}
        onChange={(e) => setParameters(e.target.value)}
      />
      {amount && (
        <>
          <label htmlFor="edit-amount">Amount ({amount.currency})</label>
          <input
            id="edit-amount"
            inputMode="decimal"
            value={amountValue}
            onChange={(e) => setAmountValue(e.target.value)}
          />
        </>
      )}
      <label htmlFor="edit-comment">What you changed and why (required)</label>
      <textarea
        id="edit-comment"
        required
        maxLength={2000}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
      />
      {error && (
        <p className="error" id="edit-error" role="alert">
          {error}
        </p>
      )}
      <div className="buttons">
        <button type="submit" className="primary" disabled={busy || !comment.trim()}>
          Save edit and approve
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
