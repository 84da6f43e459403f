import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import {
  AlertmanagerServer,
  eventually,
  freePort,
  LagExporter,
  loadInfraConfig,
  PrometheusServer,
  testKafka,
  uniqueName,
} from '@oversight/testing';

const root = path.resolve(__dirname, '../../..');

/** The value of one series in Prometheus text format, found by its name and labels. */
function sampleOf(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`))) {
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return undefined;
}

async function text(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.text();
}

/**
 * Consumer lag seen from outside, and an alert delivered, all by the real processes: the broker, the lag
 * exporter (OpenTelemetry Collector), Prometheus and Alertmanager that `infra up` starts.
 */
describe('lag exporter, Prometheus and Alertmanager (real processes)', () => {
  const infra = loadInfraConfig();

  it('reports lag N for a consumer group that committed, stopped, and then missed N messages', async () => {
    const kafka = testKafka();
    const topic = uniqueName('lag-topic');
    const group = uniqueName('lag-group');
    const admin = kafka.admin();
    const producer = kafka.producer();
    await Promise.all([admin.connect(), producer.connect()]);
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
      await producer.send({ topic, messages: [{ value: 'before' }] });
      // A real member reads the first message and commits it, then leaves the group.
      const consumer = kafka.consumer({ groupId: group });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      let consumed = 0;
      await consumer.run({ eachMessage: async () => void consumed++ });
      await eventually(() => expect(consumed).toBe(1), { timeoutMs: 30_000 });
      await consumer.disconnect();
      const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      expect(committed.partitions[0].offset).toBe('1');

      const missed = 7;
      await producer.send({
        topic,
        messages: Array.from({ length: missed }, (_, index) => ({ value: `missed-${index}` })),
      });

      const exporter = new LagExporter(infra);
      await eventually(
        async () => {
          const metrics = await text(exporter.metricsUrl);
          expect(sampleOf(metrics, 'kafka_consumer_group_lag', { group, topic, partition: '0' })).toBe(
            missed,
          );
          expect(sampleOf(metrics, 'kafka_consumer_group_lag_sum', { group, topic })).toBe(missed);
          expect(sampleOf(metrics, 'kafka_consumer_group_members', { group })).toBe(0);
        },
        { timeoutMs: 30_000, intervalMs: 500 },
      );

      // And Prometheus has scraped it under the kafka-lag job, where the alert rules read it.
      const prometheus = new PrometheusServer(infra);
      await eventually(
        async () => {
          const query = encodeURIComponent(`kafka_consumer_group_lag_sum{job="kafka-lag",group="${group}"}`);
          const body = JSON.parse(await text(`${prometheus.url}/api/v1/query?query=${query}`));
          expect(body.data.result).toHaveLength(1);
          expect(body.data.result[0].metric.topic).toBe(topic);
          expect(Number(body.data.result[0].value[1])).toBe(missed);
        },
        { timeoutMs: 30_000, intervalMs: 500 },
      );
    } finally {
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await Promise.all([admin.disconnect(), producer.disconnect()]);
    }
  });

  describe('an alert, end to end', () => {
    const received: {
      authorization?: string;
      body: {
        alerts: { status: string; labels: Record<string, string>; annotations: Record<string, string> }[];
      };
    }[] = [];
    let receiver: http.Server;
    let target: http.Server;
    let prometheus: PrometheusServer;
    let alertmanager: AlertmanagerServer;
    let home: string;
    const group = uniqueName('idle-group');

    beforeAll(async () => {
      home = fs.mkdtempSync(path.join(os.tmpdir(), 'alerting-'));
      // The receiver the platform's operators would run: it records what Alertmanager posts.
      receiver = http.createServer((request, response) => {
        let body = '';
        request.on('data', (chunk) => (body += chunk));
        request.on('end', () => {
          received.push({ authorization: request.headers.authorization, body: JSON.parse(body) });
          response.end('ok');
        });
      });
      // A synthetic scrape target standing in for the lag exporter: a group that has no members and messages
      // waiting for it.
      target = http.createServer((_, response) => {
        response.setHeader('content-type', 'text/plain; version=0.0.4');
        response.end(
          `kafka_consumer_group_members{group="${group}"} 0\n` +
            `kafka_consumer_group_lag_sum{group="${group}",topic="review.requested.v1"} 4\n`,
        );
      });
      await Promise.all([
        new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve)),
        new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve)),
      ]);
      // The real rule, with its `for:` shortened so the test does not wait five minutes.
      const document = parse(fs.readFileSync(path.join(root, 'deploy/prometheus/alerts.yml'), 'utf8'));
      const rule = document.groups[0].rules.find(
        (candidate: { alert: string }) => candidate.alert === 'ConsumerGroupWithoutMembers',
      );
      const ruleFile = path.join(home, 'alerts.yml');
      fs.writeFileSync(ruleFile, stringify({ groups: [{ name: 'test', rules: [{ ...rule, for: '1s' }] }] }));

      const config = loadInfraConfig({
        ...process.env,
        INFRA_HOME: home,
        PROMETHEUS_PORT: String(await freePort()),
        ALERTMANAGER_PORT: String(await freePort()),
        LAG_EXPORTER_PORT: String((target.address() as AddressInfo).port),
        PROMETHEUS_SCRAPE_INTERVAL: '1s',
        ALERT_GROUP_WAIT: '1s',
        ALERT_WEBHOOK_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/alerts`,
        ALERT_WEBHOOK_TOKEN: 'alert-token-for-test',
      });
      for (const dir of ['run', 'logs']) fs.mkdirSync(path.join(home, dir), { recursive: true });
      prometheus = new PrometheusServer(config, { ruleFile });
      alertmanager = new AlertmanagerServer(config);
      await alertmanager.start();
      await prometheus.start();
      await Promise.all([alertmanager.waitUntilReady(), prometheus.waitUntilReady()]);
    });

    afterAll(async () => {
      await Promise.allSettled([prometheus?.stop(), alertmanager?.stop()]);
      await Promise.all([
        new Promise((resolve) => receiver.close(resolve)),
        new Promise((resolve) => target.close(resolve)),
      ]);
      fs.rmSync(home, { recursive: true, force: true });
    });

    it('reaches the receiver through Alertmanager, with its labels, runbook and bearer credential', async () => {
      const delivery = await eventually(
        () => {
          const found = received.find((post) =>
            post.body.alerts.some((alert) => alert.labels.alertname === 'ConsumerGroupWithoutMembers'),
          );
          expect(found).toBeDefined();
          return found!;
        },
        { timeoutMs: 60_000, intervalMs: 250 },
      );
      expect(delivery.authorization).toBe('Bearer alert-token-for-test');
      const alert = delivery.body.alerts.find(
        (candidate) => candidate.labels.alertname === 'ConsumerGroupWithoutMembers',
      )!;
      expect(alert.status).toBe('firing');
      expect(alert.labels).toMatchObject({ group, severity: 'warning' });
      expect(alert.annotations.runbook_url).toBe('docs/runbooks.md#consumergroupwithoutmembers');
      expect(alert.annotations.summary).toBe(`Consumer group ${group} has no members`);
    });
  });
});
