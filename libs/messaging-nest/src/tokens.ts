/** Injection token of the service's kafkajs client. */
export const KAFKA = Symbol('KAFKA');

/** Injection token of the service's one idempotent producer. */
export const PRODUCER = Symbol('PRODUCER');
