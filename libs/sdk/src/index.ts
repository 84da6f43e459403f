export * from './executor/executor';
export * from './executor/execution-failure';
export { ExecutionRecords } from './executor/execution-records';
export * from './upstream/oversight-client';
export * from './upstream/decision-outcome';
