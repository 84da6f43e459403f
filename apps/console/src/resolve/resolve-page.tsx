import { FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, asApiError, queryOf } from '../api/gateway';
import type { ResolveTaskView } from '../api/types';
import { formatAmount } from '../queue/queue-rules';
import { useSession } from '../session/session';
import { parseParameters } from '../task/task-rules';
import { ErrorNotice, when } from '../ui/bits';
import { ABANDON_REASONS, historyLine, retryOutcome } from './resolve-rules';

/** Approved actions that failed for good: the list, and the one being resolved. */
export function ResolvePage() {
  const { decisionId } = useParams();
  const { call } = useSession();
  const [tasks, setTasks] = useState<ResolveTaskView[]>();
  const [error, setError] = useState<ApiError>();
  const load = useCallback(async () => {
    try {
      setTasks(await call<ResolveTaskView[]>(`/v1/resolve-tasks${queryOf({ limit: 200 })}`));
      setError(undefined);
    } catch (caught) {
      setError(asApiError(caught));
    }
  }, [call]);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div className="resolve">
      <section aria-labelledby="resolve-title" className="card">
        <h1 id="resolve-title">Failed actions</h1>
        <p className="muted">
          Approved actions an executor could not carry out: correct and retry, or abandon.
        </p>
        <ErrorNotice error={error} />
        {tasks === undefined && !error && <p role="status">Loading…</p>}
        {tasks?.length === 0 && <p role="status">Nothing has failed that you may resolve.</p>}
        {tasks && tasks.length > 0 && (
          <table>
            <caption className="visually-hidden">Open failures, the oldest first</caption>
            <thead>
              <tr>
                <th scope="col">Decision</th>
                <th scope="col">Action</th>
                <th scope="col">Amount</th>
                <th scope="col">Failure</th>
                <th scope="col">Since</th>
              </tr>
            </thead>
            <tbody>
              {tasks.map((task) => (
                <tr key={task.decisionId} data-decision-id={task.decisionId}>
                  <td>
                    <Link to={`/resolve/${encodeURIComponent(task.decisionId)}`}>{task.decisionId}</Link>
                  </td>
                  <td>
                    {task.proposal.businessFunction} / {task.proposal.actionType}
                  </td>
                  <td>{task.proposal.amount ? formatAmount(task.proposal.amount) : '—'}</td>
                  <td>
                    <code>{task.error.code ?? 'error'}</code> {task.error.message}
                  </td>
                  <td>{when(task.openedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {decisionId && <ResolveTask key={decisionId} decisionId={decisionId} onChanged={load} />}
    </div>
  );
}

function ResolveTask({ decisionId, onChanged }: { decisionId: string; onChanged(): Promise<void> }) {
  const { call } = useSession();
  const [task, setTask] = useState<ResolveTaskView>();
  const [parameters, setParameters] = useState('');
  const [comment, setComment] = useState('');
  const [reasonCode, setReasonCode] = useState('');
  const [abandonComment, setAbandonComment] = useState('');
  const [error, setError] = useState<ApiError>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    call<{ task: ResolveTaskView }>(`/v1/resolve-tasks/${encodeURIComponent(decisionId)}`)
      .then(({ task: found }) => {
        setTask(found);
        setParameters(JSON.stringify(found.proposal.parameters, null, 2));
      })
      .catch((caught: unknown) => setError(asApiError(caught)));
  }, [call, decisionId]);

  const send = async (verb: 'retry' | 'abandon', body: Record<string, unknown>) => {
    setBusy(true);
    try {
      const answer = await call<ResolveTaskView & { resubmittedAs?: string }>(
        `/v1/resolve-tasks/${encodeURIComponent(decisionId)}/${verb}`,
        { method: 'POST', body },
      );
      setTask(answer);
      setError(undefined);
      setDone(verb === 'retry' ? retryOutcome(answer) : 'Abandoned: the action will not run.');
      await onChanged();
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setBusy(false);
    }
  };

  const retry = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseParameters(parameters);
    if (!parsed.ok) {
      setError(new ApiError(400, parsed.error));
      return;
    }
    void send('retry', { parameters: parsed.value, comment: comment.trim() });
  };
  const giveUp = (event: FormEvent) => {
    event.preventDefault();
    void send('abandon', { reasonCode, comment: abandonComment.trim() });
  };

  const whyNotId = useId();
  return (
    <section aria-labelledby="resolve-task-title" className="card">
      <h2 id="resolve-task-title">{decisionId}</h2>
      <ErrorNotice error={error} />
      {done && (
        <p role="status" className="notice" data-testid="resolve-outcome">
          {done}
        </p>
      )}
      {!task && !error && <p role="status">Loading…</p>}
      {task && (
        <>
          <p>
            {task.proposal.context.summary}{' '}
            <span className="muted">
              ({task.executor}, status {task.status})
            </span>
          </p>
          <dl className="facts">
            <dt>Failure</dt>
            <dd data-testid="resolve-error">
              <code>{task.error.code ?? 'error'}</code> {task.error.message}
            </dd>
            <dt>What the executor saw</dt>
            <dd>
              <pre>{JSON.stringify(task.context, null, 2)}</pre>
            </dd>
          </dl>
          {!task.youMay.resolve && (
            <p className="why-not" id={whyNotId}>
              {task.youMay.reason ?? 'You may not resolve this.'}
            </p>
          )}
          <ol className="history">
            {task.history.map((step, i) => (
              <li key={i}>
                {when(step.at)} · {historyLine(step)}
              </li>
            ))}
          </ol>
          <form className="act-form" onSubmit={retry} aria-label="Correct and retry">
            <label htmlFor="resolve-parameters">Parameters (JSON)</label>
            <textarea
              id="resolve-parameters"
              rows={6}
              value={parameters}
              onChange={(e) => setParameters(e.target.value)}
            />
            <label htmlFor="resolve-comment">What you corrected or checked (required)</label>
            <textarea
              id="resolve-comment"
              required
              maxLength={2000}
              value={comment}
              onChange={(e) => setComment(e.target.value)}
            />
            <div className="buttons">
              <button
                type="submit"
                className="primary"
                disabled={!task.youMay.resolve || busy}
                aria-describedby={task.youMay.resolve ? undefined : whyNotId}
              >
                Retry with these parameters
              </button>
            </div>
          </form>
          <form className="act-form" onSubmit={giveUp} aria-label="Abandon">
            <label htmlFor="abandon-reason">Reason</label>
            <select
              id="abandon-reason"
              required
              value={reasonCode}
              onChange={(e) => setReasonCode(e.target.value)}
            >
              <option value="" disabled>
                Choose a reason…
              </option>
              {Object.entries(ABANDON_REASONS).map(([code, label]) => (
                <option key={code} value={code}>
                  {label}
                </option>
              ))}
            </select>
            <label htmlFor="abandon-comment">Why (required)</label>
            <textarea
              id="abandon-comment"
              required
              maxLength={2000}
              value={abandonComment}
              onChange={(e) => setAbandonComment(e.target.value)}
            />
            <div className="buttons">
              <button
                type="submit"
                disabled={!task.youMay.resolve || busy}
                aria-describedby={task.youMay.resolve ? undefined : whyNotId}
              >
                Abandon the action
              </button>
            </div>
          </form>
        </>
      )}
    </section>
  );
}
