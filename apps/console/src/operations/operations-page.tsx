import { ReactNode, useCallback, useState } from 'react';
import { ApiError, asApiError } from '../api/gateway';
import type { OperationsOverview } from '../api/types';
import { useSession } from '../session/session';
import { ErrorNotice, when } from '../ui/bits';
import { usePoll } from '../ui/hooks';
import {
  formatDuration,
  formatPerMinute,
  headline,
  isPrometheusUnavailable,
  slaStanding,
} from './operations-rules';

/** Prometheus scrapes every 15 s: asking more often than every 10 s would show nothing new. */
const REFRESH_MS = 10_000;

function Section({
  title,
  id,
  wide,
  children,
}: {
  title: string;
  id: string;
  /** Across the whole grid: tables with long text. */
  wide?: boolean;
  children: ReactNode;
}) {
  return (
    <section className={wide ? 'card wide' : 'card'} aria-labelledby={id} data-testid={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

function Table({ caption, head, rows }: { caption: string; head: string[]; rows: ReactNode[][] }) {
  if (rows.length === 0) return <p className="muted">None reported.</p>;
  return (
    <div className="table-wrap">
      <table>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            {head.map((name) => (
              <th scope="col" key={name}>
                {name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((cells, i) => (
            <tr key={i}>
              {cells.map((cell, j) => (
                <td key={j}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Tile({ label, value, tone }: { label: string; value: ReactNode; tone?: 'danger' | 'warn' }) {
  return (
    <div className={`tile${tone ? ` tile-${tone}` : ''}`}>
      <dt>{label}</dt>
      <dd className="figure">{value}</dd>
    </div>
  );
}

/** The platform's running state for SREs, from Prometheus through the gateway, refreshed every 10 s. */
export function OperationsPage() {
  const { call } = useSession();
  const [overview, setOverview] = useState<OperationsOverview>();
  const [error, setError] = useState<ApiError>();

  const load = useCallback(
    async (signal: AbortSignal) => {
      try {
        setOverview(await call<OperationsOverview>('/v1/operations/overview', { signal }));
        setError(undefined);
      } catch (caught) {
        if (signal.aborted) return;
        setError(asApiError(caught));
      }
    },
    [call],
  );
  usePoll(load, REFRESH_MS);

  const figures = overview && headline(overview);
  return (
    <>
      <div className="title-row">
        <h1>Operations</h1>
        <span className="muted small" role="status" data-testid="operations-as-of">
          {overview ? `From Prometheus, ${when(overview.at)}; refreshed every 10 s` : 'Asking Prometheus…'}
        </span>
      </div>
      {error &&
        (isPrometheusUnavailable(error) ? (
          <div className="error" role="alert" data-testid="prometheus-unreachable">
            <p>
              <strong>Prometheus unreachable.</strong> {error.message}.{' '}
              {overview ? 'The figures below are from the last answer.' : ''}
            </p>
          </div>
        ) : (
          <ErrorNotice error={error} />
        ))}
      {overview && figures && (
        <>
          <dl className="tiles" aria-label="Headline figures">
            <Tile
              label="Firing alerts"
              value={figures.firingAlerts}
              tone={figures.firingAlerts ? 'danger' : undefined}
            />
            <Tile
              label="Targets down"
              value={`${figures.servicesDown} of ${figures.servicesDown + figures.servicesUp}`}
              tone={figures.servicesDown ? 'danger' : undefined}
            />
            <Tile
              label="Halts in force"
              value={overview.haltsInForce ?? '—'}
              tone={overview.haltsInForce ? 'warn' : undefined}
            />
            <Tile
              label="Reviews at risk of SLA"
              value={figures.reviewsAtRisk}
              tone={figures.reviewsAtRisk ? 'warn' : undefined}
            />
            <Tile label="Consumer lag (messages)" value={figures.totalLag} />
            <Tile
              label="Dead letters per minute"
              value={formatPerMinute(figures.deadLettersPerMinute / 60)}
            />
          </dl>
          <div className="operations-grid">
            <Section title="Alerts" id="ops-alerts" wide>
              <Table
                caption="Alerts firing or pending"
                head={['Alert', 'State', 'Severity', 'Summary', 'Since']}
                rows={overview.alerts.map((alert) => [
                  alert.name,
                  <span className={alert.state === 'firing' ? 'sla-overdue' : 'sla-soon'}>
                    {alert.state}
                  </span>,
                  alert.severity ?? '—',
                  alert.summary ?? '—',
                  when(alert.activeAt ?? undefined),
                ])}
              />
            </Section>
            <Section title="Service health" id="ops-services">
              <Table
                caption="Scrape targets, down first"
                head={['Job', 'Target', 'State']}
                rows={overview.services.map((service) => [
                  service.job,
                  <code>{service.instance}</code>,
                  service.up ? <span className="ok">up</span> : <span className="sla-overdue">down</span>,
                ])}
              />
            </Section>
            <Section title="Review queues and SLAs" id="ops-reviews">
              <Table
                caption="Per business function"
                head={['Function', 'Open', 'Oldest waiting', 'SLA', 'At risk']}
                rows={overview.reviews.map((row) => [
                  row.function,
                  row.queueDepth ?? '—',
                  <span className={`sla-${slaStanding(row.oldestPendingAgeSeconds, row.slaSeconds)}`}>
                    {formatDuration(row.oldestPendingAgeSeconds)}
                  </span>,
                  formatDuration(row.slaSeconds),
                  row.atRisk ? <span className="sla-soon">{row.atRisk}</span> : (row.atRisk ?? '—'),
                ])}
              />
            </Section>
            <Section title="Consumer lag" id="ops-lag">
              <Table
                caption="Per consumer group and topic, the most behind first"
                head={['Group', 'Topic', 'Lag (messages)', 'Members']}
                rows={overview.lag.map((row) => [row.group, row.topic, row.lag, row.members ?? '—'])}
              />
            </Section>
            <Section title="Dead letters" id="ops-dead-letters" wide>
              <Table
                caption="Per service, source topic and reason"
                head={['Service', 'Source topic', 'Reason', 'Per minute (5 min)', 'Total']}
                rows={overview.deadLetters.map((row) => [
                  row.service,
                  row.topic,
                  row.reason,
                  formatPerMinute(row.perSecond),
                  row.total,
                ])}
              />
            </Section>
          </div>
        </>
      )}
    </>
  );
}
