import { loadInfraConfig } from './infra-config';
import { renderTemplate } from './monitoring';

describe('renderTemplate', () => {
  it('fills in every placeholder', () => {
    expect(renderTemplate('a: ${PORT}\nb: ${PORT}', { PORT: '9490' }, 'x.yml')).toBe('a: 9490\nb: 9490');
  });

  it('names a placeholder it has no value for', () => {
    expect(() => renderTemplate('a: ${MISSING}', {}, 'deploy/x.yml')).toThrow(
      'deploy/x.yml uses ${MISSING}, which the infra CLI does not set',
    );
  });
});

describe('monitoring settings', () => {
  it('defaults to the shared ports on loopback and no alert receiver', () => {
    const { monitoring } = loadInfraConfig({ INFRA_HOME: '/tmp/x' });
    expect(monitoring).toMatchObject({
      lagExporterPort: 9308,
      prometheusPort: 9490,
      alertmanagerPort: 9493,
      scrapeInterval: '5s',
      alertGroupWait: '30s',
      prometheusDataDir: '/tmp/x/data/prometheus',
    });
    expect(monitoring.alertWebhookUrl).toBeUndefined();
  });

  it('refuses an alert webhook that is not an http(s) URL', () => {
    expect(() => loadInfraConfig({ ALERT_WEBHOOK_URL: 'alerts.example.org' })).toThrow('is not a URL');
    expect(() => loadInfraConfig({ ALERT_WEBHOOK_URL: 'ftp://alerts.example.org' })).toThrow(
      'must be an http:// or https:// URL',
    );
    expect(() => loadInfraConfig({ PROMETHEUS_PORT: '99999' })).toThrow(
      'PROMETHEUS_PORT=99999 is not a valid TCP port',
    );
  });
});
