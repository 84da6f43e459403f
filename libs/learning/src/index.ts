export * from './oversight-tally';
export * from './threshold-suggestion';
