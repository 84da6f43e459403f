/**
 * Just enough of Grafana's dashboard JSON model (schemaVersion 39) to write the platform's dashboards as code:
 * every panel queries the dashboard's `datasource` variable, so one import works against any Prometheus.
 */
export const SCHEMA_VERSION = 39;
export const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;

export interface Target {
  expr: string;
  legendFormat?: string;
  refId: string;
  datasource: typeof DATASOURCE;
  instant?: boolean;
  format?: 'time_series' | 'table';
}

export interface Panel {
  id: number;
  type: 'timeseries' | 'stat' | 'table' | 'bargauge' | 'row';
  title: string;
  description?: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: typeof DATASOURCE;
  targets?: Target[];
  fieldConfig?: { defaults: Record<string, unknown>; overrides: unknown[] };
  options?: Record<string, unknown>;
  transformations?: { id: string; options: Record<string, unknown> }[];
}

export interface Dashboard {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  schemaVersion: number;
  version: number;
  editable: boolean;
  time: { from: string; to: string };
  refresh: string;
  timezone: string;
  templating: { list: Record<string, unknown>[] };
  annotations: { list: unknown[] };
  links: unknown[];
  panels: Panel[];
}

/** A query: a PromQL expression and how its series are named in the legend. */
export interface Query {
  expr: string;
  legend?: string;
}

export interface PanelSpec {
  type: 'timeseries' | 'stat' | 'table' | 'bargauge';
  title: string;
  description?: string;
  /** Grafana's unit id: `s`, `ops`, `percentunit`, `short`, `bytes`... */
  unit: string;
  queries: Query[];
  /** Grid width out of 24; the height is 8 rows. */
  width?: number;
  /** Stat and gauge colours: from green, the value at which each step starts. */
  thresholds?: { yellow?: number; red?: number };
}

/** A row of panels under a heading. */
export interface Section {
  title: string;
  panels: PanelSpec[];
}

const REF_IDS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Lays the sections out on Grafana's 24-column grid and numbers the panels, in order: stable output. */
export function dashboard(spec: {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  sections: Section[];
}): Dashboard {
  const panels: Panel[] = [];
  let y = 0;
  for (const section of spec.sections) {
    panels.push({
      id: panels.length + 1,
      type: 'row',
      title: section.title,
      gridPos: { x: 0, y, w: 24, h: 1 },
    });
    y += 1;
    let x = 0;
    for (const panel of section.panels) {
      const w = panel.width ?? 12;
      if (x + w > 24) {
        x = 0;
        y += 8;
      }
      panels.push(toPanel(panels.length + 1, panel, { x, y, w, h: 8 }));
      x += w;
    }
    y += 8;
  }
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: ['oversight', ...spec.tags],
    schemaVersion: SCHEMA_VERSION,
    version: 1,
    editable: true,
    time: { from: 'now-6h', to: 'now' },
    refresh: '30s',
    timezone: 'browser',
    templating: {
      list: [
        {
          name: 'datasource',
          label: 'Prometheus',
          type: 'datasource',
          query: 'prometheus',
          current: {},
          hide: 0,
          refresh: 1,
          regex: '',
          options: [],
        },
      ],
    },
    annotations: { list: [] },
    links: [{ type: 'dashboards', tags: ['oversight'], asDropdown: true, title: 'Oversight dashboards' }],
    panels,
  };
}

function toPanel(id: number, spec: PanelSpec, gridPos: Panel['gridPos']): Panel {
  const table = spec.type === 'table';
  const { yellow, red } = spec.thresholds ?? {};
  return {
    id,
    type: spec.type,
    title: spec.title,
    ...(spec.description ? { description: spec.description } : {}),
    gridPos,
    datasource: DATASOURCE,
    targets: spec.queries.map((query, i) => ({
      expr: query.expr,
      ...(query.legend ? { legendFormat: query.legend } : {}),
      refId: REF_IDS[i],
      datasource: DATASOURCE,
      ...(table || spec.type === 'stat' || spec.type === 'bargauge' ? { instant: true } : {}),
      ...(table ? { format: 'table' as const } : {}),
    })),
    fieldConfig: {
      defaults: {
        unit: spec.unit,
        thresholds: {
          mode: 'absolute',
          steps: [
            { color: 'green', value: null },
            ...(yellow === undefined ? [] : [{ color: 'yellow', value: yellow }]),
            ...(red === undefined ? [] : [{ color: 'red', value: red }]),
          ],
        },
        ...(spec.type === 'timeseries'
          ? { custom: { drawStyle: 'line', fillOpacity: 10, showPoints: 'never' } }
          : {}),
      },
      overrides: [],
    },
    options:
      spec.type === 'timeseries'
        ? {
            legend: { displayMode: 'table', placement: 'bottom', calcs: ['lastNotNull', 'max'] },
            tooltip: { mode: 'multi' },
          }
        : spec.type === 'table'
          ? { showHeader: true }
          : { reduceOptions: { calcs: ['lastNotNull'], values: false }, colorMode: 'value' },
    // A table of several instant queries: one row per label set, a column per query.
    ...(table && spec.queries.length > 1 ? { transformations: [{ id: 'merge', options: {} }] } : {}),
  };
}
