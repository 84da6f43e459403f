import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

/** Runs the demo as `npm start` does after its set-up, non-interactive, for `seconds`; resolves with its output. */
function runDemo(seconds: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      ['--tsconfig', 'tools/demo/tsconfig.json', 'tools/demo/run-demo.ts', '--for', String(seconds)],
      { cwd: ROOT, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

/**
 * The main command's job end to end, on the default ports as `npm start` runs it: every service, the stream of
 * proposals, and the monitoring beside them, with Prometheus scraping every target.
 */
describe('the demo (npm start) with its monitoring', () => {
  it('runs the pipeline and shows Prometheus, Alertmanager and the lag exporter with every target up', async () => {
    const { code, output } = await runDemo(30);
    expect({ code, tail: code === 0 ? '' : output.slice(-3000) }).toEqual({ code: 0, tail: '' });
    expect(output).toContain('Prometheus at http://127.0.0.1:9490, Alertmanager at http://127.0.0.1:9493');
    expect(output).toContain('lag exporter at http://127.0.0.1:9308/metrics');
    expect(output).toContain('console Operations screen http://127.0.0.1:8080/#/operations');
    // Seven services, the lag exporter, Prometheus and Alertmanager, all scraped and up.
    expect(output).toMatch(/targets up 10\/10/);
    expect(output).toMatch(/approved \d+/);
  }, 240_000);
});
