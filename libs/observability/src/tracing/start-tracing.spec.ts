import { startTracing, tracingConfigured } from './start-tracing';

// A tripwire, not a stand-in: requiring the SDK at all fails the test that says it is not loaded.
jest.mock('@opentelemetry/sdk-trace-node', () => {
  throw new Error('the tracing SDK was loaded');
});

describe('startTracing', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

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

  it('loads nothing of the SDK when no endpoint is set', () => {
    delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    delete process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
    expect(startTracing('scoring')).toBe(false);
  });

  it('loads the SDK once an endpoint is set', () => {
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = 'http://127.0.0.1:4318';
    expect(() => startTracing('scoring')).toThrow('the tracing SDK was loaded');
  });
});
