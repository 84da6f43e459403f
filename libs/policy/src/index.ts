export * from './policy-document';
export * from './validate-policy';
export * from './action-rule';
export * from './reference-policy';
export * from './safe-default-policy';
export * from './risk-assessment';
export * from './routing-decision';
export * from './notification-policy';
