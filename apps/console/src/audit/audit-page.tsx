import { FormEvent, useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, asApiError, download, queryOf } from '../api/gateway';
import type { ChainRecord, DecisionStatus, Verification } from '../api/types';
import { formatAmount, TIER_ORDER } from '../queue/queue-rules';
import { useSession } from '../session/session';
import { describeEntry } from '../task/task-rules';
import { ErrorNotice, TierBadge, when } from '../ui/bits';

interface Search {
  function: string;
  route: string;
  tier: string;
  from: string;
  to: string;
}

const EMPTY: Search = { function: '', route: '', tier: '', from: '', to: '' };

/** The search as the gateway's query parameters: local date-times become ISO instants. */
function searchParams(search: Search): Record<string, string | undefined> {
  const instant = (local: string) => (local ? new Date(local).toISOString() : undefined);
  return {
    function: search.function.trim(),
    route: search.route,
    tier: search.tier,
    from: instant(search.from),
    to: instant(search.to),
  };
}

const short = (hash: string) => `${hash.slice(0, 10)}…`;

function Chain({ decisionId }: { decisionId: string }) {
  const { call } = useSession();
  const [records, setRecords] = useState<ChainRecord[]>();
  const [error, setError] = useState<ApiError>();
  useEffect(() => {
    call<{ records: ChainRecord[] }>(`/v1/decisions/${encodeURIComponent(decisionId)}/timeline`)
      .then(({ records: found }) => {
        // A chain reads in link order: each record's previous hash is the one above it.
        setRecords([...found].sort((a, b) => a.chain.seq - b.chain.seq));
        setError(undefined);
      })
      .catch((caught: unknown) => setError(caught instanceof ApiError ? caught : undefined));
  }, [call, decisionId]);
  return (
    <section aria-labelledby="chain-title" className="card">
      <h2 id="chain-title">Chain of {decisionId}</h2>
      <ErrorNotice error={error} />
      {records === undefined && !error && <p role="status">Loading…</p>}
      {records && (
        <ol className="chain">
          {records.map((record) => {
            const line = describeEntry({
              occurredAt: record.occurredAt,
              seq: record.chain.seq,
              event: record.event,
            });
            return (
              <li key={record.eventId}>
                <div>
                  <strong>
                    #{record.chain.seq} {record.type === 'ReviewActivity' ? line.what : record.type}
                  </strong>{' '}
                  <time dateTime={record.occurredAt}>{when(record.occurredAt)}</time>{' '}
                  <span className="muted">by {line.who}</span>
                  {line.detail && <div className="small">{line.detail}</div>}
                </div>
                <div className="small mono">
                  hash {short(record.chain.hash)} ← previous {short(record.chain.prevHash)}
                </div>
                <details>
                  <summary>Event</summary>
                  <pre>{JSON.stringify(record.event, null, 2)}</pre>
                </details>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

function VerifyChains() {
  const { call } = useSession();
  const [result, setResult] = useState<Verification>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const verify = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setResult(await call<Verification>('/v1/audit/verifications', { method: 'POST' }));
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="verify-title" className="card">
      <h2 id="verify-title">Tamper check</h2>
      <p className="muted small">
        Recomputes every hash chain of the trail and names the first record that was changed, removed or
        inserted.
      </p>
      <button type="button" onClick={() => void verify()} disabled={busy}>
        {busy ? 'Verifying…' : 'Verify the audit trail'}
      </button>
      <ErrorNotice error={error} />
      <div role="status" aria-live="polite" data-testid="verification">
        {result &&
          (result.intact ? (
            <p className="ok">
              Intact: {result.records.toLocaleString('en-US')} records in{' '}
              {result.chains.toLocaleString('en-US')} chains match their hashes (checked{' '}
              {when(result.verifiedAt)}).
            </p>
          ) : (
            <p className="error">
              Broken: chain {result.broken?.chainKey} at record {result.broken?.seq}: {result.broken?.problem}
            </p>
          ))}
      </div>
    </section>
  );
}

export function AuditPage() {
  const { decisionId } = useParams();
  const { call, session } = useSession();
  const [search, setSearch] = useState<Search>(EMPTY);
  const [results, setResults] = useState<DecisionStatus[]>();
  const [error, setError] = useState<ApiError>();
  const [exported, setExported] = useState<string>();

  const run = useCallback(
    async (current: Search) => {
      try {
        setResults(
          (await call<{ decisions: DecisionStatus[] }>(`/v1/decisions${queryOf(searchParams(current))}`))
            .decisions,
        );
        setError(undefined);
      } catch (caught) {
        setError(asApiError(caught));
      }
    },
    [call],
  );
  useEffect(() => {
    void run(EMPTY);
  }, [run]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(search);
  };
  const exportAs = async (format: 'ndjson' | 'csv') => {
    try {
      const name = await download(
        `/v1/audit/export${queryOf({ format, ...searchParams(search) })}`,
        session.token,
        `decisions.${format}`,
      );
      setExported(`Exported ${name}.`);
    } catch (caught) {
      setError(asApiError(caught, 'The export failed.'));
    }
  };
  const update = (change: Partial<Search>) => setSearch((current) => ({ ...current, ...change }));

  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit trail</h1>
      <div className="audit-grid">
        <section aria-labelledby="search-title" className="card">
          <h2 id="search-title">Find decisions</h2>
          <form className="filters" onSubmit={submit}>
            <label>
              Function
              <input value={search.function} onChange={(e) => update({ function: e.target.value })} />
            </label>
            <label>
              Route
              <select value={search.route} onChange={(e) => update({ route: e.target.value })}>
                <option value="">All</option>
                <option value="auto">auto</option>
                <option value="review">review</option>
                <option value="block">block</option>
              </select>
            </label>
            <label>
              Tier
              <select value={search.tier} onChange={(e) => update({ tier: e.target.value })}>
                <option value="">All</option>
                {TIER_ORDER.map((tier) => (
                  <option key={tier}>{tier}</option>
                ))}
              </select>
            </label>
            <label>
              Proposed from
              <input
                type="datetime-local"
                value={search.from}
                onChange={(e) => update({ from: e.target.value })}
              />
            </label>
            <label>
              until
              <input
                type="datetime-local"
                value={search.to}
                onChange={(e) => update({ to: e.target.value })}
              />
            </label>
            <button type="submit" className="primary">
              Search
            </button>
          </form>
          <div className="buttons">
            <button type="button" onClick={() => void exportAs('ndjson')}>
              Export NDJSON
            </button>
            <button type="button" onClick={() => void exportAs('csv')}>
              Export CSV
            </button>
            <span role="status" aria-live="polite">
              {exported}
            </span>
          </div>
          <ErrorNotice error={error} />
          {results && results.length === 0 && <p role="status">No decision matches.</p>}
          {results && results.length > 0 && (
            <div className="table-wrap">
              <table>
                <caption className="sr-only">Decisions, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Proposed</th>
                    <th scope="col">Decision</th>
                    <th scope="col">Function</th>
                    <th scope="col" className="num">
                      Amount
                    </th>
                    <th scope="col">Tier</th>
                    <th scope="col">Route</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {results.map((decision) => (
                    <tr key={decision.decisionId} data-decision-id={decision.decisionId}>
                      <td>{when(decision.proposal.proposedAt)}</td>
                      <td>
                        <Link to={`/audit/${encodeURIComponent(decision.decisionId)}`}>
                          {decision.proposal.actionType ?? decision.decisionId}
                        </Link>
                        <div className="muted small">{decision.decisionId}</div>
                      </td>
                      <td>{decision.proposal.businessFunction ?? '—'}</td>
                      <td className="num">{formatAmount(decision.proposal.amount)}</td>
                      <td>
                        <TierBadge tier={decision.risk?.tier} />
                      </td>
                      <td>{decision.outcome?.route ?? '—'}</td>
                      <td>{decision.status}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <div>
          {decisionId && <Chain key={decisionId} decisionId={decisionId} />}
          <VerifyChains />
        </div>
      </div>
    </section>
  );
}
