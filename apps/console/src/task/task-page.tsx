import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, asApiError } from '../api/gateway';
import type { ReviewChange, ReviewTaskView, TaskDetail } from '../api/types';
import { formatAmount, quorumLabel, slaClock } from '../queue/queue-rules';
import { useSession } from '../session/session';
import { ActButton, ErrorNotice, LiveIndicator, TierBadge, when } from '../ui/bits';
import { useLive, useNow } from '../ui/hooks';
import { ApproveForm, EditForm, RejectForm } from './act-forms';
import { describeEntry, rescoreSummary } from './task-rules';

type OpenForm = 'approve' | 'reject' | 'edit' | undefined;
type Act = 'claim' | 'release' | 'approve' | 'reject' | 'edit';

const DONE: Record<Act, string> = {
  claim: 'Claimed: others see that you are working on it',
  release: 'Released',
  approve: 'Your approval is recorded',
  reject: 'Rejected',
  edit: 'Edited and approved',
};

export function TaskPage() {
  const { decisionId = '' } = useParams();
  const { call, session, hasRole } = useSession();
  const now = useNow();
  const [detail, setDetail] = useState<TaskDetail>();
  const [error, setError] = useState<ApiError>();
  const [actError, setActError] = useState<ApiError>();
  const [done, setDone] = useState<string>();
  const [form, setForm] = useState<OpenForm>();
  const [busy, setBusy] = useState(false);
  const path = `/v1/review-tasks/${encodeURIComponent(decisionId)}`;

  const load = useCallback(async () => {
    try {
      setDetail(await call<TaskDetail>(path));
      setError(undefined);
    } catch (caught) {
      setError(asApiError(caught));
    }
  }, [call, path]);

  useEffect(() => {
    void load();
  }, [load]);

  const live = useLive<ReviewChange>('/v1/review-events', 'review', (change) => {
    if (change.decisionId === decisionId) void load();
  });

  const act = async (name: Act, body: Record<string, unknown> = {}): Promise<boolean> => {
    const before = detail?.task;
    setBusy(true);
    setActError(undefined);
    setDone(undefined);
    try {
      const after = await call<ReviewTaskView>(`${path}/${name}`, { method: 'POST', body });
      const rescored = name === 'edit' && before ? rescoreSummary(before, after) : undefined;
      setDone([`${DONE[name]}.`, rescored].filter(Boolean).join(' '));
      setForm(undefined);
      await load();
      return true;
    } catch (caught) {
      setActError(asApiError(caught));
      await load();
      return false;
    } finally {
      setBusy(false);
    }
  };

  if (error) {
    return (
      <section>
        <p>
          <Link to="/queue">← Back to the queue</Link>
        </p>
        <ErrorNotice error={error} />
      </section>
    );
  }
  if (!detail) return <p role="status">Loading the task…</p>;

  const { task, timeline, subjectHistory } = detail;
  const { proposal } = task;
  const clock = slaClock(task.requestedAt, task.dueAt, now);
  const decided = ['approved', 'rejected', 'expired'].includes(task.status);
  const claimedByMe = task.claim?.by === session.user.id;

  return (
    <article className="task" aria-labelledby="task-title">
      <p>
        <Link to="/queue">← Back to the queue</Link>
      </p>
      <div className="title-row">
        <h1 id="task-title">
          {proposal.actionType} <span className="muted">· {proposal.businessFunction}</span>
        </h1>
        <LiveIndicator state={live} />
      </div>
      <p className="facts">
        <span data-testid="task-status" className={`status status-${task.status}`}>
          {task.status}
        </span>
        <TierBadge tier={task.tier} />
        <span>score {task.score}</span>
        <span data-testid="task-quorum">approvals {quorumLabel(task.quorum)}</span>
        {!decided && <span className={`sla sla-${clock.tone}`}>SLA {clock.label}</span>}
        {task.kind === 'post-hoc-sample' && <span className="badge">after-the-fact sample</span>}
        <span className="muted small">{task.decisionId}</span>
      </p>

      <div className="task-grid">
        <div className="context">
          <section aria-labelledby="proposal-title" className="card">
            <h2 id="proposal-title">Proposed action</h2>
            <p>{proposal.context.summary}</p>
            <dl className="pairs">
              <dt>Amount</dt>
              <dd>{formatAmount(proposal.amount)}</dd>
              <dt>Reversibility</dt>
              <dd>{proposal.reversibility}</dd>
              <dt>Subject</dt>
              <dd>{proposal.subject ? `${proposal.subject.kind} ${proposal.subject.id}` : '—'}</dd>
              <dt>Requested by</dt>
              <dd>
                {proposal.requester.kind} {proposal.requester.id}
              </dd>
            </dl>
            <h3>Parameters</h3>
            <dl className="pairs parameters">
              {Object.entries(proposal.parameters).map(([name, value]) => (
                <div key={name} className="pair">
                  <dt>{name}</dt>
                  <dd>{typeof value === 'object' ? JSON.stringify(value) : String(value)}</dd>
                </div>
              ))}
            </dl>
          </section>

          <section aria-labelledby="risk-title" className="card">
            <h2 id="risk-title">Why it is here</h2>
            <p>
              Risk score <strong>{task.score}</strong> (tier {task.tier}), policy{' '}
              <strong>
                {task.policy.policyId} v{task.policy.policyVersion}
              </strong>
              .
            </p>
            <ul className="reasons" aria-label="Risk reasons">
              {task.riskReasons.map((reason) => (
                <li key={reason.code}>
                  <code>{reason.code}</code> +{reason.points}: {reason.detail}
                </li>
              ))}
            </ul>
            <h3>Routing</h3>
            <ul>
              {task.routingReasons.map((reason) => (
                <li key={reason}>{reason}</li>
              ))}
            </ul>
          </section>

          <section aria-labelledby="model-title" className="card">
            <h2 id="model-title">Agent and model</h2>
            <dl className="pairs">
              <dt>Agent</dt>
              <dd>
                {proposal.agent.id}
                {proposal.agent.ownerId ? ` (owner ${proposal.agent.ownerId})` : ''}
              </dd>
              <dt>Model</dt>
              <dd>
                {proposal.agent.modelId} {proposal.agent.modelVersion}
              </dd>
              <dt>Confidence</dt>
              <dd>{Math.round(proposal.confidence * 100)} %</dd>
              <dt>Conversation</dt>
              <dd>{proposal.context.conversationId ?? '—'}</dd>
              <dt>Trace</dt>
              <dd>{proposal.context.traceId ?? task.correlationId}</dd>
            </dl>
            {proposal.context.links && proposal.context.links.length > 0 && (
              <ul>
                {proposal.context.links.map((link) => (
                  <li key={link.url}>
                    <a href={link.url} target="_blank" rel="noreferrer">
                      {link.label}
                    </a>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section aria-labelledby="history-title" className="card">
            <h2 id="history-title">
              Earlier decisions about {proposal.subject ? proposal.subject.id : 'this subject'}
            </h2>
            {subjectHistory.length === 0 ? (
              <p className="muted">None on record.</p>
            ) : (
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Action</th>
                      <th scope="col" className="num">
                        Amount
                      </th>
                      <th scope="col">Route</th>
                      <th scope="col">Ended</th>
                    </tr>
                  </thead>
                  <tbody>
                    {subjectHistory.map((earlier) => (
                      <tr key={earlier._id}>
                        <td>{when(earlier.proposedAt)}</td>
                        <td>
                          {hasRole('auditor', 'supervisor') ? (
                            <Link to={`/audit/${encodeURIComponent(earlier._id)}`}>{earlier.actionType}</Link>
                          ) : (
                            earlier.actionType
                          )}
                        </td>
                        <td className="num">
                          {earlier.amount !== undefined
                            ? formatAmount({ value: earlier.amount, currency: earlier.currency })
                            : '—'}
                        </td>
                        <td>{earlier.route ?? '—'}</td>
                        <td>{earlier.state ?? '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>

          <section aria-labelledby="timeline-title" className="card">
            <h2 id="timeline-title">Audit timeline</h2>
            <ol className="timeline">
              {timeline.map((entry) => {
                const line = describeEntry(entry);
                return (
                  <li key={entry.event.eventId}>
                    <time dateTime={entry.occurredAt}>{when(entry.occurredAt)}</time>{' '}
                    <strong>{line.what}</strong> <span className="muted">by {line.who}</span>
                    {line.detail && <div className="small">{line.detail}</div>}
                  </li>
                );
              })}
            </ol>
          </section>
        </div>

        <aside className="decide card" aria-labelledby="decide-title">
          <h2 id="decide-title">Your decision</h2>
          <dl className="pairs">
            <dt>Approvals</dt>
            <dd>
              {quorumLabel(task.quorum)} from {task.eligibleRoles.join(', ')}
              {task.seniorRole ? ` (one must be ${task.seniorRole})` : ''}
            </dd>
            <dt>Approved by</dt>
            <dd>{task.approvals.length ? task.approvals.map((vote) => vote.id).join(', ') : 'nobody yet'}</dd>
            {task.rejections.length > 0 && (
              <>
                <dt>Rejected by</dt>
                <dd>
                  {task.rejections
                    .map((vote) => `${vote.id} (${vote.reasonCode ?? 'no code'}: ${vote.comment ?? ''})`)
                    .join('; ')}
                </dd>
              </>
            )}
            <dt>Claim</dt>
            <dd>
              {task.claim
                ? `${claimedByMe ? 'you' : task.claim.by} until ${when(task.claim.until)}`
                : 'nobody holds it'}
            </dd>
            <dt>Due</dt>
            <dd>{when(task.dueAt)}</dd>
            <dt>Expires</dt>
            <dd>{when(task.expiresAt)}</dd>
          </dl>
          <p role="status" aria-live="polite" className="done">
            {done}
          </p>
          <ErrorNotice error={actError} />
          {!decided && (
            <div className="acts" role="group" aria-label="Acts on this task">
              <ActButton permission={task.youMay.claim} busy={busy} onClick={() => void act('claim')}>
                Claim
              </ActButton>
              <ActButton permission={task.youMay.release} busy={busy} onClick={() => void act('release')}>
                Release
              </ActButton>
              <ActButton
                permission={task.youMay.approve}
                busy={busy}
                className="primary"
                onClick={() => setForm('approve')}
              >
                Approve
              </ActButton>
              <ActButton
                permission={task.youMay.reject}
                busy={busy}
                className="danger"
                onClick={() => setForm('reject')}
              >
                Reject
              </ActButton>
              <ActButton permission={task.youMay.edit} busy={busy} onClick={() => setForm('edit')}>
                Edit then approve
              </ActButton>
            </div>
          )}
          {form === 'approve' && (
            <ApproveForm
              busy={busy}
              onCancel={() => setForm(undefined)}
              onSubmit={(body) => act('approve', body)}
            />
          )}
          {form === 'reject' && (
            <RejectForm
              busy={busy}
              onCancel={() => setForm(undefined)}
              onSubmit={(body) => act('reject', body)}
            />
          )}
          {form === 'edit' && (
            <EditForm
              task={task}
              busy={busy}
              onCancel={() => setForm(undefined)}
              onSubmit={(body) => act('edit', body)}
            />
          )}
        </aside>
      </div>
    </article>
  );
}
