export * from './oversight-records.schema';
export * from './oversight-records';
export * from './drift-episodes';
export * from './learning-store.module';
