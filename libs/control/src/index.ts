export * from './control-client';
