/** Idempotency keys and events of this bounded context are scoped by this name. */
export const AUDIT = 'audit';
