export * from './insert-new';
