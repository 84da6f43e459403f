export * from './oversight-tally';
export * from './threshold-suggestion';
export * from './labels';
export * from './decision-observation';
export * from './drift-detection';
export * from './oversight-metrics';
export * from './learning-topics';
