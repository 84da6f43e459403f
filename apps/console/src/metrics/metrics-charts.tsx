import { ReactNode, useId } from 'react';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { CalibrationRow, percent, RateRow, RoutingRow } from './metrics-rules';

// SVG attributes take no CSS variables: the stylesheet's colours, spelled out. Lines differ by dash as well
// as colour, so they stay apart for a reader who cannot tell the colours apart.
const COLOURS = {
  agreement: '#116329',
  override: '#a4121c',
  edit: '#0b5cad',
  auto: '#0b5cad',
  review: '#b35c00',
  block: '#a4121c',
  ink: '#1b1f24',
};
// Legends keep the order the series are declared in (`itemSorter={null}`; recharts sorts them by name).
const CHART_STYLE = { width: '100%', height: 280 };
const MARGIN = { top: 8, right: 12, bottom: 4, left: 0 };
const asPercent = (value: unknown) => (typeof value === 'number' ? percent(value) : '—');
const RATE_AXIS = { domain: [0, 1], tickFormatter: (value: number) => percent(value), width: 48 } as const;

/**
 * A chart with its title as its accessible name, and `data-points` (how many points it draws) for tests to
 * check against what recharts rendered. With nothing to draw it says so instead of showing an empty frame.
 */
function ChartFigure({
  testId,
  title,
  points,
  empty,
  caption,
  children,
}: {
  testId: string;
  title: string;
  points: number;
  /** What to say instead of the chart, when there is nothing to draw. */
  empty?: string;
  caption: ReactNode;
  children: ReactNode;
}) {
  const titleId = useId();
  return (
    <figure
      className="chart card"
      aria-labelledby={titleId}
      data-testid={testId}
      data-points={empty ? 0 : points}
    >
      <h3 id={titleId}>{title}</h3>
      {empty ? (
        <p className="empty" data-testid={`${testId}-empty`}>
          {empty}
        </p>
      ) : (
        children
      )}
      <figcaption className="muted small">{caption}</figcaption>
    </figure>
  );
}

const RATES_TITLE = 'Override rate over time, with agreement and edit rates';

/** (a) Of the decisions people answered in each bucket: the share they agreed with, overrode, edited. */
export function RatesChart({ rows, drawable }: { rows: RateRow[]; drawable: boolean }) {
  return (
    <ChartFigure
      testId="chart-rates"
      title={RATES_TITLE}
      points={rows.length}
      empty={
        drawable
          ? undefined
          : 'No labelled decisions in this window yet: rates appear once people answer tasks.'
      }
      caption="Share of the decisions people answered in each bucket. A gap is a bucket nobody answered in."
    >
      <LineChart data={rows} responsive style={CHART_STYLE} margin={MARGIN} title={RATES_TITLE}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="label" minTickGap={16} />
        <YAxis {...RATE_AXIS} />
        <Tooltip formatter={asPercent} />
        <Legend itemSorter={null} />
        <Line
          dataKey="override"
          name="Override rate"
          stroke={COLOURS.override}
          strokeWidth={2}
          connectNulls={false}
          isAnimationActive={false}
        />
        <Line
          dataKey="agreement"
          name="Agreement rate"
          stroke={COLOURS.agreement}
          strokeWidth={2}
          strokeDasharray="8 4"
          connectNulls={false}
          isAnimationActive={false}
        />
        <Line
          dataKey="edit"
          name="Edit rate"
          stroke={COLOURS.edit}
          strokeWidth={2}
          strokeDasharray="2 3"
          connectNulls={false}
          isAnimationActive={false}
        />
      </LineChart>
    </ChartFigure>
  );
}

const ROUTING_TITLE = 'Decisions routed to people over time';

/** (b) Decisions by route in each bucket (stacked), and the share routed to people (line, right axis). */
export function RoutingChart({ rows, drawable }: { rows: RoutingRow[]; drawable: boolean }) {
  return (
    <ChartFigure
      testId="chart-routing"
      title={ROUTING_TITLE}
      points={rows.length}
      empty={drawable ? undefined : 'No decisions were routed in this window yet.'}
      caption="Bars: decisions by route (left axis). Line: the share routed to people (right axis)."
    >
      <ComposedChart data={rows} responsive style={CHART_STYLE} margin={MARGIN} title={ROUTING_TITLE}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="label" minTickGap={16} />
        <YAxis yAxisId="count" allowDecimals={false} width={48} />
        <YAxis yAxisId="share" orientation="right" {...RATE_AXIS} />
        <Tooltip
          formatter={(value, _name, item) => (item.dataKey === 'humanShare' ? asPercent(value) : value)}
        />
        <Legend itemSorter={null} />
        <Bar
          yAxisId="count"
          dataKey="auto"
          name="Auto"
          stackId="route"
          fill={COLOURS.auto}
          isAnimationActive={false}
        />
        <Bar
          yAxisId="count"
          dataKey="review"
          name="Review"
          stackId="route"
          fill={COLOURS.review}
          isAnimationActive={false}
        />
        <Bar
          yAxisId="count"
          dataKey="block"
          name="Block"
          stackId="route"
          fill={COLOURS.block}
          isAnimationActive={false}
        />
        <Line
          yAxisId="share"
          dataKey="humanShare"
          name="Routed to people"
          stroke={COLOURS.ink}
          strokeWidth={2}
          strokeDasharray="6 3"
          connectNulls={false}
          isAnimationActive={false}
        />
      </ComposedChart>
    </ChartFigure>
  );
}

const CALIBRATION_TITLE = 'Calibration: agreement per confidence bucket';

/**
 * (c) The reliability diagram: per confidence bucket, how often people agreed (bars) against the bucket's
 * mean confidence (the diagonal a well-calibrated model's bars reach).
 */
export function CalibrationChart({ rows, ece }: { rows: CalibrationRow[]; ece: ReactNode }) {
  return (
    <ChartFigure
      testId="chart-calibration"
      title={CALIBRATION_TITLE}
      points={rows.length}
      empty={
        rows.length ? undefined : 'No labelled decisions in this window yet: nothing to calibrate against.'
      }
      caption={
        <>
          A well-calibrated model's bars reach the dashed line: decisions made with 90% confidence are agreed
          with 90% of the time. {ece}
        </>
      }
    >
      <ComposedChart data={rows} responsive style={CHART_STYLE} margin={MARGIN} title={CALIBRATION_TITLE}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="label" />
        <YAxis {...RATE_AXIS} />
        <Tooltip formatter={asPercent} />
        <Legend itemSorter={null} />
        <Bar dataKey="agreement" name="People agreed" fill={COLOURS.edit} isAnimationActive={false} />
        <Line
          dataKey="meanConfidence"
          name="Mean confidence (perfect calibration)"
          stroke={COLOURS.ink}
          strokeWidth={2}
          strokeDasharray="6 3"
          isAnimationActive={false}
        />
      </ComposedChart>
    </ChartFigure>
  );
}
