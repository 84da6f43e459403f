import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { AlertmanagerServer, loadInfraConfig, PrometheusServer } from '@oversight/testing';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../../..');
const rules = path.join(root, 'deploy/prometheus/alerts.yml');

/** The alerting configuration as the real tools read it: promtool and amtool, not a YAML parser of ours. */
describe('alert rules and monitoring configuration (promtool, amtool)', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'monitoring-config-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the one rule file is valid and holds every alert of the runbook', async () => {
    const { stdout } = await run('promtool', ['check', 'rules', rules]);
    expect(stdout).toContain('SUCCESS: 8 rules found');
    const runbook = fs.readFileSync(path.join(root, 'docs/runbooks.md'), 'utf8');
    const alerts = [...fs.readFileSync(rules, 'utf8').matchAll(/- alert: (\w+)/g)].map((match) => match[1]);
    expect(alerts).toEqual([
      'ReviewSlaAtRisk',
      'ConsumerLagHigh',
      'DeadLettersArriving',
      'ExecutorFailureRatioHigh',
      'AuditLagging',
      'ServiceDown',
      'ConsumerGroupWithoutMembers',
      'HaltInForce',
    ]);
    for (const alert of alerts) expect(runbook).toContain(`## ${alert}`);
  });

  it('every alert fires on synthetic series and stays quiet when it should (promtool test rules)', async () => {
    const { stdout } = await run('promtool', [
      'test',
      'rules',
      path.join(root, 'deploy/prometheus/alerts.test.yml'),
    ]);
    expect(stdout).toContain('SUCCESS');
  });

  it('the rendered Prometheus and Alertmanager configurations are valid', async () => {
    const config = loadInfraConfig({
      ...process.env,
      INFRA_HOME: dir,
      ALERT_WEBHOOK_URL: 'https://alerts.example.org/oversight',
      ALERT_WEBHOOK_TOKEN: 'token',
    });
    const prometheusConfig = path.join(dir, 'prometheus.yml');
    fs.writeFileSync(prometheusConfig, new PrometheusServer(config).renderConfig());
    const prometheus = await run('promtool', ['check', 'config', prometheusConfig]);
    expect(prometheus.stdout).toContain('is valid prometheus config file syntax');
    expect(prometheus.stdout).toContain('SUCCESS: 8 rules found');

    const alertmanagerConfig = path.join(dir, 'alertmanager.yml');
    fs.writeFileSync(alertmanagerConfig, new AlertmanagerServer(config).renderConfig());
    const alertmanager = await run('amtool', ['check-config', alertmanagerConfig]);
    expect(alertmanager.stdout).toContain('SUCCESS');
    expect(fs.readFileSync(alertmanagerConfig, 'utf8')).toContain('receiver: platform-webhook');
  });

  it('without ALERT_WEBHOOK_URL, alerts go to no receiver at all', () => {
    const config = loadInfraConfig({ ...process.env, INFRA_HOME: dir, ALERT_WEBHOOK_URL: '' });
    expect(new AlertmanagerServer(config).renderConfig()).toContain('receiver: discard');
  });
});
