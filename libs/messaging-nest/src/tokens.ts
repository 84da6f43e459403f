/** Injection token of the service's kafkajs client. */
export const KAFKA = Symbol('KAFKA');

/** Injection token of the service's one idempotent producer. */
export const PRODUCER = Symbol('PRODUCER');

/** Injection token of the fetch limits every consumer of the service starts from. */
export const FETCH_LIMITS = Symbol('FETCH_LIMITS');
