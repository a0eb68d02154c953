/**
 * Schema and table names end up inside SQL text (an identifier cannot be a bind parameter), so only plain lower-case
 * identifiers pass. Schemas come from configuration and the projection engine (one per context store, one per
 * generation), never from a request; they are checked all the same, here, in the one place names become SQL.
 */
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Thrown for a name that could not safely become an SQL identifier. */
export class InvalidIdentifierError extends Error {
  constructor(readonly identifier: string) {
    super(`Invalid SQL identifier ${JSON.stringify(identifier)}: use lower-case letters, digits and _ (at most 63)`);
    this.name = 'InvalidIdentifierError';
  }
}

export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

export function assertIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new InvalidIdentifierError(name);
  return name;
}

/** `"name"`, after checking it. */
export const quoteIdentifier = (name: string): string => `"${assertIdentifier(name)}"`;

/** `"schema"."table"`, after checking both. */
export const qualifiedName = (schema: string, table: string): string => `${quoteIdentifier(schema)}.${quoteIdentifier(table)}`;
