export * from './messaging.module';
export * from './consumer-registry';
export * from './tokens';
export * from './nest-messaging-logger';
export * from './active-policy';
export * from './halts-in-force';
