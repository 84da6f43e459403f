import { monitoringLines, monitoringSnapshot } from './monitoring-watch';

const URLS = {
  prometheus: 'http://127.0.0.1:9490',
  alertmanager: 'http://127.0.0.1:9493',
  lagExporter: 'http://127.0.0.1:9308/metrics',
};
const up = (job: string, value: '0' | '1') => ({ metric: { job }, value: [0, value] as [number, string] });

describe('monitoringSnapshot', () => {
  it('counts targets up and names the jobs down and the alerts firing, each once', () => {
    expect(
      monitoringSnapshot(
        [up('scoring', '1'), up('learning', '0'), up('gateway', '0'), up('learning', '0')],
        [
          { state: 'firing', labels: { alertname: 'ServiceDown' } },
          { state: 'firing', labels: { alertname: 'ServiceDown' } },
          { state: 'pending', labels: { alertname: 'ConsumerLagHigh' } },
        ],
      ),
    ).toEqual({ up: 1, total: 4, down: ['gateway', 'learning'], firing: ['ServiceDown'] });
  });
});

describe('monitoringLines', () => {
  it.each([
    [
      'all up',
      { up: 10, total: 10, down: [], firing: [] },
      undefined,
      '  monitoring   targets up 10 of 10 · alerts firing: none',
    ],
    [
      'some down, an alert firing',
      { up: 8, total: 10, down: ['gateway', 'learning'], firing: ['ServiceDown'] },
      undefined,
      '  monitoring   targets up 8 of 10 (down: gateway, learning) · alerts firing: ServiceDown',
    ],
    ['before any scrape', undefined, undefined, '  monitoring   waiting for the first scrape'],
    [
      'Prometheus not answering',
      { up: 10, total: 10, down: [], firing: [] },
      'fetch failed',
      '  monitoring   Prometheus not answering (fetch failed); npm run infra -- status',
    ],
  ])('%s', (_case, snapshot, error, first) => {
    expect(monitoringLines(URLS, snapshot, error)).toEqual([
      first,
      '               Prometheus http://127.0.0.1:9490 · Alertmanager http://127.0.0.1:9493 · lag http://127.0.0.1:9308/metrics',
    ]);
  });
});
