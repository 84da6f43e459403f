import { useCallback, useMemo, useState } from 'react';
import { ApiError, asApiError, fetchOversightMetrics } from '../api/gateway';
import type { ModelMetrics, OversightMetrics } from '../api/types';
import { useSession } from '../session/session';
import { ErrorNotice, when } from '../ui/bits';
import { usePoll } from '../ui/hooks';
import { DriftPanel } from './drift-panel';
import { CalibrationChart, RatesChart, RoutingChart } from './metrics-charts';
import {
  arrangeModels,
  bucketChoices,
  bucketLabeller,
  calibrationRows,
  count,
  decimal,
  DEFAULT_FILTER,
  duration,
  editShares,
  hasRates,
  hasRouting,
  isEmpty,
  METRICS_REFRESH_MS,
  MetricsFilter,
  NOTHING_SEEN,
  percent,
  rateRows,
  routingRows,
  SeenOptions,
  withSeen,
  WINDOW_HOURS,
  withWindow,
} from './metrics-rules';
import { ThresholdSuggestions } from './threshold-suggestions';

const WINDOW_LABELS: Record<number, string> = { 6: '6 hours', 24: '24 hours', 72: '3 days', 168: '7 days' };
const BUCKET_LABELS: Record<number, string> = {
  15: '15 minutes',
  60: '1 hour',
  360: '6 hours',
  1440: '1 day',
};

function Filters({
  filter,
  seen,
  onChange,
}: {
  filter: MetricsFilter;
  seen: SeenOptions;
  onChange(next: MetricsFilter): void;
}) {
  const update = (change: Partial<MetricsFilter>) => onChange({ ...filter, ...change });
  const versions = filter.modelId ? (seen.models[filter.modelId] ?? []) : [];
  return (
    <form className="filters" aria-label="Filter the metrics" onSubmit={(e) => e.preventDefault()}>
      <label>
        Function
        <select
          value={filter.businessFunction}
          onChange={(e) => update({ businessFunction: e.target.value })}
          data-testid="filter-function"
        >
          <option value="">All</option>
          {seen.businessFunctions.map((name) => (
            <option key={name}>{name}</option>
          ))}
        </select>
      </label>
      <label>
        Action
        <select
          value={filter.actionType}
          onChange={(e) => update({ actionType: e.target.value })}
          data-testid="filter-action"
        >
          <option value="">All</option>
          {seen.actionTypes.map((name) => (
            <option key={name}>{name}</option>
          ))}
        </select>
      </label>
      <label>
        Model
        <select
          value={filter.modelId}
          onChange={(e) => update({ modelId: e.target.value, modelVersion: '' })}
          data-testid="filter-model"
        >
          <option value="">All</option>
          {Object.keys(seen.models)
            .sort()
            .map((name) => (
              <option key={name}>{name}</option>
            ))}
        </select>
      </label>
      <label>
        Version
        <select
          value={filter.modelVersion}
          disabled={!filter.modelId}
          onChange={(e) => update({ modelVersion: e.target.value })}
          data-testid="filter-version"
        >
          <option value="">All</option>
          {versions.map((version) => (
            <option key={version}>{version}</option>
          ))}
        </select>
      </label>
      <label>
        Window
        <select
          value={filter.hours}
          onChange={(e) => onChange(withWindow(filter, Number(e.target.value)))}
          data-testid="filter-hours"
        >
          {WINDOW_HOURS.map((hours) => (
            <option key={hours} value={hours}>
              last {WINDOW_LABELS[hours] ?? `${hours} hours`}
            </option>
          ))}
        </select>
      </label>
      <label>
        Buckets of
        <select
          value={filter.bucketMinutes}
          onChange={(e) => update({ bucketMinutes: Number(e.target.value) })}
          data-testid="filter-bucket"
        >
          {bucketChoices(filter.hours).map((minutes) => (
            <option key={minutes} value={minutes}>
              {BUCKET_LABELS[minutes] ?? `${minutes} minutes`}
            </option>
          ))}
        </select>
      </label>
    </form>
  );
}

function Tile({
  testId,
  label,
  value,
  detail,
}: {
  testId: string;
  label: string;
  value: string;
  detail?: string;
}) {
  return (
    <div className="tile" data-testid={testId}>
      <dt>{label}</dt>
      <dd>
        <span className="figure">{value}</span>
        {detail && <span className="muted small"> {detail}</span>}
      </dd>
    </div>
  );
}

