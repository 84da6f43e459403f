import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  allDashboardExprs,
  exprsAsRuleFile,
  panelExprs,
  readDashboards,
  substituteVariables,
} from './dashboard-exprs';
import { DASHBOARDS } from './dashboards';
import { dashboardFileText } from './write-dashboards';

const files = readDashboards();

/** Uids are how links and provisioning find a dashboard: changing one breaks every bookmark. */
const STABLE_UIDS = {
  'overview.json': 'oversight-overview',
  'pipeline.json': 'oversight-pipeline',
  'reviews-slas.json': 'oversight-reviews-slas',
  'kafka-lag.json': 'oversight-kafka-lag',
  'store.json': 'oversight-store',
};

interface JsonPanel {
  type: string;
  title: string;
  datasource?: { uid: string };
  targets?: { expr: string; datasource: { uid: string } }[];
  fieldConfig?: { defaults: { unit?: string } };
}

const panelsOf = (name: string) =>
  (files[name].panels as JsonPanel[]).filter((panel) => panel.type !== 'row');

describe('Grafana dashboards (deploy/grafana/dashboards)', () => {
  it('are the five dashboards, each with its stable uid', () => {
    expect(Object.fromEntries(Object.entries(files).map(([name, d]) => [name, d.uid]))).toEqual(STABLE_UIDS);
  });

  it('are what src/dashboards.ts generates (run `npm run dashboards` after changing it)', () => {
    for (const name of Object.keys(DASHBOARDS)) {
      expect({ name, dashboard: files[name] }).toEqual({
        name,
        dashboard: JSON.parse(dashboardFileText(name)),
      });
    }
  });

  it.each(Object.keys(STABLE_UIDS))(
    '%s has a Prometheus datasource variable that every query uses',
    (name) => {
      const variables = (files[name].templating as { list: { name: string; type: string; query: string }[] })
        .list;
      expect(variables).toContainEqual(
        expect.objectContaining({ name: 'datasource', type: 'datasource', query: 'prometheus' }),
      );
      for (const panel of panelsOf(name)) {
        expect({ panel: panel.title, uid: panel.datasource?.uid }).toEqual({
          panel: panel.title,
          uid: '${datasource}',
        });
        for (const target of panel.targets ?? []) expect(target.datasource.uid).toBe('${datasource}');
      }
    },
  );

  it.each(Object.keys(STABLE_UIDS))('%s: every panel has a query and a unit', (name) => {
    for (const panel of panelsOf(name)) {
      expect({ panel: panel.title, queries: panelExprs({ panels: [panel] }).length > 0 }).toEqual({
        panel: panel.title,
        queries: true,
      });
      expect({ panel: panel.title, unit: panel.fieldConfig?.defaults.unit }).toEqual({
        panel: panel.title,
        unit: expect.stringMatching(/^(short|s|ops|percentunit|bytes)$/),
      });
    }
  });

  it('every expression parses as PromQL (promtool check rules)', () => {
    const exprs = allDashboardExprs();
    expect(exprs.length).toBeGreaterThan(30);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dashboard-exprs-'));
    try {
      const file = path.join(dir, 'rules.yml');
      writeFileSync(file, exprsAsRuleFile(exprs));
      // Throws with promtool's own message (the expression and where it fails to parse) on any error.
      const out = execFileSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
      expect(out).toContain(`SUCCESS: ${exprs.length} rules found`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the expression extraction', () => {
  it('replaces Grafana variables in every spelling by fixed values', () => {
    expect(substituteVariables('rate(x[$__rate_interval]) + rate(y[${__interval}]) + z[[[__range]]]')).toBe(
      'rate(x[1m]) + rate(y[30s]) + z[1h]',
    );
  });

  it('refuses a variable it has no value for, naming it', () => {
    expect(() => substituteVariables('up{job="$job"}')).toThrow('unknown Grafana variable $job');
  });

  it('reads the targets of panels nested in collapsed rows, and skips empty ones', () => {
    const exprs = panelExprs({
      title: 'D',
      panels: [
        { title: 'row', panels: [{ title: 'inner', targets: [{ expr: 'up', refId: 'A' }] }] },
        { title: 'empty', targets: [{ expr: ' ', refId: 'A' }] },
      ],
    });
    expect(exprs).toEqual([{ dashboard: 'D', panel: 'inner', refId: 'A', expr: 'up' }]);
  });

  it('makes a rule file with one recording rule per expression', () => {
    const text = exprsAsRuleFile([{ dashboard: 'D', panel: 'p', refId: 'A', expr: 'sum(up)' }]);
    expect(JSON.parse(text)).toEqual({
      groups: [{ name: 'dashboard-exprs', rules: [{ record: 'dashboard_expr_0', expr: 'sum(up)' }] }],
    });
  });
});
