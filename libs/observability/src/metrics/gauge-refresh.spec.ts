import { refreshGauges } from './gauge-refresh';

describe('refreshGauges', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('refreshes at once and then every interval, saying a failure once until a read succeeds', async () => {
    const outcomes = [new Error('store down'), new Error('store down'), undefined, new Error('again')];
    let reads = 0;
    const warnings: string[] = [];
    const refresh = refreshGauges(
      'spec gauges',
      async () => {
        const outcome = outcomes[reads++];
        if (outcome) throw outcome;
      },
      1000,
      (message) => warnings.push(message),
    );
    for (let i = 0; i < 3; i++) await jest.advanceTimersByTimeAsync(1000);
    await refresh.stop();
    expect(reads).toBe(4);
    expect(warnings).toEqual([
      'metrics: refreshing spec gauges failed; the last values stay: store down',
      'metrics: refreshing spec gauges failed; the last values stay: again',
    ]);
  });
});
