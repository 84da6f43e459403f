export * from './labels';
export * from './platform-metrics';
export * from './consumer-instrumentation';
export * from './store-monitoring';
export * from './operations-listener';
export * from './gauge-refresh';
