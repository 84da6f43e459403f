export * from './audit-chain';
export * from './audit-event.schema';
export * from './decision-projection';
export * from './audit-queries';
export * from './audit-trail-read.module';
export * from './decision-index';
export * from './decision-index-comparison';
export * from './decision-cursor';
