export * from './messaging.module';
export * from './event-consumers';
export * from './tokens';
export * from './nest-messaging-logger';
