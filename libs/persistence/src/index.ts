export * from './insert-new';
export * from './store-connection';
export * from './find-by-ids';
export * from './gap-free-list';
export * from './store-access';
