export * from './insert-new';
export * from './store-connection';
