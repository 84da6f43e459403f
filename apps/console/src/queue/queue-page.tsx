import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { ApiError, asApiError } from '../api/gateway';
import type { ReviewChange, ReviewTaskView } from '../api/types';
import { useSession } from '../session/session';
import { ErrorNotice, LiveIndicator, TierBadge } from '../ui/bits';
import { useLive, useNow } from '../ui/hooks';
import {
  arrangeQueue,
  formatAmount,
  functionsOf,
  NO_FILTER,
  QueueFilter,
  QueueSort,
  quorumLabel,
  slaClock,
  TIER_ORDER,
} from './queue-rules';

const QUEUE_SIZE = 200;

export function QueuePage() {
  const { call, session } = useSession();
  const now = useNow();
  const [tasks, setTasks] = useState<ReviewTaskView[]>();
  const [error, setError] = useState<ApiError>();
  const [filter, setFilter] = useState<QueueFilter>(NO_FILTER);
  const [sort, setSort] = useState<QueueSort>('sla');
  const [changed, setChanged] = useState<string>();
  const pending = useRef<ReturnType<typeof setTimeout>>(undefined);

  const load = useCallback(async () => {
    try {
      setTasks(await call<ReviewTaskView[]>(`/v1/review-tasks?limit=${QUEUE_SIZE}`));
      setError(undefined);
    } catch (caught) {
      setError(asApiError(caught));
    }
  }, [call]);

  useEffect(() => {
    void load();
  }, [load]);

  // A burst of changes (a stream of new tasks) costs one reload, not one per change.
  const live = useLive<ReviewChange>('/v1/review-events', 'review', (change) => {
    setChanged(`${change.decisionId} ${change.act}`);
    clearTimeout(pending.current);
    pending.current = setTimeout(() => void load(), 250);
  });
  useEffect(() => () => clearTimeout(pending.current), []);

  const shown = useMemo(
    () => arrangeQueue(tasks ?? [], filter, sort, session.user.id, now),
    [tasks, filter, sort, session.user.id, now],
  );
  const functions = useMemo(() => functionsOf(tasks ?? []), [tasks]);
  const update = (change: Partial<QueueFilter>) => setFilter((current) => ({ ...current, ...change }));

  return (
    <section aria-labelledby="queue-title">
      <div className="title-row">
        <h1 id="queue-title">Review queue</h1>
        <LiveIndicator state={live} />
      </div>
      <p className="muted">
        Tasks your roles may act on ({session.user.roles.join(', ')}), nearest SLA first unless you sort
        otherwise.
      </p>
      <form className="filters" aria-label="Filter and sort the queue" onSubmit={(e) => e.preventDefault()}>
        <label>
          Function
          <select
            value={filter.businessFunction}
            onChange={(e) => update({ businessFunction: e.target.value })}
          >
            <option value="">All</option>
            {functions.map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </label>
        <label>
          Tier
          <select value={filter.tier} onChange={(e) => update({ tier: e.target.value })}>
            <option value="">All</option>
            {TIER_ORDER.map((tier) => (
              <option key={tier}>{tier}</option>
            ))}
          </select>
        </label>
        <label>
          Search
          <input
            type="search"
            value={filter.text}
            placeholder="decision, action, subject, agent"
            onChange={(e) => update({ text: e.target.value })}
          />
        </label>
        <label className="inline">
          <input
            type="checkbox"
            checked={filter.onlyAvailable}
            onChange={(e) => update({ onlyAvailable: e.target.checked })}
          />
          Hide tasks others have claimed
        </label>
        <label>
          Sort by
          <select value={sort} onChange={(e) => setSort(e.target.value as QueueSort)}>
            <option value="sla">SLA (nearest first)</option>
            <option value="amount">Amount (largest first)</option>
            <option value="tier">Tier (highest first)</option>
          </select>
        </label>
      </form>
      <ErrorNotice error={error} />
      <p className="sr-only" aria-live="polite">
        {changed ? `Queue updated: ${changed}` : ''}
      </p>
      {tasks === undefined && !error ? (
        <p role="status">Loading the queue…</p>
      ) : shown.length === 0 ? (
        <p role="status" className="empty">
          {tasks?.length
            ? 'No task matches these filters.'
            : 'Nothing waits for you. New tasks appear here as they arrive.'}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="queue" aria-describedby="queue-title">
            <thead>
              <tr>
                <th scope="col">Decision</th>
                <th scope="col">Function</th>
                <th scope="col">Tier</th>
                <th scope="col" className="num">
                  Amount
                </th>
                <th scope="col">Approvals</th>
                <th scope="col">SLA</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((task) => {
                const clock = slaClock(task.requestedAt, task.dueAt, now);
                return (
                  <tr key={task.decisionId} data-decision-id={task.decisionId}>
                    <td>
                      <Link to={`/tasks/${encodeURIComponent(task.decisionId)}`}>
                        {task.proposal.actionType}
                      </Link>
                      <div className="muted small">
                        {task.decisionId}
                        {task.kind === 'post-hoc-sample' ? ' · after-the-fact sample' : ''}
                      </div>
                    </td>
                    <td>{task.proposal.businessFunction}</td>
                    <td>
                      <TierBadge tier={task.tier} />
                    </td>
                    <td className="num">{formatAmount(task.proposal.amount)}</td>
                    <td data-testid="quorum">{quorumLabel(task.quorum)}</td>
                    <td className={`sla sla-${clock.tone}`}>
                      <time dateTime={task.dueAt}>{clock.label}</time>
                      {task.escalationLevel > 0 && (
                        <div className="small">escalated ×{task.escalationLevel}</div>
                      )}
                    </td>
                    <td>
                      {task.claim
                        ? task.claim.by === session.user.id
                          ? 'claimed by you'
                          : `claimed by ${task.claim.by}`
                        : task.status}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
