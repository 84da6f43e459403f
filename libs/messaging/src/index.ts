export * from './logger';
export * from './kafka-client';
export * from './topic-admin';
export * from './event-publisher';
export * from './dead-letters';
export * from './event-consumer';
export * from './control-topic-view';
export * from './co-partitioned-assigner';
