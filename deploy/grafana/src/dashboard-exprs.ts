import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Where the dashboards live, as Grafana imports them. */
export const DASHBOARDS_DIR = path.resolve(__dirname, '../dashboards');

/**
 * Grafana's built-in variables as fixed values, so a panel's expression can be sent to Prometheus as it is:
 * a rate window of at least four 15 s scrapes, as $__rate_interval gives at the default scrape interval.
 */
export const GRAFANA_VARIABLES: Readonly<Record<string, string>> = {
  __rate_interval: '1m',
  __interval: '30s',
  __range: '1h',
  __range_s: '3600',
  datasource: 'prometheus',
};

export interface PanelExpr {
  dashboard: string;
  panel: string;
  refId: string;
  /** With Grafana's variables replaced: plain PromQL. */
  expr: string;
}

interface JsonPanel {
  title?: string;
  targets?: { expr?: string; refId?: string }[];
  panels?: JsonPanel[];
}

/** `$name`, `${name}` and `[[name]]` replaced by GRAFANA_VARIABLES; an unknown variable is an error. */
export function substituteVariables(expr: string): string {
  return expr.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)\]\]/g, (whole, a, b, c) => {
    const name = (a ?? b ?? c) as string;
    const value = GRAFANA_VARIABLES[name];
    if (value === undefined) throw new Error(`unknown Grafana variable ${whole} in: ${expr}`);
    return value;
  });
}

/** Every target's expression of every panel (rows' nested panels included) of one dashboard's JSON. */
export function panelExprs(dashboard: { title?: string; panels?: JsonPanel[] }): PanelExpr[] {
  const walk = (panels: JsonPanel[] = []): PanelExpr[] =>
    panels.flatMap((panel) => [
      ...(panel.targets ?? [])
        .filter((target) => typeof target.expr === 'string' && target.expr.trim() !== '')
        .map((target) => ({
          dashboard: dashboard.title ?? '',
          panel: panel.title ?? '',
          refId: target.refId ?? '',
          expr: substituteVariables(target.expr as string),
        })),
      ...walk(panel.panels),
    ]);
  return walk(dashboard.panels);
}

/** The dashboards' JSON files, by file name. */
export function readDashboards(dir = DASHBOARDS_DIR): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    readdirSync(dir)
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => [
        name,
        JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as Record<string, unknown>,
      ]),
  );
}

/** Every expression of every dashboard, once each (several panels may ask the same). */
export function allDashboardExprs(dir = DASHBOARDS_DIR): PanelExpr[] {
  const seen = new Set<string>();
  return Object.values(readDashboards(dir))
    .flatMap((dashboard) => panelExprs(dashboard))
    .filter((item) => !seen.has(item.expr) && seen.add(item.expr));
}

/**
 * A Prometheus rule file with one recording rule per expression: `promtool check rules` parses each, which is
 * the syntax check promtool offers (it has no "parse this expression" command).
 */
export function exprsAsRuleFile(exprs: PanelExpr[]): string {
  return JSON.stringify({
    groups: [
      {
        name: 'dashboard-exprs',
        rules: exprs.map((item, i) => ({ record: `dashboard_expr_${i}`, expr: item.expr })),
      },
    ],
  });
}
