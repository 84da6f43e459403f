export * from './oversight-tally';
