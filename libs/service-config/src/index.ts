export * from './validate-environment';
export * from './common-environment';
export * from './service-logger';
export * from './run-service';
export * from './environment-module';
export * from './operations';
