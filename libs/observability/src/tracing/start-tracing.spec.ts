import { startTracing, tracingConfigured } from './start-tracing';

describe('startTracing', () => {
  it('is on only when an OTLP endpoint is set and the SDK is not disabled', () => {
    expect(tracingConfigured({})).toBe(false);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toBe(true);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' })).toBe(
      true,
    );
    expect(
      tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' }),
    ).toBe(false);
  });

  it('loads no part of the SDK when no endpoint is set', () => {
    delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    delete process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
    expect(startTracing('scoring')).toBe(false);
    const loaded = Object.keys(require.cache).filter((file) => file.includes('@opentelemetry/sdk-'));
    expect(loaded).toEqual([]);
  });
});
