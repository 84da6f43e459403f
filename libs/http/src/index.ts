export * from './problems';
export * from './http-error.filter';
export * from './json-body';
export * from './run-http-service';
