import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, asApiError, fetchDriftEpisodes } from '../api/gateway';
import type { DecisionEvent, DecisionStatus, DriftEpisode, HaltInForce } from '../api/types';
import { formatAmount } from '../queue/queue-rules';
import { useSession } from '../session/session';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { ErrorNotice, LiveIndicator, TierBadge, when } from '../ui/bits';
import { useLive, usePoll } from '../ui/hooks';
import { splitEpisodes } from '../metrics/metrics-rules';
import { fromEvent, fromStatus, haltableFunctions, merge, mergeAll, RoutedDecision } from './oversight-rules';

type Pending = { kind: 'halt'; scope: string } | { kind: 'resume'; scope: string } | undefined;

function DecisionTable({
  rows,
  caption,
  onReverse,
}: {
  rows: RoutedDecision[];
  caption: string;
  /** Offered on decisions that ran on their own, to a supervisor. */
  onReverse?: (row: RoutedDecision) => void;
}) {
  if (rows.length === 0) return <p className="muted">None yet.</p>;
  return (
    <div className="table-wrap">
      <table>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Function</th>
            <th scope="col">Action</th>
            <th scope="col" className="num">
              Amount
            </th>
            <th scope="col">Tier</th>
            <th scope="col">Route</th>
            {onReverse && <th scope="col">Undo</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.decisionId} data-decision-id={row.decisionId}>
              <td>{when(row.at)}</td>
              <td>{row.businessFunction ?? '—'}</td>
              <td>
                {row.actionType ?? '—'}
                <div className="muted small">{row.decisionId}</div>
              </td>
              <td className="num">{formatAmount(row.amount)}</td>
              <td>
                <TierBadge tier={row.tier} />
              </td>
              <td data-testid="route">
                {row.route}
                {row.mode && row.mode !== row.route ? ` (${row.mode})` : ''}
                {row.sampled ? ' · sampled' : ''}
              </td>
              {onReverse && (
                <td>
                  {row.route === 'auto' && (
                    <button type="button" onClick={() => onReverse(row)}>
                      Reverse…
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function LiveDecisions({ onRows }: { onRows(rows: RoutedDecision[]): void }) {
  const { call, hasRole } = useSession();
  const [rows, setRows] = useState<RoutedDecision[]>([]);
  const [onlyAuto, setOnlyAuto] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [reversing, setReversing] = useState<RoutedDecision>();
  const [reversed, setReversed] = useState<string>();

  const reverse = async (comment: string) => {
    if (!reversing) return;
    try {
      const answer = await call<{ executor: string }>(
        `/v1/decisions/${encodeURIComponent(reversing.decisionId)}/reversal`,
        { method: 'POST', body: { comment } },
      );
      setReversed(`Reversal of ${reversing.decisionId} sent to ${answer.executor}.`);
      setError(undefined);
    } catch (caught) {
      setError(asApiError(caught));
      setReversed(undefined);
    }
    setReversing(undefined);
  };

  useEffect(() => {
    call<{ decisions: DecisionStatus[] }>('/v1/decisions?limit=50')
      .then(({ decisions }) => setRows((current) => mergeAll(current, decisions.map(fromStatus))))
      .catch((caught: unknown) => setError(caught instanceof ApiError ? caught : undefined));
  }, [call]);
  useEffect(() => onRows(rows), [rows, onRows]);

  const live = useLive<DecisionEvent>('/v1/decision-events', 'decision', (event) =>
    setRows((current) => merge(current, fromEvent(event))),
  );
  const shown = onlyAuto ? rows.filter((row) => row.route === 'auto') : rows;
  const samples = rows.filter((row) => row.sampled);

  return (
    <>
      <section aria-labelledby="feed-title" className="card">
        <div className="title-row">
          <h2 id="feed-title">Decisions as they happen</h2>
          <LiveIndicator state={live} />
        </div>
        <label className="inline">
          <input type="checkbox" checked={onlyAuto} onChange={(e) => setOnlyAuto(e.target.checked)} />
          Only those executed without a person (auto)
        </label>
        <ErrorNotice error={error} />
        {reversed && (
          <p role="status" className="notice" data-testid="reversal-outcome">
            {reversed}
          </p>
        )}
        <DecisionTable
          rows={shown}
          caption="Routed decisions, newest first"
          onReverse={hasRole('supervisor') ? setReversing : undefined}
        />
        {reversing && (
          <ConfirmDialog
            title={`Reverse ${reversing.decisionId}?`}
            confirmLabel="Reverse the action"
            onConfirm={reverse}
            onClose={() => setReversing(undefined)}
          >
            <p>
              Its executor undoes the {reversing.actionType ?? 'action'} it carried out, if the policy's
              window is still open.
            </p>
          </ConfirmDialog>
        )}
      </section>
      <section aria-labelledby="samples-title" className="card">
        <h2 id="samples-title">Sampled for an after-the-fact check</h2>
        <p className="muted small">
          Auto decisions the policy draws at random; reviewers find them in their queue as after-the-fact
          samples.
        </p>
        <DecisionTable rows={samples} caption="Sampled decisions" />
      </section>
    </>
  );
}

function Halts({ rows }: { rows: RoutedDecision[] }) {
  const { call } = useSession();
  const [halts, setHalts] = useState<HaltInForce[]>([]);
  const [scope, setScope] = useState('');
  const [pending, setPending] = useState<Pending>();
  const [error, setError] = useState<ApiError>();
  const [done, setDone] = useState<string>();
  const functions = useMemo(
    () =>
      haltableFunctions(
        rows,
        halts.map((halt) => halt.scope),
      ),
    [rows, halts],
  );

  const load = useCallback(async () => {
    try {
      setHalts((await call<{ halts: HaltInForce[] }>('/v1/halts')).halts);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : undefined);
    }
  }, [call]);
  useEffect(() => {
    void load();
    // Halts reach every gateway through a compacted topic; a short poll keeps several operators' screens agreeing.
    const timer = setInterval(() => void load(), 5_000);
    return () => clearInterval(timer);
  }, [load]);

  const confirm = async (reason: string) => {
    if (!pending) return;
    setError(undefined);
    try {
      if (pending.kind === 'halt') {
        await call('/v1/halts', { method: 'POST', body: { scope: pending.scope, reason } });
        setDone(`Auto-execution of ${pending.scope} is halted: its new decisions go to review.`);
      } else {
        await call(`/v1/halts/${encodeURIComponent(pending.scope)}?reason=${encodeURIComponent(reason)}`, {
          method: 'DELETE',
        });
        setDone(`${pending.scope} resumed.`);
      }
      setPending(undefined);
      setScope('');
      setTimeout(() => void load(), 500);
    } catch (caught) {
      setPending(undefined);
      setError(asApiError(caught));
    }
  };

  return (
    <section aria-labelledby="halts-title" className="card">
      <h2 id="halts-title">Stop button</h2>
      <p className="muted small">
        Halting a business function sends every new decision of it to human review until someone resumes it.
      </p>
      <form
        className="filters"
        onSubmit={(event) => {
          event.preventDefault();
          if (scope.trim()) setPending({ kind: 'halt', scope: scope.trim() });
        }}
      >
        <label>
          Business function (or * for all)
          <input list="known-functions" value={scope} onChange={(e) => setScope(e.target.value)} required />
          <datalist id="known-functions">
            {functions.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
        </label>
        <button type="submit" className="danger">
          Halt…
        </button>
      </form>
      <p role="status" aria-live="polite">
        {done}
      </p>
      <ErrorNotice error={error} />
      {halts.length === 0 ? (
        <p data-testid="no-halts">Nothing is halted.</p>
      ) : (
        <ul className="halts">
          {halts.map((halt) => (
            <li key={halt.scope} data-scope={halt.scope}>
              <strong>{halt.scope}</strong> halted by {halt.by} since {when(halt.since)}: {halt.reason}{' '}
              <button type="button" onClick={() => setPending({ kind: 'resume', scope: halt.scope })}>
                Resume…
              </button>
            </li>
          ))}
        </ul>
      )}
      {pending && (
        <ConfirmDialog
          title={pending.kind === 'halt' ? `Halt ${pending.scope}?` : `Resume ${pending.scope}?`}
          confirmLabel={pending.kind === 'halt' ? 'Halt auto-execution' : 'Resume auto-execution'}
          tone={pending.kind === 'halt' ? 'danger' : 'primary'}
          onConfirm={confirm}
          onClose={() => setPending(undefined)}
        >
          <p>
            {pending.kind === 'halt'
              ? `New ${pending.scope} decisions will wait for a person instead of executing on their own.`
              : `${pending.scope} decisions the policy lets run on their own will do so again.`}
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

/**
 * Open drift episodes where supervisors watch the stream: a model people override more often than before, and
 * whether its function was sent to review for it. Details and clearing are on the Metrics screen.
 */
function DriftAlert() {
  const { call } = useSession();
  const [open, setOpen] = useState<DriftEpisode[]>([]);
  const load = useCallback(
    async (signal: AbortSignal) => {
      try {
        setOpen(splitEpisodes(await fetchDriftEpisodes(call, signal)).open);
      } catch {
        // The banner is a pointer, not the record: the Metrics screen shows the error when drift cannot be read.
      }
    },
    [call],
  );
  usePoll(load, 30_000);
  if (open.length === 0) return null;
  return (
    <div className="notice" role="alert" data-testid="drift-alert">
      <strong>Drift:</strong>{' '}
      {open.map((episode) => (
        <span
          key={`${episode.businessFunction}#${episode.episode}`}
          data-business-function={episode.businessFunction}
        >
          {episode.businessFunction} ({episode.reasons[0]}
          {episode.tightened ? '; its decisions go to review until someone clears it' : ''}){' '}
        </span>
      ))}
      <a href="#/metrics">Look and clear on the Metrics screen</a>
    </div>
  );
}

export function OversightPage() {
  const { hasRole } = useSession();
  const [rows, setRows] = useState<RoutedDecision[]>([]);
  return (
    <section aria-labelledby="oversight-title">
      <h1 id="oversight-title">Oversight</h1>
      {hasRole('supervisor', 'admin', 'sre') && <DriftAlert />}
      <div className="oversight-grid">
        {hasRole('supervisor', 'admin', 'sre') && <Halts rows={rows} />}
        {hasRole('supervisor', 'auditor') && <LiveDecisions onRows={setRows} />}
      </div>
    </section>
  );
}
