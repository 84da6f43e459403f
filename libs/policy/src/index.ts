export * from './policy-document';
export * from './validate-policy';
export * from './action-rule';
export * from './reference-policy';
export * from './safe-default-policy';
