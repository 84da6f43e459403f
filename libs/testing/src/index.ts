export * from './infra/infra-config';
export * from './infra/local-infra';
export * from './test-names';
export * from './wait-for';
export * from './kafka-test-kit';
export * from './mongo-test-kit';
export * from './service-process';
export * from './platform-processes';
