export * from './oversight-tally';
export * from './threshold-suggestion';
export * from './labels';
