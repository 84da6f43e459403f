import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { DASHBOARDS_DIR } from './dashboard-exprs';
import { DASHBOARDS } from './dashboards';

/** A dashboard file as written: stable key order and a final newline, so a regenerated file diffs cleanly. */
export function dashboardFileText(name: string): string {
  return `${JSON.stringify(DASHBOARDS[name], null, 2)}\n`;
}

// `npm run dashboards`: writes deploy/grafana/dashboards/*.json from src/dashboards.ts.
if (require.main === module) {
  for (const name of Object.keys(DASHBOARDS)) {
    writeFileSync(path.join(DASHBOARDS_DIR, name), dashboardFileText(name));
    console.log(`wrote ${path.relative(process.cwd(), path.join(DASHBOARDS_DIR, name))}`);
  }
}
