export * from './insert-new';
export * from './store-connection';
export * from './store-access';