function Totals({ totals }: { totals: OversightMetrics['totals'] }) {
  return (
    <dl className="tiles" data-testid="metric-totals">
      <Tile
        testId="total-decisions"
        label="Decisions"
        value={totals.decisions.toLocaleString('en-GB')}
        detail={`auto ${totals.auto} · review ${totals.review} · block ${totals.block}`}
      />
      <Tile testId="total-human-share" label="Routed to people" value={percent(totals.humanShare)} />
      <Tile
        testId="total-labels"
        label="Labels (people's answers)"
        value={totals.labels.toLocaleString('en-GB')}
      />
      <Tile testId="total-agreement" label="Agreement rate" value={percent(totals.agreementRate)} />
      <Tile testId="total-override" label="Override rate" value={percent(totals.overrideRate)} />
      <Tile testId="total-edit" label="Edit rate" value={percent(totals.editRate)} />
      <Tile testId="total-drift-alerts" label="Drift alerts" value={String(totals.driftAlerts)} />
    </dl>
  );
}

/** (d) How fast reviewers answered against their SLA, and what they edited. */
function Reviewers({ totals }: { totals: OversightMetrics['totals'] }) {
  const latency = totals.reviewerLatency;
  const edits = editShares(totals.edits);
  return (
    <section aria-labelledby="reviewers-title" className="card" data-testid="reviewer-latency">
      <h3 id="reviewers-title">Reviewers: time to answer against the SLA</h3>
      {latency.answered === 0 ? (
        <p className="empty">No review task was answered in this window yet.</p>
      ) : (
        <dl className="pairs">
          <div className="pair">
            <dt>Answered</dt>
            <dd data-testid="latency-answered">{count(latency.answered, 'task')}</dd>
          </div>
          <div className="pair">
            <dt>Median time to answer</dt>
            <dd data-testid="latency-median">{duration(latency.medianMinutes)}</dd>
          </div>
          <div className="pair">
            <dt>90th percentile</dt>
            <dd data-testid="latency-p90">{duration(latency.p90Minutes)}</dd>
          </div>
          <div className="pair">
            <dt>Answered within the SLA</dt>
            <dd data-testid="latency-within-sla">{percent(latency.withinSlaShare)}</dd>
          </div>
        </dl>
      )}
      <h3 id="edits-title">What reviewers edited</h3>
      {edits.length === 0 ? (
        <p className="muted" data-testid="no-edits">
          No edits in this window.
        </p>
      ) : (
        <ol className="edits" aria-labelledby="edits-title" data-testid="edits">
          {edits.map((edit) => (
            <li key={edit.field} data-field={edit.field}>
              <code>{edit.field}</code>: {count(edit.count, 'edit')}{' '}
              <span className="muted small">({percent(edit.share)})</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** (e) Each model version's labels in the window, most overridden first. */
function Models({ rows }: { rows: ModelMetrics[] }) {
  return (
    <section aria-labelledby="models-title" className="card">
      <h3 id="models-title">By model version</h3>
      {rows.length === 0 ? (
        <p className="empty" data-testid="no-models">
          No model version has labelled decisions in this window yet.
        </p>
      ) : (
        <div className="table-wrap">
          <table data-testid="by-model">
            <caption className="sr-only">Labels per model version, most overridden first</caption>
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Function · action</th>
                <th scope="col" className="num">
                  Labels
                </th>
                <th scope="col" className="num">
                  Agreement
                </th>
                <th scope="col" className="num">
                  Override
                </th>
                <th scope="col" className="num">
                  Edit
                </th>
                <th scope="col" className="num">
                  Mean confidence
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr
                  key={`${row.modelId}@${row.modelVersion}/${row.businessFunction}/${row.actionType}`}
                  data-model-id={row.modelId}
                  data-model-version={row.modelVersion}
                >
                  <td>
                    {row.modelId} <span className="muted">v{row.modelVersion}</span>
                  </td>
                  <td>
                    {row.businessFunction}
                    <div className="muted small">{row.actionType}</div>
                  </td>
                  <td className="num">{row.labels}</td>
                  <td className="num">{percent(row.agreementRate)}</td>
                  <td className="num">{percent(row.overrideRate)}</td>
                  <td className="num">{percent(row.editRate)}</td>
                  <td className="num">{decimal(row.meanConfidence)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Metrics({ metrics }: { metrics: OversightMetrics }) {
  const shaped = useMemo(() => {
    // The answer's own window, not the filter's: a new filter's answer may still be on its way.
    const hours = (Date.parse(metrics.to) - Date.parse(metrics.from)) / 3_600_000;
    const label = bucketLabeller(hours, metrics.bucketMinutes);
    const rates = rateRows(metrics.series, label);
    const routes = routingRows(metrics.series, label);
    return {
      rates,
      routes,
      drawRates: hasRates(rates),
      drawRoutes: hasRouting(routes),
      calibration: calibrationRows(metrics.totals.calibration.buckets),
      models: arrangeModels(metrics.byModel),
    };
  }, [metrics]);
  const ece = metrics.totals.calibration.expectedCalibrationError;
  return (
    <>
      <Totals totals={metrics.totals} />
      <div className="metrics-grid">
        <RatesChart rows={shaped.rates} drawable={shaped.drawRates} />
        <RoutingChart rows={shaped.routes} drawable={shaped.drawRoutes} />
        <CalibrationChart
          rows={shaped.calibration}
          ece={
            <>
              Expected calibration error (the labels' average gap between confidence and agreement; 0 is
              perfect): <strong data-testid="ece">{decimal(ece, 3)}</strong>.
            </>
          }
        />
        <Reviewers totals={metrics.totals} />
      </div>
      <Models rows={shaped.models} />
    </>
  );
}

/** Oversight metrics: drift, how often people agree with the models, routing, calibration, reviewers. */
export function MetricsPage() {
  const { call } = useSession();
  const [filter, setFilter] = useState<MetricsFilter>(DEFAULT_FILTER);
  const [metrics, setMetrics] = useState<OversightMetrics>();
  const [error, setError] = useState<ApiError>();
  const [seen, setSeen] = useState<SeenOptions>(NOTHING_SEEN);
  const [refreshKey, setRefreshKey] = useState(0);
  const [updatedAt, setUpdatedAt] = useState<string>();

  const see = useCallback(
    (rows: Parameters<typeof withSeen>[1]) => setSeen((current) => withSeen(current, rows)),
    [],
  );
  const refresh = useCallback(() => setRefreshKey((key) => key + 1), []);

  const load = useCallback(
    async (signal: AbortSignal) => {
      try {
        const answer = await fetchOversightMetrics(call, filter, signal);
        setMetrics(answer);
        see(answer.byModel);
        setUpdatedAt(new Date().toISOString());
        setError(undefined);
      } catch (caught) {
        if (!signal.aborted) setError(asApiError(caught));
      }
    },
    [call, filter, see],
  );
  usePoll(load, METRICS_REFRESH_MS, refreshKey);
  const filtered = Boolean(filter.businessFunction || filter.actionType || filter.modelId);

  return (
    <section aria-labelledby="metrics-title">
      <div className="title-row">
        <h1 id="metrics-title">Oversight metrics</h1>
        <span className="buttons">
          <span className="muted small" data-testid="metrics-updated">
            {updatedAt ? `Updated ${when(updatedAt)}, every ${METRICS_REFRESH_MS / 1000} s` : ''}
          </span>
          <button type="button" onClick={refresh} data-testid="metrics-refresh">
            Refresh
          </button>
        </span>
      </div>
      <DriftPanel refreshKey={refreshKey} onCleared={refresh} onSeen={see} />
      <Filters filter={filter} seen={seen} onChange={setFilter} />
      <ErrorNotice error={error} />
      {metrics === undefined ? (
        !error && <p role="status">Loading metrics…</p>
      ) : (
        <>
          <p className="muted small" data-testid="metrics-window">
            From {when(metrics.from)} to {when(metrics.to)}, in buckets of{' '}
            {BUCKET_LABELS[metrics.bucketMinutes] ?? `${metrics.bucketMinutes} minutes`}.
          </p>
          {isEmpty(metrics) ? (
            <p role="status" className="empty" data-testid="metrics-empty">
              No decisions in this window yet{filtered ? ' for these filters' : ''}. The charts appear once
              decisions are routed and people answer review tasks.
            </p>
          ) : (
            <Metrics metrics={metrics} />
          )}
        </>
      )}
      <ThresholdSuggestions businessFunction={filter.businessFunction} refreshKey={refreshKey} onSeen={see} />
    </section>
  );
}
