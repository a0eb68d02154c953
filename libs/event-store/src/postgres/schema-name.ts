import { InvalidAppendError } from '../port/event-store.errors';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The schema name as a quoted identifier; only plain lower-case names are accepted, so it is safe in SQL text. */
export function quoteSchema(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new InvalidAppendError(`Invalid schema name ${JSON.stringify(schema)}: use lower-case letters, digits and _`);
  }
  return `"${schema}"`;
}
