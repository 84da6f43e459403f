export * from './filter-shape';
export * from './store-command';
export * from './bounded-collections';
export * from './classify-store-command';
export * from './store-access-report';
export * from './command-log';
